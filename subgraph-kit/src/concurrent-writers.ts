// For tests of concurrent writers, which must not depend on timing: another writer's transaction
// held open at a chosen point, and a wait until a request under test is blocked by its locks. In the
// kit so that every subgraph's tests share one copy.
import type { Prisma, PrismaClient, RawExecutor } from '@regiograph/db';

/** A transaction kept open, with its locks, after its work ran. */
export interface HeldTransaction {
  /** Resolves once the work has run (its changes are made, not committed). */
  holding: Promise<void>;
  /** Lets the transaction commit. */
  release(): void;
  /** Resolves once it committed; rejects when the work failed. */
  done: Promise<void>;
}

/** Runs `work` in a transaction that stays open, holding its locks, until `release` is called. */
export function holdTransaction(prisma: PrismaClient, work: (tx: Prisma.TransactionClient) => Promise<void>): HeldTransaction {
  let release!: () => void;
  let markHolding!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const holding = new Promise<void>((resolve) => (markHolding = resolve));
  const done = prisma.$transaction(
    async (tx) => {
      await work(tx);
      markHolding();
      await gate;
    },
    { timeout: 60_000 },
  );
  // A failed work must not leave `holding` pending: the test awaits it first.
  void done.catch(() => markHolding());
  return { holding, release, done };
}

/**
 * Resolves once some session of this database waits for a lock (a row, another transaction or an
 * advisory lock), or once `settled()` says the request under test has already answered: then it did
 * not wait, and the test's assertions tell whether that was right.
 */
export async function untilALockIsAwaited(sql: RawExecutor, settled: () => boolean): Promise<void> {
  while (!settled()) {
    const [row] = await sql.$queryRaw<{ waiting: number }>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (row!.waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
