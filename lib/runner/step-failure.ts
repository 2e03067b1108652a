import type { Direction } from '../../types/options';
import { MigrationError, MigrationFailedError, SelfDeadlockError, StepTimeoutError, describeError } from '../errors';
import type { RunContext } from './run';
import type { MigrationSource } from './sources';
import { StepStuck } from './step-watch';

type FailureContext = Pick<RunContext, 'dialect' | 'stepTimeoutMs'>;
type FailedStep = { readonly source: MigrationSource; readonly direction: Direction };

/**
 * What a failed step becomes: the typed error naming the migration, what happened to its
 * statements (`outcome`), and what to do. A step the watch stopped (step-watch.ts) or one that hit
 * SQLite's busy timeout inside its own write lock is a SelfDeadlockError or StepTimeoutError.
 */
export type Outcome = 'rolled-back' | 'unchanged' | 'partial';

/** `atCommit`: the error came from COMMIT, where a busy database is another process, not the run. */
export function failure(ctx: FailureContext, step: FailedStep, outcome: Outcome, error: unknown, atCommit = false): MigrationError {
  if (error instanceof MigrationFailedError) return error;
  const text = outcomeText(ctx, outcome);
  const { fileName, name } = step.source;
  const rolledBack = outcome !== 'partial';
  const busy = !atCommit && outcome === 'rolled-back' && ctx.dialect.statementWatch?.().isLockTimeout?.(error);
  if (busy || (error instanceof StepStuck && error.kind === 'self-deadlock')) {
    const waitsOn = error instanceof StepStuck ? error.detail.join('; ') : `${statementOf(error)}waits on the write lock its own transaction holds (${describeError(error)})`;
    return new SelfDeadlockError(
      `Migration "${fileName}" (${step.direction}) is blocked by its own run, so it could never finish: ${waitsOn}.${error instanceof StepStuck ? ' The blocked statement was cancelled.' : ''}${text} ` +
        "A statement sent outside the migration's transaction (an explicit `transaction: null` or another transaction, " +
        'another Sequelize instance) needs a lock that transaction holds: let it run inside the transaction, or export `transaction = false` from the migration.',
      name,
      step.direction,
      rolledBack,
      waitsOn,
    );
  }
  if (error instanceof StepStuck) {
    return new StepTimeoutError(
      `Migration "${fileName}" (${step.direction}) ran longer than stepTimeoutMs (${ctx.stepTimeoutMs} ms); still running: ${error.detail.join('; ') || 'no statement (it awaits something else)'}. ` +
        `Its statements were cancelled where the database allows.${text} Raise stepTimeoutMs if it needs longer, or find what it waits on.`,
      name,
      step.direction,
      rolledBack,
      error.detail,
    );
  }
  return new MigrationFailedError(`Migration "${fileName}" failed (${step.direction}): ${describeError(error)}.${text}`, name, step.direction, rolledBack, error);
}

function statementOf(error: unknown): string {
  const sql = (error as { sql?: unknown })?.sql;
  return typeof sql === 'string' ? `${sql.replace(/\s+/g, ' ').slice(0, 200)} ` : '';
}

function outcomeText(ctx: FailureContext, outcome: Outcome): string {
  let text: string;
  if (outcome === 'rolled-back') text = ' It was rolled back: nothing of it was applied.';
  else if (outcome === 'unchanged') text = ' It failed before changing anything (it ran outside a transaction): fix it and run again.';
  else {
    const why = ctx.dialect.capabilities.transactionalDDL
      ? 'it ran outside a transaction'
      : `${ctx.dialect.displayName} commits DDL implicitly`;
    text =
      ` ${why[0].toUpperCase()}${why.slice(1)}, so the migration may be partly applied. Until that is resolved, upgrade and ` +
      'downgrade stop with E_INCOMPLETE_MIGRATION naming it: compare the schema with the migration, finish or undo its ' +
      'statements by hand, then record the outcome with `stamp` (the next run says which).';
  }
  return text;
}
