// A process that loses its connection in the middle of an inRawTransaction (the server terminates
// it) and must live on: raw-transaction.test.ts runs it in a process of its own, since an unheard
// 'error' event ends a process, which a Jest worker would only report. Prints what it saw.
import pg from 'pg';
import { inRawTransaction } from '../raw-transaction';

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: process.argv[2], max: 1 });
  try {
    await inRawTransaction(pool, async (sql) => {
      await sql.$executeRaw`SELECT pg_terminate_backend(pg_backend_pid())`;
    });
    console.log('no error');
  } catch (error) {
    console.log(`handed on: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Whatever the dying connection still emits arrives meanwhile.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await inRawTransaction(pool, (sql) => sql.$executeRaw`SELECT 1`);
  console.log('alive, and the pool serves the next transaction');
  await pool.end();
}

void main();
