import pg from 'pg';

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
