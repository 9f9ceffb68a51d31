import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { readPort } from './config';
import type { RouteHandler } from './http';

/** Where and to whom a service serves its /metrics (METRICS_PORT, METRICS_TOKEN). */
export interface MetricsExposure {
  /**
   * The port of a listener of their own that serves only /metrics (0: one the OS chooses); the main
   * port then answers 404 for /metrics. Null: /metrics is served on the main port, beside /graphql.
   */
  port: number | null;
  /** The bearer token a scrape must send (`Authorization: Bearer <token>`); null: none is asked for. */
  token: string | null;
}

/** METRICS_PORT and METRICS_TOKEN, read alike by the gateway and every subgraph. */
export function readMetricsExposure(env: NodeJS.ProcessEnv = process.env): MetricsExposure {
  const port = env.METRICS_PORT === undefined || env.METRICS_PORT === '' ? null : readPort('METRICS_PORT', 0, env);
  return { port, token: env.METRICS_TOKEN || null };
}

// Digests of equal length, so that timingSafeEqual neither throws nor tells the token's length.
const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether an Authorization header carries `token`, compared in constant time. */
function carriesToken(authorization: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(token));
}

/**
 * What every service's Prometheus metrics share: their registry, the process's own metrics under the
 * service's prefix, and the /metrics route that serves them. The gateway's and the subgraphs' classes
 * add their own metrics to `registry`.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  /** `prefix` starts the names of the process metrics, such as `regiograph_gateway_`. */
  constructor(private readonly prefix: string) {}

  /**
   * Adds the process's own metrics (CPU, memory, heap, handles, event-loop lag, garbage collection).
   * Once per process, by its entry point, not per server: prom-client watches the event loop and the
   * collector for them with hooks that it cannot remove (prometheus/client_js#494, #500). Made per
   * server, they stayed to the end of the process with all they held: in an end-to-end Jest worker,
   * which makes dozens of gateways, each finished test file's modules (about 45 MB per file).
   */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry, prefix: this.prefix });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * The /metrics route, answering the metrics in Prometheus's text format at each scrape; with a
   * token, a scrape without it gets 401 and nothing of the metrics.
   */
  route(token: string | null): RouteHandler {
    return async (request, response) => {
      if (token !== null && !carriesToken(request.headers.authorization, token)) {
        response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' });
        response.end('Send the metrics token as Authorization: Bearer <METRICS_TOKEN>.\n');
        return;
      }
      const { contentType, body } = await this.render();
      response.writeHead(200, { 'content-type': contentType });
      response.end(body);
    };
  }
}
