// OpenTelemetry: one trace follows a request from the gateway into every subgraph it calls.
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from '@regiograph/shared';
import { startStack, type Stack } from './harness';

const exporter = new InMemorySpanExporter();
let tracing: Tracing | null;
let stack: Stack;

beforeAll(async () => {
  tracing = startTracing('regiograph-test', { exporter });
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
  await tracing?.shutdown();
});

it('is off unless an exporter is configured', () => {
  expect(startTracing('quiet', { env: {} })).toBeNull();
  expect(() => startTracing('typo', { env: { OTEL_TRACES_EXPORTER: 'jaeger-please' } })).toThrow(/none, otlp or console/);
});

it('joins the gateway span and the subgraph spans of one request in one trace', async () => {
  exporter.reset();
  const { data, errors } = await stack.query(
    '{ region(code: "03256") { name value(indicator: "population", year: 2018) { value } cooperations { name } } }',
  );
  expect(errors).toBeUndefined();
  expect(data).toBeTruthy();
  const spans = exporter.getFinishedSpans();
  const servers = spans.filter((span) => span.name === 'POST /graphql');
  // The gateway's own request span is the root: the one without a parent.
  const roots = servers.filter((span) => !span.parentSpanId);
  expect(roots).toHaveLength(1);
  const traceId = roots[0]!.spanContext().traceId;
  const subgraphRequests = servers.filter((span) => span.parentSpanId);
  // regions (the region), indicators (the value) and cooperations (the list) each served a part.
  expect(subgraphRequests.length).toBeGreaterThanOrEqual(3);
  expect(subgraphRequests.every((span) => span.spanContext().traceId === traceId)).toBe(true);
  // Apollo Gateway's own spans (planning, fetches) belong to the same trace.
  expect(spans.some((span) => span.name.startsWith('gateway.') && span.spanContext().traceId === traceId)).toBe(true);
});

it("puts a passed-through query's subgraph call into the request's trace, under the pass-through's span", async () => {
  exporter.reset();
  const { data, errors } = await stack.query('{ region(code: "03256") { code name } }');
  expect(errors).toBeUndefined();
  expect(data).toBeTruthy();
  const spans = exporter.getFinishedSpans();
  const root = spans.find((span) => span.name === 'POST /graphql' && !span.parentSpanId);
  const passThrough = spans.find((span) => span.name === 'gateway.passThrough');
  expect(passThrough?.attributes['graphql.subgraph']).toBe('regions');
  expect(passThrough?.spanContext().traceId).toBe(root?.spanContext().traceId);
  // The regions subgraph's request span is a child of the pass-through's span.
  const subgraphRequest = spans.find((span) => span.name === 'POST /graphql' && span.parentSpanId === passThrough?.spanContext().spanId);
  expect(subgraphRequest).toBeDefined();
});
