import pg from 'pg';
import type { Logger } from '@regiograph/shared';

/** A LISTEN on a connection of its own. */
export interface ChannelListener {
  close(): Promise<void>;
}

/**
 * LISTENs on `channel` on a connection of its own (a pooled one would be handed to other queries).
 * `onLost` is called once when that connection fails or ends, never after close(): the caller listens
 * again. Used for API key revocations and for data changed outside the gateway.
 */
export async function listenOnChannel(
  databaseUrl: string,
  channel: string,
  onNotice: (payload: string) => void,
  onLost: (error: Error) => void,
  connectTimeoutMs = 5000,
): Promise<ChannelListener> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: connectTimeoutMs });
  let closing = false;
  let lost = false;
  const lose = (error: Error) => {
    if (closing || lost) return;
    lost = true;
    client.end().catch(() => undefined);
    onLost(error);
  };
  client.on('error', lose);
  client.on('end', () => lose(new Error('the listener connection ended')));
  client.on('notification', (message) => {
    if (message.channel === channel) onNotice(message.payload ?? '');
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${channel}`);
  } catch (error) {
    closing = true;
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    async close() {
      closing = true;
      await client.end().catch(() => undefined);
    },
  };
}

export interface KeptListenerOptions {
  /** Names the listener in the log ("… could not connect; retrying"). */
  name: string;
  /** Opens one LISTEN (e.g. listenOnChannel); `onLost` as listenOnChannel's. Called again after each loss. */
  listen(onLost: (error: Error) => void): Promise<ChannelListener>;
  /**
   * Called each time a connection is listening. `afterGap` is true when notices may have gone
   * unheard since the last one: an earlier attempt failed, or the connection was lost.
   */
  onListening?(afterGap: boolean): void;
  /** Called when the connection is lost, after `listening` turned false and before the next attempt is scheduled. */
  onLost(error: Error): void;
  logger: Logger;
  /** Milliseconds between attempts to listen again after a failed attempt or a lost connection. @default 1000 */
  reconnectDelayMs?: number;
}

/** A LISTEN kept up: re-established in the background whenever it fails or is lost, until closed. */
export interface KeptListener {
  /** True while a connection is listening. */
  readonly listening: boolean;
  /** One attempt to listen; resolves once it ended (a failed one only schedules the next). */
  start(): Promise<void>;
  /** Idempotent; waits for an attempt under way, so no connection outlives the gateway. */
  close(): Promise<void>;
}

/**
 * The one listen-and-reconnect loop of the gateway, under the API key revocations and the data-change
 * notices. What a gap means differs between them and stays with the caller (`onLost`, `onListening`):
 * the key registry stops caching and drops its cache, the data-change listener drops cached answers.
 * A database that is down only delays listening. A connection that comes after close() is closed at
 * once: kept, it would outlive the gateway and keep its process from exiting.
 */
export function keepListening(options: KeptListenerOptions): KeptListener {
  const reconnectDelayMs = options.reconnectDelayMs ?? 1000;
  let listener: ChannelListener | null = null;
  let closed = false;
  let closing: Promise<void> | null = null;
  // A notice sent while no listener was connected reached no one.
  let gap = false;
  let timer: NodeJS.Timeout | null = null;
  let attempt: Promise<void> = Promise.resolve();

  const scheduleAttempt = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (!closed) void start();
    }, reconnectDelayMs);
    timer.unref();
  };

  const lost = (error: Error) => {
    if (closed) return;
    listener = null;
    gap = true;
    options.onLost(error);
    scheduleAttempt();
  };

  const connect = async (): Promise<void> => {
    let next: ChannelListener;
    try {
      next = await options.listen(lost);
    } catch (error) {
      if (closed) return;
      gap = true;
      options.logger.warn(`${options.name} could not connect; retrying`, { error: error instanceof Error ? error.message : String(error) });
      scheduleAttempt();
      return;
    }
    if (closed) {
      await next.close();
      return;
    }
    listener = next;
    const afterGap = gap;
    gap = false;
    options.onListening?.(afterGap);
  };

  const start = (): Promise<void> => {
    attempt = connect();
    return attempt;
  };

  return {
    get listening() {
      return listener !== null;
    },
    start,
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
