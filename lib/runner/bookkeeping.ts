/**
 * The run loop's bookkeeping around a step that runs outside a transaction (every migration on
 * MySQL/MariaDB; `transaction: 'none'` or opted-out ones elsewhere): its marker before it, its
 * history row after it, in the order progress.ts explains, and the lock check for the next step.
 */
import type { Sequelize, Transaction } from 'sequelize';
import type { LoadedStep, RunContext } from './run';
import { transactionFor } from './transaction-context';

/** The lock is still held (checked before each migration), or the check markDone began for it. */
export async function checkLock(ctx: RunContext): Promise<void> {
  const checked = ctx.carried?.lockChecked;
  if (!checked) return ctx.lock?.verify?.();
  if (ctx.carried) ctx.carried.lockChecked = null;
  const error = await checked;
  if (error) throw error;
}

/**
 * Before a step that runs outside a transaction: a marker, and for `down` the history row goes
 * in the same transaction (see progress.ts for why this order reads right after a crash at any
 * point). Row writes that belong together share a transaction: on MySQL each commit is a disk
 * flush, the cost of bookkeeping there.
 */
export async function markStart(ctx: RunContext, step: LoadedStep): Promise<void> {
  await ctx.progress.ensure();
  if (step.direction === 'up') {
    // A run is all up or all down: only an up leaves a marker to carry.
    const carried = ctx.carried?.name ?? null;
    if (ctx.carried) ctx.carried.name = null;
    if (carried && ctx.progress.move && (await ctx.progress.move(carried, step.storedName, 'up'))) return;
    return ctx.progress.begin(step.storedName, 'up', null);
  }
  await bookkeeping(ctx, async (t) => {
    await ctx.progress.begin(step.storedName, 'down', t);
    await ctx.history.unlogMigration([step.storedName, ...(step.replaced ?? []).map((r) => r.storedName)], t);
  });
}

/**
 * After such a step: up records its history row, in one statement where it is one row (a
 * baseline's replaced rows go in a transaction: all or none), and leaves its marker, now harmless,
 * for the next step to move (progress.ts) or the run's end to clear.
 */
export async function markDone(ctx: RunContext, step: LoadedStep, durationMs: number): Promise<void> {
  if (step.direction === 'down') return ctx.progress.finish([step.storedName], null);
  // The next step's lock check goes beside the write (another connection): one round trip less.
  const lockChecked = ctx.carried && ctx.lock?.verify ? ctx.lock.verify().then(() => null, (error: unknown) => error) : null;
  if ((step.replaced ?? []).length === 0) await recordUp(ctx, step, durationMs, null);
  else await bookkeeping(ctx, (t) => recordUp(ctx, step, durationMs, t));
  if (ctx.carried) ctx.carried.lockChecked = lockChecked;
  if (ctx.carried && ctx.progress.move) ctx.carried.name = step.storedName;
  else await ctx.progress.finish([step.storedName], null);
}

/** The history row of an `up`, and those of the migrations a baseline replaces (lib/squash). */
export async function recordUp(ctx: RunContext, step: LoadedStep, durationMs: number, transaction: Transaction | null): Promise<void> {
  const appliedAt = new Date();
  const rows = [
    { storedName: step.storedName, checksum: step.source.checksum(), appliedAt, durationMs },
    ...(step.replaced ?? []).map((row) => ({ ...row, appliedAt, durationMs: null })),
  ];
  if (rows.length > 1 && ctx.history.insertMany) await ctx.history.insertMany(rows, transaction);
  else for (const row of rows) await ctx.history.logMigration(row, transaction);
}

/** Undoes markStart after a step that failed before changing anything. */
export async function unmarkStart(ctx: RunContext, step: LoadedStep): Promise<void> {
  const applied = step.applied;
  await bookkeeping(ctx, async (t) => {
    if (step.direction === 'down') {
      const row = { storedName: step.storedName, checksum: applied?.checksum ?? null, appliedAt: applied?.appliedAt ?? null, durationMs: applied?.durationMs ?? null };
      await ctx.history.logMigration(row, t);
      for (const replaced of step.replaced ?? []) await ctx.history.logMigration({ ...replaced, appliedAt: null, durationMs: null }, t);
    }
    await ctx.progress.finish([step.storedName], t);
  });
  // Earlier steps of this run cleared theirs: no marker is left, the table goes.
  await ctx.progress.drop();
}

/** Row writes in one plain transaction (no dialect hooks: no schema change happens in it). */
async function bookkeeping(ctx: RunContext, fn: (transaction: Transaction) => Promise<void>): Promise<void> {
  const transaction = await newTransaction(ctx.sequelize);
  try {
    await fn(transaction);
  } catch (error) {
    await transaction.rollback().catch(() => undefined);
    throw error;
  }
  await transaction.commit();
}

async function newTransaction(sequelize: Sequelize): Promise<Transaction> {
  const transaction = transactionFor(sequelize);
  await transaction.prepareEnvironment(false);
  return transaction;
}
