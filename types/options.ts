import type { Sequelize } from 'sequelize';
import type { DataRisk, Operation } from './operations';

export type Direction = 'up' | 'down';

/** What a `beforeStep` hook receives. */
export interface StepInfo {
  readonly name: string;
  readonly direction: Direction;
}

/** What `upgrade()` / `downgrade()` return, one per migration run, and what `afterStep` gets. */
export interface StepResult extends StepInfo {
  readonly durationMs: number;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug?(message: string): void;
}

export interface Hooks {
  beforeStep?(step: StepInfo): void | Promise<void>;
  afterStep?(step: StepResult): void | Promise<void>;
}

/** umzug's parameters object, also what sequelize-cli migrations ignore. */
export interface MigrationParams<Context = unknown> {
  readonly name: string;
  readonly path?: string;
  readonly context: Context;
}

/**
 * A migration function. Both shapes run unchanged: sequelize-cli's `up(queryInterface, Sequelize)`
 * and umzug's `up({ name, path, context })`. The first argument is the QueryInterface itself,
 * carrying `name`, `path` and `context` too, so either signature reads what it expects.
 */
export type MigrationFn = (params: any, Sequelize: any) => unknown;

/** An in-code migration: the umzug shape. This is what bundlers and serverless use. */
export interface InCodeMigration {
  readonly name: string;
  readonly up: MigrationFn;
  readonly down?: MigrationFn;
  /**
   * The checksum of the file this migration came from (written by `automigrate bundle`), so a
   * bundled run verifies the same checksums as a folder run. Omitted: not verified.
   */
  readonly checksum?: string;
  /** Opt this migration out of the transaction (e.g. CREATE INDEX CONCURRENTLY). */
  readonly transaction?: boolean;
}

/**
 * Which lock a run takes. `'auto'` (the default) picks the one that holds for the deployment:
 * - PostgreSQL: a transaction-scoped advisory lock (also through PgBouncer/Supavisor in
 *   transaction or session mode);
 * - MySQL/MariaDB: `GET_LOCK`, or on a Galera cluster (`@@wsrep_on = 1`) a lease row in
 *   `<tableName>_lock`, since `GET_LOCK` is node-local there;
 * - SQLite: an exclusive transaction on a companion lock file.
 *
 * `'advisory'` forces the database's own lock (PostgreSQL advisory, MySQL `GET_LOCK`, SQLite file
 * lock); on Galera it is refused with `E_LOCK`. `'lease'` forces the lease row (MySQL/MariaDB).
 */
export type LockStrategy = 'auto' | 'advisory' | 'lease';

export interface LockOptions {
  /** How long to wait for another process's migration run to finish. Default 60 000 ms. */
  readonly timeoutMs?: number;
  /** Default `'auto'`: see {@link LockStrategy}. */
  readonly strategy?: LockStrategy;
}

export type TransactionMode = 'each' | 'all' | 'none';

export interface IncludeObject {
  readonly kind: 'table' | 'column' | 'index' | 'foreignKey' | 'enum';
  readonly name: string;
  /** The table the object belongs to (not set for tables and enums). */
  readonly table?: string;
}

