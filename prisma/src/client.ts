import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
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
  /** Largest number of open connections of this client's pool. */
  maxConnections?: number;
  counter?: SqlStatementCounter;
  /** The pool's connections use this application_name: PostgreSQL's views then tell who is who. */
  applicationName?: string;
}

export interface DatabaseClient {
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

type QueryArgument = string | { text?: string };

/** A Prisma client on a node-postgres pool through the pg driver adapter (no Rust query engine). */
export function createDatabaseClient(options: DatabaseClientOptions): DatabaseClient {
  const pool = new pg.Pool({
    connectionString: options.url,
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
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}
