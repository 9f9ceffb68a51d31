import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client';
import { createRoutingPool } from './replicas';

/**
 * Counts the SQL statements a process sends to PostgreSQL. Tests read it to assert that an
 * operation costs a constant number of statements, the deterministic stand-in for speed.
 */
export class SqlStatementCounter {
  private total = 0;
  readonly statements: string[] = [];
  constructor(private readonly keepText = false) {}

  record(text: string): void {
    this.total += 1;
    if (this.keepText) this.statements.push(text);
  }

  get count(): number {
    return this.total;
  }

  reset(): void {
    this.total = 0;
    this.statements.length = 0;
  }
}

/** Statements that only frame a transaction, not queries an operation asks for. */
const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i;

export interface DatabaseClientOptions {
  url: string;
  /**
   * Streaming replicas of `url`: reads outside transactions go to one that has replayed the
   * request's read-after LSN (see replicas.ts), everything else and every fallback to `url`.
   */
  replicaUrls?: readonly string[];
  /** Largest number of open connections of this client's pool. */
  maxConnections?: number;
  counter?: SqlStatementCounter;
  /** The pool's connections use this application_name: PostgreSQL's views then tell who is who. */
  applicationName?: string;
}

export interface DatabaseClient {
  prisma: PrismaClient;
  /** The primary's pool (raw SQL that must see the latest writes goes here). */
  pool: pg.Pool;
  /** Pools of the read replicas, empty without replicas. */
  replicaPools: pg.Pool[];
  /** For raw reads: routes like Prisma's reads (a current replica, else the primary). */
  readPool: pg.Pool;
  close(): Promise<void>;
}

type QueryArgument = string | { text?: string };

function createPool(url: string, options: DatabaseClientOptions & { connectTimeoutMs?: number }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectTimeoutMs,
  });
  const counter = options.counter;
  if (counter) {
    // Count at the connection, below Prisma: one entry per statement PostgreSQL receives.
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const first = args[0] as QueryArgument;
        const text = typeof first === 'string' ? first : (first.text ?? '');
        if (!TRANSACTION_CONTROL.test(text)) counter.record(text);
        return query(...args);
      };
    });
  }
  return pool;
}

/**
 * A Prisma client on node-postgres pools through the pg driver adapter (no Rust query engine).
 * With replicas, its pool routes each read to a replica that is current enough for the request and
 * everything else to the primary (Prisma's read-replica extension cannot see a request's LSN).
 */
export function createDatabaseClient(options: DatabaseClientOptions): DatabaseClient {
  const pool = createPool(options.url, options);
  const replicaPools = (options.replicaUrls ?? []).map((url) => {
    // A replica that is down must fail a connection attempt quickly: the read then goes to the primary.
    const replicaPool = createPool(url, { ...options, connectTimeoutMs: 2_000 });
    // Idle connections of a replica that restarts emit errors; unhandled, they would end the process.
    replicaPool.on('error', () => undefined);
    return replicaPool;
  });
  const readPool = createRoutingPool(pool, replicaPools);
  const prisma = new PrismaClient({ adapter: new PrismaPg(readPool) });
  return {
    prisma,
    pool,
    replicaPools,
    readPool,
    async close() {
      await prisma.$disconnect();
      await Promise.all([pool, ...replicaPools].map((each) => each.end().catch(() => undefined)));
    },
  };
}
