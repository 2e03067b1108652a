import type { ErrorCode } from '../types/errors';
import type { DataRisk, Operation } from '../types/operations';
import type { IncompleteStep } from '../types/options';

export type { DataRisk, IncompleteStep };

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

/** An option of createMigrator, autoMigrate or a method call that is unknown, mistyped or contradicts another. `subject`: the option. */
export class OptionsError extends MigrationError {
  constructor(message: string, option?: string) {
    super('E_OPTIONS', message, { subject: option });
  }
}

/** The migrations folder is missing, unreadable, or not a folder. `subject`: the folder. */
export class MigrationsFolderError extends MigrationError {
  constructor(message: string, folder: string, cause?: unknown) {
    super('E_MIGRATIONS_FOLDER', message, { subject: folder, cause });
  }
}

/** A migration file failed to load (syntax error, throw at load, TypeScript without a loader). `subject`: the file. */
export class MigrationLoadError extends MigrationError {
  constructor(message: string, file: string, cause?: unknown) {
    super('E_MIGRATION_LOAD', message, { subject: file, cause });
  }
}

/** A migration module without an `up` function, or of a wrong shape. `subject`: the migration. */
export class MigrationShapeError extends MigrationError {
  constructor(message: string, name: string) {
    super('E_MIGRATION_SHAPE', message, { subject: name });
  }
}

/** Two migrations with one name (`001-a.js` and `001-a.ts`, or two in-code entries). `subject`: the name. */
export class DuplicateMigrationError extends MigrationError {
  constructor(message: string, name: string) {
    super('E_DUPLICATE_MIGRATION', message, { subject: name });
  }
}

/** A pending migration whose name the history table's `name` column cannot hold: nothing ran. */
export class MigrationNameError extends MigrationError {
  /** The column's length, in characters. */
  readonly maxLength: number;
  constructor(message: string, name: string, maxLength: number) {
    super('E_MIGRATION_NAME', message, { subject: name });
    this.maxLength = maxLength;
  }
}

/** An upgrade, downgrade, stamp or sql target that names no migration. `subject`: the target. */
export class UnknownTargetError extends MigrationError {
  constructor(message: string, target: string) {
    super('E_UNKNOWN_TARGET', message, { subject: target });
  }
}

/** A target given as a name prefix that more than one migration name starts with. */
export class AmbiguousTargetError extends MigrationError {
  /** Every migration name the prefix matches, in run order. */
  readonly candidates: readonly string[];
  constructor(message: string, target: string, candidates: readonly string[]) {
    super('E_AMBIGUOUS_TARGET', message, { subject: target });
    this.candidates = candidates;
  }
}

/** An applied migration's file changed since it ran: revert the edit, write a new migration. `subject`: the migration. */
export class ChecksumError extends MigrationError {
  constructor(message: string, name: string) {
    super('E_CHECKSUM', message, { subject: name });
  }
}

/** A history row whose file is gone, or a downgrade through a migration whose file is not here. `subject`: the migration. */
export class MissingMigrationError extends MigrationError {
  constructor(message: string, name: string) {
    super('E_MISSING_MIGRATION', message, { subject: name });
  }
}

/** A pending migration older than the newest applied one (`allowOutOfOrder: true` runs it). `subject`: the migration. */
export class OutOfOrderError extends MigrationError {
  constructor(message: string, name: string) {
    super('E_OUT_OF_ORDER', message, { subject: name });
  }
}

/** A downgrade through a migration without `down`; nothing was reverted. `subject`: the migration. */
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

/** The migration lock was not obtained within `lock.timeoutMs`: another run holds it. `subject`: the database. */
export class LockTimeoutError extends MigrationError {
  /** Who holds the lock, where the dialect can tell (a backend pid, a connection id). */
  readonly holder: string | undefined;
  constructor(message: string, database: string, holder?: string) {
    super('E_LOCK_TIMEOUT', message, { subject: database });
    this.holder = holder;
  }
}

/** The lock could not be taken, or was lost, for another reason than a timeout. `subject`: the database. */
export class LockError extends MigrationError {
  constructor(message: string, database: string, cause?: unknown) {
    super('E_LOCK', message, { subject: database, cause });
  }
}

