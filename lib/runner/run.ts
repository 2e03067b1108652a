import { performance } from 'node:perf_hooks';
import type { QueryInterface, Sequelize, Transaction } from 'sequelize';
import type { AppliedInfo, Direction, Hooks, Logger, StepResult, TransactionMode } from '../../types/options';
import type { Dialect, HeldLock } from '../dialects/dialect';
import { HistoryTableError, NoDownError, OptionsError, describeError } from '../errors';
import type { History, Markers } from './contract';
import type { ReplacedRow } from '../squash/replaces';
import type { LoadedMigration, MigrationSource } from './sources';
import { BatchedHistory } from './batched-history';
import { keepAliveDuringStep } from './keep-alive';
import { QueryTracker, StepScope, describeCall } from './query-tracker';
import { checkLock, markDone, markStart, recordUp, unmarkStart } from './bookkeeping';
import { failure } from './step-failure';
import { StepStuck, cancelRunning, watchStep } from './step-watch';
import { installNamespace, runInTransaction, transactionFor } from './transaction-context';

export interface RunContext {
  readonly sequelize: Sequelize;
  readonly dialect: Dialect;
  readonly history: History;
  /** Markers for steps that run outside a transaction (see progress.ts). */
  readonly progress: Markers;
  readonly mode: TransactionMode;
  readonly logger: Logger;
  readonly hooks: Hooks;
  /** The longest a step may run (`stepTimeoutMs`); null: no bound. */
  readonly stepTimeoutMs: number | null;
  /** The run's lock, checked before each migration; absent without a lock. */
  readonly lock?: HeldLock;
  /**
   * A schema tenant (`createMigrator({ schema })`): `enter` runs first in every migration
   * transaction; a step that would run outside one is refused (`refuseOutside`), before anything ran.
   */
  readonly scope?: { enter(transaction: Transaction): Promise<void>; refuseOutside(migration: string): Error; queryInterface: QueryInterface };
  /**
   * A fresh database (runner/fresh.ts): every step in one transaction where DDL is transactional
   * and no step opts out, the history table created inside it, so a failure leaves nothing.
   */
  readonly fresh?: boolean;
  /**
   * The marker a completed step left (its history row written, so harmless), moved to the next
   * step that needs one instead of removed (progress.ts); set by runSteps for its run.
   */
  readonly carried?: {
    name: string | null;
    /** The lock check for the next step, started beside the history row's write (markDone): its error, or null. */
    lockChecked: Promise<unknown> | null;
  };
}

export interface Step {
  readonly source: MigrationSource;
  readonly direction: Direction;
  /** The history row's name: the file name for `up`, the stored row for `down`. */
  readonly storedName: string;
  /** For `down`: the history row, restored if the step fails having changed nothing. */
  readonly applied?: AppliedInfo;
  /** A squashed baseline's replaced migrations (lib/squash): rows written or removed with its own. */
  readonly replaced?: readonly ReplacedRow[];
  /** A baseline on a database that ran what it replaces: its history row only, nothing runs. */
  readonly recordOnly?: boolean;
}

export interface LoadedStep extends Step {
  readonly fn: (params: unknown, S: unknown) => unknown;
  readonly transactional: boolean;
}

/**
 * Runs steps in order: load every module first (a syntax error in the third file must not leave
 * the first two applied), then for each step: transaction -> migration -> history row -> commit.
 */
