import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { connectClient } from './connect';
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

/**
 * How a statement PostgreSQL received ended: answered, failed, stopped by its statement_timeout, or
 * cancelled (pg_cancel_backend for an abandoned request, an operator's cancel, lock_timeout).
 */
export type StatementOutcome = 'ok' | 'error' | 'statement_timeout' | 'cancelled';

/** PostgreSQL's query_canceled (57014) and lock_not_available (55P03), as pg's DatabaseError carries them in `code`. */
const QUERY_CANCELED = '57014';
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * The outcome of a statement that failed with `error`. PostgreSQL reports a statement_timeout and a
 * cancel with the same code (57014); only the message tells them apart.
 */
export function statementOutcome(error: unknown): StatementOutcome {
  if (error === null || error === undefined) return 'ok';
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === QUERY_CANCELED)
    return typeof message === 'string' && message.includes('statement timeout') ? 'statement_timeout' : 'cancelled';
  return code === LOCK_NOT_AVAILABLE ? 'cancelled' : 'error';
}

/** Told of every statement the client's connections send (transaction control left out, as the counter does). */
export type StatementObserver = (outcome: StatementOutcome, seconds: number) => void;

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
  /** Told how each statement ended and how long PostgreSQL took for it (metrics). */
  observeStatement?: StatementObserver;
  /** The pool's connections use this application_name: PostgreSQL's views then tell who is who. */
  applicationName?: string;
  /** PostgreSQL's statement_timeout for every statement of this client (milliseconds; none when absent). */
  statementTimeoutMs?: number;
  /**
   * The signal of the request a statement is sent for (the caller has hung up when it aborts): a
   * statement is not sent for an abandoned request, and one running when it aborts is cancelled
   * with pg_cancel_backend, so PostgreSQL stops working for nobody.
   */
  requestSignal?: () => AbortSignal | undefined;
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

/** What bulk writers (seeds, imports) use: Prisma for reads and small writes, the primary's pool for the bulk (`inRawTransaction`). */
export type BulkWriter = Pick<DatabaseClient, 'prisma' | 'pool'>;

type QueryArgument = string | { text?: string };

type Query = (...args: unknown[]) => unknown;

/** Raised instead of sending a statement for a request whose caller has gone. */
export class RequestAbandonedError extends Error {
  override readonly name = 'RequestAbandonedError';
  constructor() {
    super('The request was abandoned by its caller; its database work was stopped.');
  }
}

/**
 * How long a cancel may take to connect and be answered. The statement it is for waits for it (see
 * instrument()): a database that does not answer must not hold that statement's outcome for long.
 */
const CANCEL_TIMEOUT_MS = 2_000;

/** Asks PostgreSQL, on a connection of its own, to cancel what backend `pid` is running. */
async function cancelBackend(url: string, pid: number): Promise<void> {
  let client: pg.Client | undefined;
  try {
    client = await connectClient({
      connectionString: url,
      application_name: 'regiograph-cancel',
      connectionTimeoutMillis: CANCEL_TIMEOUT_MS,
      query_timeout: CANCEL_TIMEOUT_MS,
    });
    await client.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    // The statement finished meanwhile, or the database is gone: nothing is left to cancel.
  } finally {
    await client?.end().catch(() => undefined);
  }
}

/** A connection's query that tells `observe` how each statement ended and how long it took, whether called with a callback or awaited. */
function observed(query: Query, observe: StatementObserver): Query {
  return (...args: unknown[]) => {
    const started = process.hrtime.bigint();
    const settle = (error: unknown) => observe(statementOutcome(error), Number(process.hrtime.bigint() - started) / 1e9);
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      return query(...args.slice(0, -1), (error: unknown, ...results: unknown[]) => {
        settle(error);
        (callback as (...results: unknown[]) => void)(error, ...results);
      });
    }
    const result = query(...args);
    // A branch of its own: the caller still gets (and handles) the statement's own promise.
    if (result instanceof Promise) result.then(() => settle(null), settle);
    return result;
  };
}

/**
 * Wraps a connection's query: counted (below Prisma, one entry per statement PostgreSQL receives)
 * and tied to the request it runs for, so that an abandoned request sends no more statements and
 * the one running is cancelled.
 */