/** A migration threw; `cause` is what it threw, `rolledBack` whether nothing of it remains. */
export class MigrationFailedError extends MigrationError {
  readonly migration: string;
  readonly direction: 'up' | 'down';
  /**
   * True when nothing of the migration remains applied: it was rolled back, or it ran outside a
   * transaction and failed before any statement that changes something. False: it may be partly
   * applied (MySQL, or `transaction: 'none'`), and the next run stops with E_INCOMPLETE_MIGRATION.
   */
  readonly rolledBack: boolean;
  constructor(
    message: string,
    migration: string,
    direction: 'up' | 'down',
    rolledBack: boolean,
    cause: unknown,
    code: 'E_MIGRATION_FAILED' | 'E_SELF_DEADLOCK' | 'E_STEP_TIMEOUT' = 'E_MIGRATION_FAILED',
  ) {
    super(code, message, { subject: migration, cause });
    this.migration = migration;
    this.direction = direction;
    this.rolledBack = rolledBack;
  }
}

/**
 * A migration waited on a lock held by the run's own transaction or connection (a statement sent
 * outside the migration's transaction, blocked by it): it could never finish. The blocked statement
 * was cancelled and the migration rolled back where the dialect allows.
 */
export class SelfDeadlockError extends MigrationFailedError {
  /** What the blocked statement waited on, as the database describes it. */
  readonly waitsOn: string;
  constructor(message: string, migration: string, direction: 'up' | 'down', rolledBack: boolean, waitsOn: string) {
    super(message, migration, direction, rolledBack, undefined, 'E_SELF_DEADLOCK');
    this.waitsOn = waitsOn;
  }
}

/** A migration ran longer than `stepTimeoutMs`: its statements were cancelled where the dialect can. */
export class StepTimeoutError extends MigrationFailedError {
  /** The statements still running when the bound passed. */
  readonly running: readonly string[];
  constructor(message: string, migration: string, direction: 'up' | 'down', rolledBack: boolean, running: readonly string[]) {
    super(message, migration, direction, rolledBack, undefined, 'E_STEP_TIMEOUT');
    this.running = running;
  }
}

/** A previous run died inside a migration run outside a transaction: runs refuse until `stamp` records the outcome. */
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

/** The history table has a shape that cannot be used, or reading or writing it failed. `subject`: the table. */
export class HistoryTableError extends MigrationError {
  constructor(message: string, table: string, cause?: unknown) {
    super('E_HISTORY_TABLE', message, { subject: table, cause });
  }
}

/** The database cannot be reached (refused, unknown host, authentication, timeout). `subject`: the database. */
export class ConnectionError extends MigrationError {
  constructor(message: string, database: string, cause?: unknown) {
    super('E_CONNECTION', message, { subject: database, cause });
  }
}

/** The models and the database differ (check(), autoMigrate with `onDrift: 'throw'`). `operations`: what would fix it. */
export class DriftError extends MigrationError {
  readonly operations: readonly Operation[];
  constructor(message: string, operations: readonly Operation[]) {
    super('E_DRIFT', message);
    this.operations = operations;
  }
}

/** Migrations are pending: generate() and check() refuse. `pending`: their names. */
export class NotAtHeadError extends MigrationError {
  readonly pending: readonly string[];
  constructor(message: string, pending: readonly string[]) {
    super('E_NOT_AT_HEAD', message, { subject: pending[0] });
    this.pending = pending;
  }
}

/** A migration would remove enum values that rows still hold (PostgreSQL). */
export class EnumValueInUseError extends MigrationError {
  /** `table.column: n row(s) (id 1, 2)`, one per column holding a removed value. */
  readonly uses: readonly string[];
  constructor(message: string, enumType: string, uses: readonly string[]) {
    super('E_ENUM_VALUE_IN_USE', message, { subject: enumType });
    this.uses = uses;
  }
}

/** A rename given to generate() that names no column or table the models drop and add. */
export class RenameError extends MigrationError {
  /** The rename as given: `'users.name'` or `'users'`. */
  readonly rename: string;
  constructor(message: string, rename: string) {
    super('E_RENAME', message, { subject: rename });
    this.rename = rename;
  }
}

