import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTracing, tracer } from './tracing';

/**
 * The production path of tracing: OTEL_TRACES_EXPORTER=otlp sends the spans to the collector at
 * OTEL_EXPORTER_OTLP_ENDPOINT (read by OpenTelemetry's exporter from the process's environment). The
 * SDK is loaded only when tracing starts, so this also checks that loading it there works.
 */
describe('tracing to an OTLP collector', () => {
  const received: { url: string | undefined; body: string }[] = [];
  let collector: http.Server;
  const endpointBefore = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;

  beforeAll(async () => {
    collector = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ url: request.url, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    if (endpointBefore === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpointBefore;
    await new Promise((resolve) => collector.close(resolve));
  });

  it('exports a span with the service name, flushed at shutdown', async () => {
    const tracing = startTracing('tracing-test-service', { env: { OTEL_TRACES_EXPORTER: 'otlp' } });
    expect(tracing).not.toBeNull();
    tracer().startActiveSpan('tracing-test-span', (span) => span.end());
    await tracing!.shutdown();
    expect(received.map((request) => request.url)).toEqual(['/v1/traces']);
    expect(received[0]!.body).toContain('tracing-test-service');
    expect(received[0]!.body).toContain('tracing-test-span');
  });
});
