import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { readReplicas } from '@prisma/extension-read-replicas';
import { PrismaClient } from './generated/prisma/client';

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
  /** Read replicas of `url`: queries outside transactions go to one of them, everything else to `url`. */
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
  close(): Promise<void>;
}

type QueryArgument = string | { text?: string };

function createPool(url: string, options: DatabaseClientOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName,
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
 * With replicas, Prisma's read-replica extension sends reads to them and writes to the primary.
 */
export function createDatabaseClient(options: DatabaseClientOptions): DatabaseClient {
  const pool = createPool(options.url, options);
  const primary = new PrismaClient({ adapter: new PrismaPg(pool) });
  const replicaPools = (options.replicaUrls ?? []).map((url) => createPool(url, options));
  const replicas = replicaPools.map((replicaPool) => new PrismaClient({ adapter: new PrismaPg(replicaPool) }));
  // The extension only adds $primary()/$replica() to the client's API; the models stay the same.
  const prisma = replicas.length > 0 ? (primary.$extends(readReplicas({ replicas })) as unknown as PrismaClient) : primary;
  return {
    prisma,
    pool,
    replicaPools,
    async close() {
      await Promise.all([primary, ...replicas].map((client) => client.$disconnect()));
      await Promise.all([pool, ...replicaPools].map((each) => each.end().catch(() => undefined)));
    },
  };
}
