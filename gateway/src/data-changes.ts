import pg from 'pg';
import { DATA_CHANGED_CHANNEL, type Logger } from '@regiograph/shared';

export interface DataChangeListenerOptions {
  databaseUrl: string;
  /**
   * Called on each notice of a change, and when the listening connection was lost or comes back: a
   * notice sent meanwhile reached no one, so a gap counts as a change.
   */
  onChange(): void;
  logger: Logger;
  /** Milliseconds between attempts to listen again after the connection was lost. @default 1000 */
  reconnectDelayMs?: number;
  /** Milliseconds a connection attempt may take. @default 5000 */
  connectTimeoutMs?: number;
}

export interface DataChangeListener {
  /** True while notices are heard. */
  readonly listening: boolean;
  /** Idempotent; waits for an attempt under way, so no connection outlives the gateway. */
  close(): Promise<void>;
}

/**
 * Hears DATA_CHANGED_CHANNEL (the importer's and the seeds' notices, subgraph-kit's
 * announceDataChange) on a connection of its own. A gateway without Redis caches answers in its own
 * memory, which no importer process can reach: without this it served the values from before an
 * import for up to RESPONSE_CACHE_MAX_AGE, while the CSV export showed the new ones. A database that
 * is down only delays listening (retried in the background); resolves once the first attempt ended.
 */
export async function listenForDataChanges(options: DataChangeListenerOptions): Promise<DataChangeListener> {
  const reconnectDelayMs = options.reconnectDelayMs ?? 1000;
  let client: pg.Client | null = null;
  let closed = false;
  let missed = false;
  let timer: NodeJS.Timeout | null = null;
  let attempt: Promise<void> = Promise.resolve();

  const scheduleAttempt = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (!closed) attempt = connect();
    }, reconnectDelayMs);
    timer.unref();
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: options.connectTimeoutMs ?? 5000 });
    let ended = false;
    const lose = (error: Error) => {
      if (ended) return;
      ended = true;
      next.end().catch(() => undefined);
      if (client !== next || closed) return;
      client = null;
      missed = true;
      options.logger.warn('data change listener lost; cached answers dropped', { error: error.message });
      options.onChange();
      scheduleAttempt();
    };
    next.on('error', lose);
    next.on('end', () => lose(new Error('the listener connection ended')));
    next.on('notification', (message) => {
      if (message.channel === DATA_CHANGED_CHANNEL) options.onChange();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${DATA_CHANGED_CHANNEL}`);
    } catch (error) {
      ended = true;
      await next.end().catch(() => undefined);
      if (closed) return;
      missed = true;
      options.logger.warn('data change listener could not connect; retrying', {
        error: error instanceof Error ? error.message : String(error),
      });
      scheduleAttempt();
      return;
    }
    if (closed) {
      ended = true;
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    if (missed) {
      missed = false;
      options.onChange();
    }
  };

  attempt = connect();
  await attempt;
  let closing: Promise<void> | null = null;
  return {
    get listening() {
      return client !== null;
    },
    close() {
      closing ??= (async () => {
        closed = true;
        if (timer) clearTimeout(timer);
        await attempt;
        const open = client;
        client = null;
        await open?.end().catch(() => undefined);
      })();
      return closing;
    },
  };
}
