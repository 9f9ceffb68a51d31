// Bulk writes (the seed, an import: hundreds of thousands of rows in a few statements) run on a
// node-postgres connection instead of Prisma: Prisma's client keeps the arguments of its last 100
// internal debug calls for its error reports, whether debugging is on or not, and those include each
// raw statement's parameters — megabytes per batch, held until 100 later Prisma calls push them out
// (docs/benchmarks.md, "Memory"). The statements stay in Prisma's tagged-template form, so code that
// writes them runs unchanged on either.
import type pg from 'pg';
import { Prisma } from './generated/prisma/client';

/** What a bulk write needs of a connection: Prisma's `$executeRaw` and `$queryRaw`, which a Prisma transaction also offers. */
export interface RawExecutor {
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number>;
  /**
   * The statement's rows. Prisma and node-postgres read some types differently (bigint, numeric,
   * timestamps): select int, float8, text and boolean columns for the same rows on either.
   */
  $queryRaw<Row>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<Row[]>;
}

/**
 * A parameter as Prisma sends it. node-postgres would write a Date in the process's time zone, so
 * that `::date` took the local calendar day of an instant Prisma means in UTC.
 */
function asPrismaSends(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(asPrismaSends);
  return value;
}

/** `$executeRaw` and `$queryRaw` on one node-postgres connection: the same statement text and parameters Prisma would send. */
function executorOn(client: pg.PoolClient): RawExecutor {
  const run = (query: TemplateStringsArray | Prisma.Sql, values: unknown[]) => {
    const statement = query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values);
    return client.query(statement.text, statement.values.map(asPrismaSends));
  };
  return {
    async $executeRaw(query, ...values) {
      return (await run(query, values)).rowCount ?? 0;
    },
    async $queryRaw<Row>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      return (await run(query, values)).rows as Row[];
    },
  };
}

/** Runs `work` in one transaction on a connection of `pool`: committed when it resolves, rolled back when it throws. */
export async function inRawTransaction<T>(pool: pg.Pool, work: (sql: RawExecutor) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection the server ends while it is checked out emits 'error', which nobody would hear (an
  // unhandled 'error' event ends the process); the statement that fails reports it to `work`.
  const reportedByTheStatement = () => undefined;
  client.on('error', reportedByTheStatement);
  // A connection whose ROLLBACK failed may still be inside the transaction: the pool drops it.
  let reusable = true;
  try {
    await client.query('BEGIN');
    const result = await work(executorOn(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    reusable = await client.query('ROLLBACK').then(
      () => true,
      () => false,
    );
    throw error;
  } finally {
    client.off('error', reportedByTheStatement);
    client.release(!reusable);
  }
}
