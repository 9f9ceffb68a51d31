import { closeOnSignals, createLogger, GATEWAY_DEFAULT_PORT, readPort, startTracing } from '@regiograph/shared';
import { createGateway } from './server';

const logger = createLogger('gateway');

const tracing = startTracing('gateway');

async function main(): Promise<void> {
  const gateway = await createGateway();
  gateway.metrics.collectProcessMetrics();
  const running = await gateway.listen(readPort('PORT', GATEWAY_DEFAULT_PORT), process.env.HOST || '127.0.0.1');
  logger.info('gateway listening', { url: running.url, metricsUrl: running.metricsUrl });
  process.on('SIGHUP', () => {
    void gateway.supergraph.reload().then((result) => logger.info('supergraph reload on SIGHUP', { ...result }));
  });
  closeOnSignals(logger, 'shutting down', () => gateway.close(), tracing);
}

main().catch((error: unknown) => {
  logger.error('gateway failed to start', { error: error instanceof Error ? error.stack : String(error) });
  process.exit(1);
});
