import { readPort, requireEnv, createLogger } from '@regiograph/shared';
import { createServer } from './server';
import { seedProjectsIfEmpty } from './seed';

const logger = createLogger('projects');

async function main(): Promise<void> {
  const server = await createServer({ databaseUrl: requireEnv('DATABASE_URL') });
  if (process.env.SEED_ON_START !== 'false' && (await seedProjectsIfEmpty(server.database.prisma))) {
    logger.info('seeded the synthetic project portfolio');
  }
  const running = await server.listen(readPort('PORT', 4003), process.env.HOST ?? '127.0.0.1');
  logger.info('projects subgraph listening', { url: running.url });
  const shutdown = (signal: string) => {
    logger.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  logger.error('projects subgraph failed to start', { error: error instanceof Error ? error.stack : String(error) });
  process.exit(1);
});
