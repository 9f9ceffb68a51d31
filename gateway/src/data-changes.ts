import { DATA_CHANGED_CHANNEL, type Logger } from '@regiograph/shared';
import { keepListening, listenOnChannel } from './notices';

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
  const kept = keepListening({
    name: 'data change listener',
    listen: (onLost) =>
      listenOnChannel(options.databaseUrl, DATA_CHANGED_CHANNEL, () => options.onChange(), onLost, options.connectTimeoutMs),
    onLost: (error) => {
      options.logger.warn('data change listener lost; cached answers dropped', { error: error.message });
      options.onChange();
    },
    // A notice sent while no listener was connected reached no one: the next connection counts as a change.
    onListening: (afterGap) => {
      if (afterGap) options.onChange();
    },
    logger: options.logger,
    reconnectDelayMs: options.reconnectDelayMs,
  });
  await kept.start();
  return {
    get listening() {
      return kept.listening;
    },
    close: () => kept.close(),
  };
}