export async function runSteps(ctx: RunContext, steps: readonly Step[]): Promise<StepResult[]> {
  if (steps.length === 0) return [];
  const loaded = await Promise.all(steps.map((step) => loadStep(ctx, step)));
  const transactionalDDL = ctx.dialect.capabilities.transactionalDDL;
  if (transactionalDDL && ctx.mode === 'all') refuseOptOut(loaded);
  const fresh = transactionalDDL && ctx.fresh === true && loaded.every((s) => s.transactional);
  const allInOne = fresh || (transactionalDDL && ctx.mode === 'all');
  const names = steps.filter((s) => s.direction === 'up').flatMap((s) => [s.storedName, ...(s.replaced ?? []).map((r) => r.storedName)]);
  // Created only now: bad input (a file that does not load) changes nothing in the database.
  // On a fresh database, inside the one transaction: a failure leaves no history table either.
  if (!fresh) await ctx.history.prepare(names);
  ctx = { ...ctx, carried: { name: null, lockChecked: null } };
  const tracker = new QueryTracker(ctx.sequelize);
  const uninstall = installNamespace(ctx.sequelize);
  const untrack = tracker.install();
  try {
    if (allInOne) {
      try {
        return await runAllInOne(ctx, loaded, tracker, fresh ? () => ctx.history.prepare(names) : undefined);
      } catch (error) {
        // CREATE INDEX CONCURRENTLY in a migration without `transaction = false` (issue #12): the
        // fresh database's transaction rolled back to empty; run again a migration at a time.
        if (!fresh || !ctx.dialect.refusedInTransaction?.(error)) throw error;
        ctx.logger.warn(`${describeError(error)} The fresh database was left empty; its migrations run again one at a time.`);
        ctx.history.forget?.();
        await ctx.history.prepare(names);
      }
    }
    const results: StepResult[] = [];
    try {
      for (const step of loaded) {
        await checkLock(ctx);
        const transaction = step.transactional ? await begin(ctx) : null;
        results.push(await runStep(ctx, step, transaction, tracker, true));
      }
    } catch (error) {
      // A completed step's marker is harmless, but a table of markers outliving the run reads as
      // a run under way: it goes (a failed step's own marker stays, naming it).
      const carried = ctx.carried?.name;
      if (carried) await ctx.progress.finish([carried], null).catch(() => undefined);
      throw error;
    }
    // The run completed: its markers and the table go (a no-op when none was needed). The lock
    // check begun beside the last history row settles first (its answer no longer matters): the
    // lock's connection is then idle when the lock is released.
    await ctx.carried?.lockChecked;
    await ctx.progress.drop();
    return results;
  } finally {
    untrack();
    uninstall();
    await ctx.dialect.migrationTransaction?.endRun?.(ctx.sequelize).catch(() => undefined);
  }
}

function refuseOptOut(steps: readonly LoadedStep[]): void {
  const optedOut = steps.find((s) => !s.transactional);
  if (optedOut) {
    throw new OptionsError(
      `Migration "${optedOut.source.name}" opts out of transactions, which \`transaction: 'all'\` cannot honour. ` +
        "Use transaction: 'each' for this upgrade.",
      optedOut.source.name,
    );
  }
}

async function runAllInOne(
  ctx: RunContext,
  steps: readonly LoadedStep[],
  tracker: QueryTracker,
  prelude?: () => Promise<void>,
): Promise<StepResult[]> {
  const transaction = await begin(ctx);
  // One transaction: the history rows can go in together, just before the commit.
  const history = new BatchedHistory(ctx.history);
  ctx = { ...ctx, history };
  if (prelude) {
    try {
      await runInTransaction(ctx.sequelize, transaction, prelude);
    } catch (error) {
      await transaction.rollback().catch(() => undefined);
      await ctx.dialect.migrationTransaction?.afterEnd(ctx.sequelize).catch(() => undefined);
      throw error;
    }
  }
  const results: StepResult[] = [];
  for (const step of steps) results.push(await runStep(ctx, step, transaction, tracker, false));
  await history.flush(transaction).catch(async (error: unknown) => {
    await transaction.rollback().catch(() => undefined);
    await ctx.dialect.migrationTransaction?.afterEnd(ctx.sequelize).catch(() => undefined);
    throw failure(ctx, steps[steps.length - 1], 'rolled-back', error, true);
  });
  // A lock lost during the run (its connection killed) must not commit what another run may repeat.
  await Promise.resolve(ctx.lock?.verify?.()).catch(async (error: unknown) => {
    await transaction.rollback().catch(() => undefined);
    await ctx.dialect.migrationTransaction?.afterEnd(ctx.sequelize).catch(() => undefined);
    throw error;
  });
  await commit(ctx, transaction, steps[steps.length - 1]);
  for (const result of results) await ctx.hooks.afterStep?.(result);
  return results;
}

