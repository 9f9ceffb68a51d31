import type { DatabaseClient } from '@regiograph/db';
import type { Logger } from '@regiograph/shared';

type Pool = DatabaseClient['pool'];

/** What a PostgreSQL server lets clients that are not superusers open (SHOW max_connections and the slots it keeps back). */
export interface ServerConnectionLimits {
  maxConnections: number;
  /** superuser_reserved_connections and, from PostgreSQL 16, reserved_connections (for roles with pg_use_reserved_connections). */
  reservedConnections: number;
}

/** A pool of one subgraph replica that would need more connections than its server allows, with the figures. */
export interface PoolBeyondServer {
  /** Which of the replica's pools: `primary` (DATABASE_URL) or `read replica <n>` (DATABASE_REPLICA_URLS, from 1). */
  pool: string;
  poolMax: number;
  maxConnections: number;
  reservedConnections: number;
  /** What the server allows the pool's role, a role without superuser or reserved slots. */
  available: number;
}

/**
 * The pool, if any, that alone exceeds what its server allows: then every other client, the other
 * replicas included, is already out of connections before this replica's pool is full, and its
 * requests fail with `too many clients already` under load rather than waiting for a connection.
 */
export function poolBeyondServer(pool: string, poolMax: number, limits: ServerConnectionLimits): PoolBeyondServer | null {
  const available = limits.maxConnections - limits.reservedConnections;
  return poolMax > available ? { pool, poolMax, ...limits, available } : null;
}

async function readServerLimits(pool: Pool): Promise<ServerConnectionLimits> {
  // current_setting(…, true) is null where a setting does not exist (reserved_connections before 16).
  const { rows } = await pool.query<{ max: string; superuser: string; reserved: string | null }>(
    `SELECT current_setting('max_connections') AS max, current_setting('superuser_reserved_connections') AS superuser,
            current_setting('reserved_connections', true) AS reserved`,
  );
  const row = rows[0]!;
  return { maxConnections: Number(row.max), reservedConnections: Number(row.superuser) + Number(row.reserved ?? 0) };
}

/**
 * Asks each server a replica's pools connect to for its limits, once at start, and warns of a pool
 * that alone exceeds them (DATABASE_POOL_MAX above the server's max_connections less its reserved
 * slots). Only warns: the server's setting may be raised without restarting the subgraphs, and a
 * replica that refused to start would take away capacity rather than add it. A server that cannot be
 * asked is left to readiness and the pool's own errors.
 */
export async function warnOfPoolsBeyondServers(
  database: Pick<DatabaseClient, 'pool' | 'replicaPools'>,
  logger: Logger,
): Promise<PoolBeyondServer[]> {
  const pools = [
    { name: 'primary', pool: database.pool },
    ...database.replicaPools.map((pool, index) => ({ name: `read replica ${index + 1}`, pool })),
  ];
  const beyond: PoolBeyondServer[] = [];
  for (const { name, pool } of pools) {
    let limits: ServerConnectionLimits;
    try {
      limits = await readServerLimits(pool);
    } catch (error) {
      logger.debug('could not read the connection limits of a database server', {
        pool: name,
        error: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    const found = poolBeyondServer(name, pool.options.max, limits);
    if (!found) continue;
    beyond.push(found);
    logger.warn(
      `the ${name} pool may open ${found.poolMax} connections, more than the ${found.available} its server allows (max_connections ${found.maxConnections}, ${found.reservedConnections} reserved): lower DATABASE_POOL_MAX or raise max_connections`,
      { connectionLimits: found },
    );
  }
  return beyond;
}
