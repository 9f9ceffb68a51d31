// Restores a dump of `pg_dump --format=custom` into DATABASE_URL, applies the migrations newer than the
// dump and tells the running gateways (REDIS_URL, and NOTIFY) that the data changed:
//   DATABASE_URL=… REDIS_URL=… PG_BIN=/usr/lib/postgresql/17/bin npm run db:restore -- regiograph-2026-12-06.dump
// PG_BIN names the folder of pg_restore and psql when those on PATH are older than the server. After a
// restore by other means (point-in-time recovery), `npm run db:restore -- --announce-only` only tells
// the gateways.
import type { DataChangeAnnouncement } from '@regiograph/subgraph-kit';
import { announceRestore, restoreDump } from '../src/restore';

const USAGE = 'Usage: DATABASE_URL=… [REDIS_URL=… REDIS_KEY_PREFIX=…] [PG_BIN=…] npm run db:restore -- <file.dump> | --announce-only';

async function main(): Promise<void> {
  const [argument, ...rest] = process.argv.slice(2);
  const databaseUrl = process.env.DATABASE_URL;
  if (!argument || rest.length > 0 || !databaseUrl) {
    console.error(USAGE);
    process.exit(2);
  }
  let announced: DataChangeAnnouncement;
  if (argument === '--announce-only') {
    announced = await announceRestore(databaseUrl);
  } else {
    const report = await restoreDump({ databaseUrl, dumpFile: argument, binDir: process.env.PG_BIN || undefined });
    console.log(`Restored the schemas ${report.schemas.join(', ')} from ${argument}.`);
    console.log(report.migrated.length === 0 ? 'The dump was up to date with the migrations.' : `Applied: ${report.migrated.join(', ')}`);
    announced = report.announced;
  }
  const { sharedStore, notified } = announced;
  console.log(`Gateways told: shared store ${sharedStore}, database notice ${notified ? 'sent' : 'NOT sent'}.`);
  if (sharedStore === 'failed' || !notified) {
    console.error('Some gateways may answer from before the restore: run `npm run db:restore -- --announce-only` again, or restart them.');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