/** generate() refused to write a migration that would destroy data; `allowDataLoss: true` writes it. */
export class DataLossError extends MigrationError {
  readonly risks: readonly DataRisk[];
  constructor(message: string, risks: readonly DataRisk[]) {
    super('E_DATA_LOSS', message, { subject: risks[0]?.table });
    this.risks = risks;
  }
}

/** The static migrations index (`automigrate bundle`) does not list the folder's files: bundle again. */
export class StaleIndexError extends MigrationError {
  constructor(message: string, indexFile: string) {
    super('E_STALE_INDEX', message, { subject: indexFile });
  }
}

/**
 * A migration whose SQL cannot be written offline (`sql()`, `upgrade --sql`): it reads the
 * database (a SELECT whose rows it uses, `describeTable`, `showAllTables`), and offline there is
 * nothing to answer. `subject`: the migration; `call`: what read.
 */
export class OfflineReadError extends MigrationError {
  /** The read, as `queryInterface.describeTable()` or `sequelize.query('SELECT ...')`. */
  readonly call: string;
  constructor(message: string, migration: string, call: string) {
    super('E_OFFLINE_READ', message, { subject: migration });
    this.call = call;
  }
}

/** The dialect or the runtime cannot do what was asked (sql() without transactional DDL, reset() with a storage). */
export class UnsupportedError extends MigrationError {
  constructor(message: string, subject?: string) {
    super('E_UNSUPPORTED', message, { subject });
  }
}

/**
 * Two models map to one table and describe it differently (columns, keys, indexes): autogenerate
 * would keep one and silently drop what only the other has. Thrown by `diff()`, `generate()` and
 * `check()` (and the boot-time drift check) before anything is compared or written.
 */
export class ModelConflictError extends MigrationError {
  /** The table both models map to (also `subject`). */
  readonly table: string;
  /** The two models, the one registered first first. */
  readonly models: readonly [string, string];
  /** What differs, e.g. `column "nickname" only in Profile`, `primary key`, `indexes`. */
  readonly differences: readonly string[];
  constructor(message: string, table: string, models: readonly [string, string], differences: readonly string[]) {
    super('E_MODEL_CONFLICT', message, { subject: table });
    this.table = table;
    this.models = models;
    this.differences = differences;
  }
}

/**
 * A model's table, schema, column or index name that Sequelize cannot write on this dialect (it
 * strips the dialect's quote character from identifiers): refused before anything is compared or
 * written, since the database would hold another name and every diff would propose it again.
 */
export class ModelNameError extends MigrationError {
  /** The model (also `subject`). */
  readonly model: string;
  readonly table: string;
  /** The name that cannot be written. */
  readonly identifier: string;
  constructor(message: string, model: string, table: string, identifier: string) {
    super('E_MODEL_NAME', message, { subject: model });
    this.model = model;
    this.table = table;
    this.identifier = identifier;
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

/**
 * The message of anything thrown, for wrapping into our own errors. Sequelize wraps SQLite's
 * constraint errors in UniqueConstraintError / ValidationError whose message is only
 * "Validation error"; the driver's own message (`SQLITE_CONSTRAINT: NOT NULL constraint failed:
 * users.email`) is on `parent` / `original`, and is added when the message lacks it.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const wrapped = (error as { parent?: unknown; original?: unknown }).parent ?? (error as { original?: unknown }).original;
  const inner = wrapped instanceof Error ? wrapped.message : null;
  return inner !== null && inner !== '' && !error.message.includes(inner) ? `${error.message}: ${inner}` : error.message;
}

/**
 * The default branch of an exhaustive switch: the types say `value` cannot reach it, so reaching
 * it is a bug (or data from a newer version); throws, naming what arrived.
 */
export function assertNever(value: never, what = 'value'): never {
  const kind = (value as { kind?: unknown } | null)?.kind;
  throw new Error(`Unexpected ${what}: ${typeof kind === 'string' ? kind : JSON.stringify(value)}`);
}
