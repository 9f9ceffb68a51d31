import type { Logger } from './logger';
import type { Tracing } from './tracing';

/**
 * How every service process stops: on SIGTERM or SIGINT it logs `message`, closes (draining the
 * requests in flight), flushes its traces and exits 0, or 1 when closing failed.
 */
export function closeOnSignals(logger: Logger, message: string, close: () => Promise<void>, tracing: Tracing | null): void {
  const shutdown = (signal: string) => {
    logger.info(message, { signal });
    close().then(
      async () => {
        await tracing?.shutdown();
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
