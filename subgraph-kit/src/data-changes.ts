import { bumpDataVersion, DATA_CHANGED_CHANNEL, type DataVersionBump } from '@regiograph/shared';

/** Whom an announced change reached: the gateways' shared store, and the gateways listening on the database. */
export interface DataChangeAnnouncement {
  sharedStore: DataVersionBump;
  /** False when the notice could not be sent (the database went away after the write). */
  notified: boolean;
}

/**
 * Tells running gateways that a writer outside them changed data, so that none serves an answer
 * computed before: the shared data version in Redis (gateways sharing their cache, when REDIS_URL is
 * set here too), and a NOTIFY on DATA_CHANGED_CHANNEL for gateways without Redis, which cache in
 * their own memory. Call it after the commit (`pool`: a pool or one connection): a
 * gateway that recomputed an answer before the commit would cache the old data again.
 */
export async function announceDataChange(
  pool: { query(text: string, values: unknown[]): Promise<unknown> },
  source: string,
): Promise<DataChangeAnnouncement> {
  const sharedStore = await bumpDataVersion();
  const notified = await pool.query('SELECT pg_notify($1, $2)', [DATA_CHANGED_CHANNEL, source]).then(
    () => true,
    () => false,
  );
  return { sharedStore, notified };
}