async function loadStep(ctx: RunContext, step: Step): Promise<LoadedStep> {
  const module: LoadedMigration = step.recordOnly ? { up: async () => undefined, down: async () => undefined, transaction: true } : await step.source.load();
  const fn = step.direction === 'up' ? module.up : module.down;
  if (!fn) {
    throw new NoDownError(
      `Migration "${step.source.fileName}" has no \`down\`, so it cannot be reverted. Add a down() or downgrade to a later target.`,
      step.source.name,
    );
  }
  const transactional = ctx.mode !== 'none' && ctx.dialect.capabilities.transactionalDDL && module.transaction;
  if (!transactional && ctx.scope) throw ctx.scope.refuseOutside(step.source.fileName);
  return { ...step, fn, transactional };
}

async function begin(ctx: RunContext): Promise<Transaction> {
  const transaction = transactionFor(ctx.sequelize);
  await ctx.dialect.migrationTransaction?.beforeBegin(ctx.sequelize, transaction.id);
  await transaction.prepareEnvironment(false);
  await ctx.scope?.enter(transaction).catch(async (error: unknown) => {
    await transaction.rollback().catch(() => undefined);
    throw error;
  });
  return transaction;
}

async function commit(ctx: RunContext, transaction: Transaction, step: LoadedStep): Promise<void> {
  try {
    await ctx.dialect.migrationTransaction?.beforeCommit(ctx.sequelize, transaction);
    await transaction.commit();
  } catch (error) {
    await transaction.rollback().catch(() => undefined);
    throw failure(ctx, step, 'rolled-back', error, true);
  } finally {
    await ctx.dialect.migrationTransaction?.afterEnd(ctx.sequelize);
  }
}

async function runStep(
  ctx: RunContext,
  step: LoadedStep,
  transaction: Transaction | null,
  tracker: QueryTracker,
  ownsTransaction: boolean,
  rerun = false,
): Promise<StepResult> {
  const { sequelize } = ctx;
  const name = step.source.name;
  if (!rerun) await ctx.hooks.beforeStep?.({ name, direction: step.direction });
  ctx.logger.debug?.(`${step.direction === 'up' ? 'applying' : 'reverting'} ${name}`);
  const started = performance.now();
  const scope = new StepScope(transaction);
  // The migration's own time, recorded in the history and returned alike (upgrade and history agree).
  let durationMs = 0;
  if (!transaction && ctx.scope) throw ctx.scope.refuseOutside(step.source.fileName);
  if (!transaction) {
    await markStart(ctx, step).catch((error: unknown) => {
      throw new HistoryTableError(
        `Recording that migration "${step.source.fileName}" begins (${ctx.progress.tableName}) failed, so it did not run: ${describeError(error)}`,
        ctx.progress.tableName,
        error,
      );
    });
  }
  try {
    await keepAliveDuringStep(ctx.logger, `"${step.source.fileName}" (${step.direction})`, () => execute(ctx, step, scope, tracker));
    durationMs = Math.round(performance.now() - started);
    if (!transaction) {
      await markDone(ctx, step, durationMs);
    } else if (step.direction === 'up') {
      await recordUp(ctx, step, durationMs, transaction);
    } else {
      await ctx.history.unlogMigration([step.storedName, ...(step.replaced ?? []).map((r) => r.storedName)], transaction);
    }
  } catch (error) {
    if (transaction) {
      await transaction.rollback().catch(() => undefined);
      await ctx.dialect.migrationTransaction?.afterEnd(sequelize).catch(() => undefined);
      if (ownsTransaction && ctx.dialect.refusedInTransaction?.(error)) {
        // Issue #12: CREATE INDEX CONCURRENTLY in a migration that did not export
        // `transaction = false`. The database rolled everything back, so running it again outside
        // a transaction, with the marker such steps get, applies it once.
        ctx.logger.warn(
          `Migration "${step.source.fileName}" cannot run inside a transaction (${describeError(error)}); nothing of it was applied, ` +
            'so the runner ran it again outside one. Export `transaction = false` from it to skip the first attempt.',
        );
        return runStep(ctx, step, null, tracker, true, true);
      }
      throw failure(ctx, step, 'rolled-back', error);
    }
    const wrote = scope.writes;
    // Nothing it ran can have changed the schema: undo the bookkeeping, so a fixed file simply runs.
    const unchanged = wrote === 0 && (await unmarkStart(ctx, step).then(() => true, () => false));
    throw failure(ctx, step, unchanged ? 'unchanged' : 'partial', error);
  }
  if (transaction && ownsTransaction) await commit(ctx, transaction, step);
  const result: StepResult = { name, direction: step.direction, durationMs };
  ctx.logger.info(`${step.direction === 'up' ? 'migrated' : 'reverted'} ${name} (${result.durationMs} ms)`);
  if (ownsTransaction || !transaction) await ctx.hooks.afterStep?.(result);
  return result;
}