export interface MigratorOptions {
  /** A Sequelize instance; `sequelize.models` is the target schema for autogenerate. */
  readonly sequelize: Sequelize;
  /** A folder of migration files, or an array of in-code migrations. */
  readonly migrations: string | readonly InCodeMigration[];
  /** History table. Default `SequelizeMeta`, shared with sequelize-cli and umzug. */
  readonly tableName?: string;
  /** Default true (wait 60 s). `false` runs without a lock: one process only. */
  readonly lock?: boolean | LockOptions;
  /** Default 'each'. DDL is not transactional on MySQL: there 'each' and 'all' run without one. */
  readonly transaction?: TransactionMode;
  /** Default `console`. `false` silences the library. */
  readonly logger?: Logger | false;
  readonly hooks?: Hooks;
  /** Autogenerate filter: return false to leave an object alone. */
  readonly include?: (object: IncludeObject) => boolean;
  /** Language of generated files. Default 'ts' when the project has a tsconfig.json, else 'js'. */
  readonly language?: 'ts' | 'js' | 'mjs';
  /** Run pending migrations older than the newest applied one instead of refusing. Default false. */
  readonly allowOutOfOrder?: boolean;
  /**
   * The longest one migration may run, in milliseconds. A migration still running after it fails
   * with `StepTimeoutError` (`E_STEP_TIMEOUT`) naming the statements still running, which are
   * cancelled where the database allows (PostgreSQL `pg_cancel_backend`, MySQL `KILL QUERY`,
   * SQLite `interrupt()`), and is rolled back where DDL is transactional. Default: no bound.
   * Independently, a migration blocked by the run's own transaction always fails
   * (`E_SELF_DEADLOCK`) within a few seconds.
   * @example createMigrator({ sequelize, migrations: 'migrations', stepTimeoutMs: 10 * 60_000 })
   */
  readonly stepTimeoutMs?: number;
  /**
   * Where applied migrations are recorded, instead of the `tableName` table: any umzug storage
   * (umzug's SequelizeStorage, JSONStorage, MongoDBStorage, your own). Default: the history table.
   * A foreign storage records names only, so checksums, `appliedAt` and durations are not kept
   * and not verified; its writes join the migration's transaction only if it writes through this
   * Sequelize instance (umzug's SequelizeStorage does). The lock and the interrupted-run markers
   * stay in the database, keyed by `tableName`. `reset()` needs the history table.
   */
  readonly storage?: UmzugStorage;
  /**
   * A fresh database (no history rows, no tables) is brought to the target in ONE transaction
   * where DDL is transactional (SQLite, PostgreSQL), history table included: a failure half-way
   * leaves nothing, and one commit instead of one per migration is faster. A run whose migrations
   * opt out of transactions, `transaction: 'none'`, MySQL/MariaDB and an umzug `storage` run as
   * before. Default true; `false` keeps `transaction`'s behaviour on fresh databases too.
   * @example createMigrator({ sequelize, migrations: 'migrations', freshInOneTransaction: false })
   */
  readonly freshInOneTransaction?: boolean;
}

/**
 * umzug's storage contract (umzug `src/storage/contract.ts`): what `createMigrator({ storage })`
 * accepts and what `historyStorage()` returns. `context` is the QueryInterface.
 */
export interface UmzugStorage<Context = unknown> {
  /** Records a migration as executed. */
  logMigration(params: MigrationParams<Context>): Promise<void>;
  /** Removes a migration's record (it becomes pending). */
  unlogMigration(params: MigrationParams<Context>): Promise<void>;
  /** The names of the executed migrations. */
  executed(meta: { readonly context: Context }): Promise<string[]>;
}

export type OnDrift = 'warn' | 'throw' | 'ignore';

export interface AutoMigrateOptions extends MigratorOptions {
  /**
   * What to do when the models and the database still differ after the upgrade. Default 'warn',
   * or 'ignore' when `NODE_ENV` is 'production' (run `automigrate check` in CI instead).
   */
  readonly onDrift?: OnDrift;
}

export interface AutoMigrateResult {
  readonly applied: readonly StepResult[];
  readonly drift: readonly Operation[];
}

export interface AppliedInfo {
  /** The migration's name: its file name without extension. */
  readonly name: string;
  /** The name as the history table stores it (sequelize-cli keeps the `.js`). */
  readonly storedName: string;
  /** Null for rows written by sequelize-cli, umzug or `stamp`. */
  readonly appliedAt: Date | null;
  readonly durationMs: number | null;
  readonly checksum: string | null;
}

