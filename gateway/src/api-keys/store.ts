import pg from 'pg';
import { listenOnChannel, type ChannelListener } from '../notices';
import { generateApiKey } from './key';

/**
 * The lookups' pool unless API_KEYS_POOL_MAX says otherwise (shared's settings list holds the same
 * figure): a burst of partners whose keys are not cached yet queues for it.
 */
export const API_KEYS_POOL_MAX = 10;

/** Revocations are announced on this channel (payload: the key id), so every gateway drops the key at once. */
export const REVOCATION_CHANNEL = 'regiograph_api_key_revoked';

export interface ApiKeyRecord {
  id: string;
  name: string;
  secretHash: string;
  scopes: string[];
  costPointsPerWindow: number | null;
  requestsPerWindow: number | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface IssueOptions {
  name: string;
  scopes: string[];
  costPointsPerWindow?: number | null;
  requestsPerWindow?: number | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  secret_hash: string;
  scopes: string[];
  cost_points_per_window: number | null;
  requests_per_window: number | null;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'id, name, secret_hash, scopes, cost_points_per_window, requests_per_window, created_at, revoked_at';

function recordOf(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    scopes: row.scopes,
    costPointsPerWindow: row.cost_points_per_window,
    requestsPerWindow: row.requests_per_window,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

export interface ApiKeyStoreOptions {
  /**
   * How long getting a connection may take (including the wait for a free one in the pool) before
   * the store counts as unreachable. Generous: a gateway busy shaping large answers reads replies
   * late, and a burst of partners whose keys are not cached yet queues for the pool.
   * @default 5000
   */
  connectTimeoutMs?: number;
  /** How long one lookup may take. @default 5000 */
  queryTimeoutMs?: number;
  /** Connections for lookups (the gateway's API_KEYS_POOL_MAX). @default API_KEYS_POOL_MAX */
  maxConnections?: number;
}

/**
 * The table `access.api_key` (created by the Prisma migrations), read and written with plain `pg`:
 * the gateway depends on no Prisma. Used by the gateway (lookups) and the `keys` CLI (the rest).
 */
export class ApiKeyStore {
  private readonly pool: pg.Pool;

  constructor(
    private readonly databaseUrl: string,
    private readonly options: ApiKeyStoreOptions = {},
  ) {
    this.pool = new pg.Pool({
      connectionString: databaseUrl,
      max: options.maxConnections ?? API_KEYS_POOL_MAX,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      query_timeout: options.queryTimeoutMs ?? 5000,
      idleTimeoutMillis: 10_000,
    });
    // An idle connection dropped by the server must not crash the gateway: the next lookup reconnects.
    this.pool.on('error', () => undefined);
  }

  /**
   * The PostgreSQL connections it holds at most: its pool's and the revocation listener's own
   * (listen). What one gateway replica takes of the server's max_connections (docs/operations.md, Capacity).
   */
  get connectionsAtMost(): number {
    return this.pool.options.max + 1;
  }

  async find(id: string): Promise<ApiKeyRecord | null> {
    const { rows } = await this.pool.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM access.api_key WHERE id = $1`, [id]);
    return rows[0] ? recordOf(rows[0]) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.pool.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM access.api_key ORDER BY created_at, id`);
    return rows.map(recordOf);
  }

  /** Stores a new key and returns it with the whole key, which exists nowhere else afterwards. */
  async issue(options: IssueOptions): Promise<{ record: ApiKeyRecord; key: string }> {
    const generated = generateApiKey();
    const { rows } = await this.pool.query<ApiKeyRow>(
      `INSERT INTO access.api_key (id, name, secret_hash, scopes, cost_points_per_window, requests_per_window)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        generated.id,
        options.name,
        generated.secretHash,
        options.scopes,
        options.costPointsPerWindow ?? null,
        options.requestsPerWindow ?? null,
      ],
    );
    return { record: recordOf(rows[0]!), key: generated.key };
  }

  /**
   * Revokes a key and announces it in the same transaction (NOTIFY is delivered at commit, so no
   * gateway hears of a revocation that did not happen). False when no unrevoked key has this id.
   */
  async revoke(id: string): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rowCount } = await client.query('UPDATE access.api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
      // Announced even for a key revoked before: a gateway that missed the first notice drops it now.
      await client.query('SELECT pg_notify($1, $2)', [REVOCATION_CHANNEL, id]);
      await client.query('COMMIT');
      return (rowCount ?? 0) > 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Listens for revocations on a connection of its own. `onLost` is called once when that
   * connection fails or ends; the caller reconnects by listening again.
   */
  async listen(onRevoked: (id: string) => void, onLost: (error: Error) => void): Promise<ChannelListener> {
    return listenOnChannel(
      this.databaseUrl,
      REVOCATION_CHANNEL,
      (id) => {
        if (id) onRevoked(id);
      },
      onLost,
      this.options.connectTimeoutMs,
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
