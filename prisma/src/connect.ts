import pg from 'pg';

/**
 * A connected pg client for a few statements (an administrative step, a migration run, a lock).
 *
 * PostgreSQL ends the connections of a server that shuts down, or that an administrator terminates
 * (57P01). pg reports that on a client between statements as an 'error' event, and an 'error' event
 * without a listener ends the Node process: a fast shutdown of the chaos run's cluster, while it was
 * still creating its database, crashed the run with exit code 1 and left its folder behind. With the
 * listener here the next statement, or `end()`, fails instead; a statement in flight fails as before.
 */
export async function connectClient(config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client(config);
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}
