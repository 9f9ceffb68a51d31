import { collectDefaultMetrics, Registry } from 'prom-client';
import type { RouteHandler } from './http';

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

  /** The /metrics route, answering the metrics in Prometheus's text format at each scrape. */
  routes(): Record<string, RouteHandler> {
    return {
      '/metrics': async (_request, response) => {
        const { contentType, body } = await this.render();
        response.writeHead(200, { 'content-type': contentType });
        response.end(body);
      },
    };
  }
}
