// Loaded into a service only by the bench's soak (`node --expose-gc --require heap-probe.js`, with
// HEAP_PROBE_PORT set): a loopback endpoint that forces a full garbage collection and reports the heap
// left, or writes a heap snapshot. Nothing in the services themselves serves this, so production
// exposes nothing; the bench needs it to tell a leak from garbage not yet collected (RSS alone
// cannot: V8 keeps freed pages and collects when it likes).
import { createServer } from 'node:http';
import path from 'node:path';
import v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';

/** What one probe reports, in bytes, after a full collection. */
export interface ProbeMemory {
  heapUsed: number;
  heapTotal: number;
  external: number;
  rss: number;
  /** The snapshot written, for /snapshot. */
  file?: string;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('heap probe needs node --expose-gc');
  // Twice: the first pass runs finalizers and weak callbacks whose garbage the second frees.
  gc();
  gc();
}

function usage(): ProbeMemory {
  const memory = process.memoryUsage();
  return { heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, rss: memory.rss };
}

const port = Number(process.env.HEAP_PROBE_PORT);
const directory = process.env.HEAP_PROBE_DIR ?? '.';
const name = process.env.HEAP_PROBE_NAME ?? String(process.pid);
// Worker threads inherit the process's --require: only the main thread serves the probe (a worker
// listening on the same port failed with EADDRINUSE, which killed the gateway's offload worker).
if (isMainThread && Number.isInteger(port) && port > 0) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://probe');
    try {
      let body: ProbeMemory;
      if (url.pathname === '/gc') {
        collect();
        body = usage();
      } else if (url.pathname === '/snapshot') {
        const label = (url.searchParams.get('label') ?? 'snapshot').replace(/[^a-z0-9-]/gi, '');
        collect();
        body = usage();
        // writeHeapSnapshot collects again itself; heapUsed above is the same post-GC heap.
        body.file = v8.writeHeapSnapshot(path.join(directory, `${name}-${label}.heapsnapshot`));
      } else {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(error instanceof Error ? error.message : String(error));
    }
  });
  server.listen(port, '127.0.0.1');
  // The probe must not keep a service alive that wants to exit.
  server.unref();
}