export interface Status {
  readonly applied: readonly AppliedInfo[];
  readonly pending: readonly string[];
  /** The newest applied migration, or null at base. */
  readonly current: string | null;
  /**
   * Migrations a run began outside a transaction (MySQL, `transaction: 'none'`) and never
   * finished: they may be partly applied. Upgrade and downgrade refuse to run until `stamp`
   * records the outcome. Usually empty.
   */
  readonly incomplete: readonly IncompleteStep[];
  /**
   * Migrations another run is applying outside a transaction right now (its heartbeat is fresh):
   * not interrupted; a run waits for them. Usually empty.
   */
  readonly inProgress: readonly IncompleteStep[];
  /** Which lock a run would take here, and why (e.g. `galera lease row (wsrep_on=1; ...)`); null with `lock: false`. */
  readonly lock: string | null;
  /**
   * What `upgrade()` would refuse, one entry per migration at fault, in the order it checks them:
   * an applied file that changed (E_CHECKSUM), an applied migration whose file is missing
   * (E_MISSING_MIGRATION), a pending migration older than the newest applied one (E_OUT_OF_ORDER,
   * unless `allowOutOfOrder`). `check()` throws the first. Usually empty.
   */
  readonly problems: readonly HistoryProblemInfo[];
  /**
   * History rows newer than every known migration: a newer release applied them (a rollback
   * deploy). `upgrade()` runs on with a warning; downgrading through them needs their files.
   */
  readonly newer: readonly string[];
}

/** One thing in the history that `upgrade()` refuses (see `Status.problems`). */
export interface HistoryProblemInfo {
  /** The migration's name (without extension). */
  readonly migration: string;
  readonly code: 'E_CHECKSUM' | 'E_MISSING_MIGRATION' | 'E_OUT_OF_ORDER';
  /** The message `upgrade()` would throw with. */
  readonly message: string;
}

/** A migration a previous run began outside a transaction and did not finish. */
export interface IncompleteStep {
  /** The migration's name (without extension). */
  readonly migration: string;
  readonly direction: Direction;
  /** When that run began the step. */
  readonly startedAt: Date | null;
  /** Which process began it: `host pid N`. */
  readonly by: string | null;
  /** The run that began it (null for markers written by versions before 0.2). */
  readonly runId: string | null;
  /**
   * Last sign of life of that run: refreshed every 5 s while the step runs. Fresh (under 30 s)
   * means the migration is in progress, not interrupted.
   */
  readonly heartbeatAt: Date | null;
}

/** `0` and 'base' mean "before every migration"; 'head' means "the newest". */
export type Target = string | 0;

export interface UpgradeOptions {
  readonly to?: Target;
}

export interface DowngradeOptions {
  /** How many applied migrations to revert. Default 1 (when `to` is not given). */
  readonly step?: number;
  /** Revert everything after `to` (keeping `to`); 0 or 'base' for everything. */
  readonly to?: Target;
}

/** Options of `generate(message, options)`. */
export interface GenerateOptions {
  /**
   * Renames you decided; the differ never guesses one. `'table.oldColumn': 'newColumn'` and
   * `'oldTable': 'newTable'`, rendered as in-place renames that keep rows, keys and indexes.
   * A rename that names no column or table the models drop and add throws RenameError (E_RENAME).
   * Default: none.
   */
  readonly renames?: Readonly<Record<string, string>>;
  /**
   * Write the migration even where it would destroy data the database holds now (a dropped table
   * with rows, a dropped column with values, a narrowed type, NOT NULL over NULLs); each such
   * operation gets a warning comment with the counts. Default false: throw DataLossError (E_DATA_LOSS).
   */
  readonly allowDataLoss?: boolean;
}

export interface GenerateResult {
  readonly path: string;
  readonly operations: readonly Operation[];
  /** What the migration destroys when applied to the database as it was (only with `allowDataLoss`). */
  readonly risks: readonly DataRisk[];
}

export interface SqlOptions {
  readonly from?: Target;
  readonly to?: Target;
}
