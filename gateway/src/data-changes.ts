import { DATA_CHANGED_CHANNEL, type Logger } from '@regiograph/shared';
import { listenOnChannel, type ChannelListener } from './notices';

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
  let listener: ChannelListener | null = null;
  let closed = false;
  // A notice sent while no listener was connected reached no one: the next connection counts as a change.
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

  const lost = (error: Error) => {
    if (closed) return;
    listener = null;
    missed = true;
    options.logger.warn('data change listener lost; cached answers dropped', { error: error.message });
    options.onChange();
    scheduleAttempt();
  };

  const connect = async (): Promise<void> => {
    let next: ChannelListener;
    try {
      next = await listenOnChannel(options.databaseUrl, DATA_CHANGED_CHANNEL, () => options.onChange(), lost, options.connectTimeoutMs);
    } catch (error) {
      if (closed) return;
      missed = true;
      options.logger.warn('data change listener could not connect; retrying', {
        error: error instanceof Error ? error.message : String(error),
      });
      scheduleAttempt();
      return;
    }
    // Closed while connecting: a connection kept now would outlive the gateway.
    if (closed) {
      await next.close();
      return;
    }
    listener = next;
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
      return listener !== null;
    },
    close() {
      closing ??= (async () => {
        closed = true;
        if (timer) clearTimeout(timer);
        await attempt;
        const open = listener;
        listener = null;
        await open?.close();
      })();
      return closing;
    },
  };
}
