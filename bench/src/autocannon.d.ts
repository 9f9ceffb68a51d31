// The part of autocannon's programmatic API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Called before every request; returns the request to send. */
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  }

  interface AutocannonClient extends EventEmitter {
    on(event: 'response', listener: (statusCode: number, bytes: number, responseTimeMs: number) => void): this;
  }

  interface AutocannonOptions {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    requests?: AutocannonRequest[];
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    pipelining?: number;
    setupClient?: (client: AutocannonClient) => void;
    verifyBody?: (body: string) => boolean;
  }

  interface AutocannonResult {
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    '1xx': number;
    '2xx': number;
    '3xx': number;
    '4xx': number;
    '5xx': number;
    requests: { total: number; average: number; sent: number };
    throughput: { total: number; average: number };
    latency: { p50: number; p99: number; average: number; max: number };
  }

  function autocannon(options: AutocannonOptions): Promise<AutocannonResult> & { stop?: () => void };
  export = autocannon;
}