function instrument(client: pg.PoolClient, url: string, options: DatabaseClientOptions): void {
  const query = client.query.bind(client) as Query;
  const { counter, requestSignal, observeStatement } = options;
  (client as unknown as { query: Query }).query = (...args: unknown[]) => {
    const first = args[0] as QueryArgument;
    const text = typeof first === 'string' ? first : (first.text ?? '');
    const signal = requestSignal?.();
    const callback = args.at(-1);
    if (signal?.aborted && !TRANSACTION_CONTROL.test(text)) {
      // Answered the way the caller asked (pg-pool's own query() passes a callback, Prisma's adapter awaits).
      if (typeof callback !== 'function') return Promise.reject(new RequestAbandonedError());
      process.nextTick(() => (callback as (error: Error) => void)(new RequestAbandonedError()));
      return undefined;
    }
    const counted = !TRANSACTION_CONTROL.test(text);
    if (counter && counted) counter.record(text);
    const send = observeStatement && counted ? observed(query, observeStatement) : query;
    if (!signal) return send(...args);
    const pid = (client as unknown as { processID?: number }).processID;
    // pg_cancel_backend cancels whatever the backend runs when the cancel arrives. A statement that
    // ends before it does (the cancel needs a connection of its own) must not hand the connection
    // back meanwhile: the pool would give it to another request, whose statement the late cancel
    // would then stop (seen in the benchmark: "canceling statement due to user request" for a caller
    // that never hung up). So the statement's outcome is held until the cancel has been delivered; a
    // cancel reaching an idle backend is ignored by PostgreSQL.
    let cancelling: Promise<void> | null = null;
    const cancel = () => {
      if (pid !== undefined) cancelling = cancelBackend(url, pid);
    };
    signal.addEventListener('abort', cancel, { once: true });
    const done = () => signal.removeEventListener('abort', cancel);
    if (typeof callback === 'function') {
      return send(...args.slice(0, -1), (...results: unknown[]) => {
        done();
        const settle = () => (callback as (...results: unknown[]) => void)(...results);
        if (cancelling) void cancelling.then(settle);
        else settle();
      });
    }
    const result = send(...args);
    if (result instanceof Promise)
      return result.finally(async () => {
        done();
        await cancelling;
      });
    done();
    return result;
  };
}

/**
 * Sends a connection's statements one after the other. Prisma's query interpreter loads the relations
 * of an `include` in parallel (prisma/orm#29979), which on a transaction's one connection left the
 * queueing to pg's own query queue: deprecated since pg 8.19, an error in pg 9. Queued here, each
 * statement leaves only when the one before has been answered, which is what pg's queue did. Wrapped
 * around the instrumentation, so a statement queued for a request that is abandoned meanwhile is not
 * sent. Only promise calls are queued: a callback call is pg-pool's own `pool.query`, one statement on
 * a connection of its own.
 */
function sendOneAtATime(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  let inFlight = 0;
  let previous: Promise<unknown> = Promise.resolve();
  (client as unknown as { query: Query }).query = (...args: unknown[]) => {
    if (typeof args.at(-1) === 'function') return query(...args);
    const settled = () => {
      inFlight -= 1;
    };
    const result = inFlight === 0 ? Promise.resolve(query(...args)) : previous.then(() => query(...args));
    inFlight += 1;
    previous = result.then(settled, settled);
    return result;
  };
}

function createPool(url: string, options: DatabaseClientOptions & { connectTimeoutMs?: number }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectTimeoutMs,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  pool.on('connect', (client) => {
    if (options.counter || options.requestSignal || options.observeStatement) instrument(client, url, options);
    sendOneAtATime(client);
  });
  // PostgreSQL ends idle connections when it restarts or a database is dropped. The pool then
  // discards the connection and emits an error: with no listener, that error would end the process.
  // Prisma's adapter listens only while it is connected, so the pool always listens as well.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * A Prisma client on node-postgres pools through the pg driver adapter (no Rust query engine).
 * With replicas, its pool routes each read to a replica that is current enough for the request and
 * everything else to the primary (Prisma's read-replica extension cannot see a request's LSN).
 */
export function createDatabaseClient(options: DatabaseClientOptions): DatabaseClient {
  const pool = createPool(options.url, options);
  // A replica that is down must fail a connection attempt quickly: the read then goes to the primary.
  const replicaPools = (options.replicaUrls ?? []).map((url) => createPool(url, { ...options, connectTimeoutMs: 2_000 }));
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