/**
 * Runs the migration function in the step's transaction (CLS), then waits for every call it made
 * and did not await (issue #12: sequelize-cli and umzug ran such files; several real projects have
 * them), so they commit with it; warns naming them, throws when one of them failed. Meanwhile the
 * watch (step-watch.ts) stops the step when it is blocked by its own run or passes `stepTimeoutMs`.
 */
async function execute(ctx: RunContext, step: LoadedStep, scope: StepScope, tracker: QueryTracker): Promise<void> {
  const { sequelize } = ctx;
  const queryInterface = ctx.scope?.queryInterface ?? sequelize.getQueryInterface();
  // One object for both signatures: sequelize-cli's up(queryInterface, Sequelize) uses it as the
  // QueryInterface, umzug's up({ name, path, context }) destructures it.
  const params = Object.create(queryInterface, {
    name: { value: step.source.name },
    path: { value: step.source.path ?? undefined },
    context: { value: queryInterface },
  });
  const body = async () => step.fn(params, sequelize.constructor);
  // A squashed baseline's DDL goes in fewer statements (fold-ddl.ts); loaded only for one.
  const folder = step.direction === 'up' && (step.replaced ?? []).length > 0 ? ctx.dialect.ddlFolder?.() : undefined;
  const folded = folder ? () => (require('./fold-ddl') as typeof import('./fold-ddl')).withFoldedDDL(sequelize, folder, body) : body;
  const work = (async () => {
    try {
      await tracker.run(scope, () => runInTransaction(sequelize, scope.transaction, folded));
    } finally {
      // Calls it did not await finish first, even when it threw: none may race the next statement.
      await tracker.settle(scope);
    }
  })();
  work.catch(() => undefined);
  const statementWatch = ctx.dialect.statementWatch?.();
  const watch = watchStep(sequelize, statementWatch, scope, ctx.stepTimeoutMs, ctx.logger, ctx.lock?.connection);
  try {
    await Promise.race([work, watch.stuck]);
  } catch (error) {
    if (error instanceof StepStuck) await cancelRunning(sequelize, statementWatch, scope, tracker.settle(scope), ctx.logger);
    throw error;
  } finally {
    watch.stop();
  }
  const strays = scope.strays();
  if (strays.length === 0) return;
  ctx.logger.warn(
    `Migration "${step.source.fileName}" did not await ${strays.length} call(s): ${strays.map(describeCall).join('; ')}. ` +
      `They were waited for and ${scope.transaction ? 'committed with its transaction' : 'finished before its history row was written'}; add the missing await.`,
  );
  const failed = strays.find((s) => s.error !== undefined);
  if (failed) throw new Error(`a call it did not await failed (${describeCall(failed)}): ${describeError(failed.error)}`);
}
