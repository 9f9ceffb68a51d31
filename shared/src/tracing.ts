import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry traces, off unless asked for: OTEL_TRACES_EXPORTER=otlp (to
 * OTEL_EXPORTER_OTLP_ENDPOINT, the standard variables) or =console. Registers the global tracer
 * provider with W3C trace-context propagation, so the gateway's spans (Apollo Gateway emits them)
 * and every subgraph's request spans join one trace. Tests pass an exporter of their own.
 */
export function startTracing(serviceName: string, options: { env?: NodeJS.ProcessEnv; exporter?: SpanExporter } = {}): Tracing | null {
  const env = options.env ?? process.env;
  const kind = env.OTEL_TRACES_EXPORTER ?? 'none';
  if (!options.exporter && kind === 'none') return null;
  if (!options.exporter && kind !== 'otlp' && kind !== 'console') {
    throw new Error(`OTEL_TRACES_EXPORTER must be none, otlp or console, got ${JSON.stringify(kind)}`);
  }
  // The SDK is loaded only when tracing is on. Every service, CLI and Jest test file loads this module
  // and most never trace, while the SDK with its OTLP exporter (protobuf and HTTP code) took about
  // 0.3 s of CPU to load on a 2-vCPU machine.
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand, see above */
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { Resource } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } =
    require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const provider = new NodeTracerProvider({ resource: new Resource({ 'service.name': serviceName }) });
  if (options.exporter) provider.addSpanProcessor(new SimpleSpanProcessor(options.exporter));
  else if (kind === 'console') provider.addSpanProcessor(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  else provider.addSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter()));
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** The tracer of RegioGraph's own spans; a no-op until startTracing registered a provider. */
export function tracer(): Tracer {
  return trace.getTracer('regiograph');
}

/**
 * The W3C trace context (`traceparent`, `tracestate`) of the active span, as headers for a call made
 * outside the instrumented HTTP client, so that the callee's spans join this trace. Empty when
 * tracing is off.
 */
export function traceContextHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}
