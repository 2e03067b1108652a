import type { ErrorCode } from '../types/errors';
import type { Operation } from '../types/operations';
import type { IncompleteStep } from '../types/options';

export type { IncompleteStep };

/**
 * Every error this library throws is a MigrationError with a stable `code`. Messages name the
 * migration, file, option or database at fault and say what to do about it.
 */
export class MigrationError extends Error {
  readonly code: ErrorCode;
  /** The migration (or file, option, target) the error is about, where there is one. */
  readonly subject: string | undefined;

  constructor(code: ErrorCode, message: string, options: { subject?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.subject = options.subject;
  }
}

export class OptionsError extends MigrationError {
  constructor(message: string, option?: string) {
    super('E_OPTIONS', message, { subject: option });
  }
}

export class MigrationsFolderError extends MigrationError {
  constructor(message: string, folder: string, cause?: unknown) {
    super('E_MIGRATIONS_FOLDER', message, { subject: folder, cause });
  }
}

export class MigrationLoadError extends MigrationError {
  constructor(message: string, file: string, cause?: unknown) {
    super('E_MIGRATION_LOAD', message, { subject: file, cause });
  }
}

export class MigrationShapeError extends MigrationError {
  constructor(message: string, name: string) {
    super('E_MIGRATION_SHAPE', message, { subject: name });
  }
}

export class DuplicateMigrationError extends MigrationError {
  constructor(message: string, name: string) {
    super('E_DUPLICATE_MIGRATION', message, { subject: name });
  }
}

export class UnknownTargetError extends MigrationError {
  constructor(message: string, target: string) {
    super('E_UNKNOWN_TARGET', message, { subject: target });
  }
}

export class ChecksumError extends MigrationError {
  constructor(message: string, name: string) {
    super('E_CHECKSUM', message, { subject: name });
  }
}

export class MissingMigrationError extends MigrationError {
  constructor(message: string, name: string) {
    super('E_MISSING_MIGRATION', message, { subject: name });
  }
}

export class OutOfOrderError extends MigrationError {
  constructor(message: string, name: string) {
    super('E_OUT_OF_ORDER', message, { subject: name });
  }
}

export class NoDownError extends MigrationError {
  constructor(message: string, name: string) {
    super('E_NO_DOWN', message, { subject: name });
  }
}

/** `downgrade({ step })` asked for more steps than there are applied migrations. */
export class StepCountError extends MigrationError {
  readonly requested: number;
  readonly applied: number;
  constructor(message: string, requested: number, applied: number) {
    super('E_STEP_COUNT', message, { subject: 'step' });
    this.requested = requested;
    this.applied = applied;
  }
}

export class LockTimeoutError extends MigrationError {
  /** Who holds the lock, where the dialect can tell (a backend pid, a connection id). */
  readonly holder: string | undefined;
  constructor(message: string, database: string, holder?: string) {
    super('E_LOCK_TIMEOUT', message, { subject: database });
    this.holder = holder;
  }
}

export class LockError extends MigrationError {
  constructor(message: string, database: string, cause?: unknown) {
    super('E_LOCK', message, { subject: database, cause });
  }
}

export class MigrationFailedError extends MigrationError {
  readonly migration: string;
  readonly direction: 'up' | 'down';
  /**
   * True when nothing of the migration remains applied: it was rolled back, or it ran outside a
   * transaction and failed before any statement that changes something. False: it may be partly
   * applied (MySQL, or `transaction: 'none'`), and the next run stops with E_INCOMPLETE_MIGRATION.
   */
  readonly rolledBack: boolean;
  constructor(message: string, migration: string, direction: 'up' | 'down', rolledBack: boolean, cause: unknown) {
    super('E_MIGRATION_FAILED', message, { subject: migration, cause });
    this.migration = migration;
    this.direction = direction;
    this.rolledBack = rolledBack;
  }
}

export class IncompleteMigrationError extends MigrationError {
  /** The first unfinished step's migration (also `subject`). */
  readonly migration: string;
  readonly direction: 'up' | 'down';
  /** Every unfinished step found, oldest first. */
  readonly steps: readonly IncompleteStep[];
  constructor(message: string, migration: string, steps: readonly IncompleteStep[] = []) {
    super('E_INCOMPLETE_MIGRATION', message, { subject: migration });
    this.migration = migration;
    this.direction = steps[0]?.direction ?? 'up';
    this.steps = steps;
  }
}

export class HistoryTableError extends MigrationError {
  constructor(message: string, table: string, cause?: unknown) {
    super('E_HISTORY_TABLE', message, { subject: table, cause });
  }
}

export class ConnectionError extends MigrationError {
  constructor(message: string, database: string, cause?: unknown) {
    super('E_CONNECTION', message, { subject: database, cause });
  }
}

export class DriftError extends MigrationError {
  readonly operations: readonly Operation[];
  constructor(message: string, operations: readonly Operation[]) {
    super('E_DRIFT', message);
    this.operations = operations;
  }
}

export class NotAtHeadError extends MigrationError {
  readonly pending: readonly string[];
  constructor(message: string, pending: readonly string[]) {
    super('E_NOT_AT_HEAD', message, { subject: pending[0] });
    this.pending = pending;
  }
}

export class StaleIndexError extends MigrationError {
  constructor(message: string, indexFile: string) {
    super('E_STALE_INDEX', message, { subject: indexFile });
  }
}

export class UnsupportedError extends MigrationError {
  constructor(message: string, subject?: string) {
    super('E_UNSUPPORTED', message, { subject });
  }
}

/** The lock of a run went away under it (see HeldLock.verify). */
export function lostLock(dialect: string, database: string, why: string): LockError {
  return new LockError(
    `Lost the migration lock on ${dialect} database "${database}" (${why}): stopping before the next migration, ` +
      'since another process may be migrating now. What ran is recorded; run the upgrade again.',
    database,
  );
}

/** The message of anything thrown, for wrapping into our own errors. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
