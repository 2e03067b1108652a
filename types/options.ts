/** What createMigrator(), autoMigrate() and the migrator's methods accept. */
import type { Sequelize } from 'sequelize';
import type { Hooks, Logger } from './hooks';
import type { Direction, InCodeMigration, MigrationParams } from './migrations';

// Before the split every public type lived here: names from the other files stay importable from
// this one, so existing `import type { AppliedInfo } from '../types/options'` keep working.
export type { Hooks, LockHolder, LockWait, Logger } from './hooks';
export type { Direction, InCodeMigration, MigrationFn, MigrationParams, StepInfo } from './migrations';
export type { AppliedInfo, AutoMigrateResult, GenerateResult, HistoryProblemInfo, IncompleteStep, Status, StepResult } from './results';

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

/** The `lock` option in full: how long to wait for another run, and which lock to take. */
export interface LockOptions {
  /** How long to wait for another process's migration run to finish. Default 60 000 ms. */
  readonly timeoutMs?: number;
  /** Default `'auto'`: see {@link LockStrategy}. */
  readonly strategy?: LockStrategy;
}

/**
 * How migrations run in transactions where the database has transactional DDL: `'each'` (the
 * default) one transaction per migration, `'all'` one for the whole run, `'none'` none (each
 * migration then gets an interrupted-run marker, as on MySQL).
 */
export type TransactionMode = 'each' | 'all' | 'none';

/** What the `include` filter of autogenerate receives: one table, column, index, foreign key or enum. */
export interface IncludeObject {
  readonly kind: 'table' | 'column' | 'index' | 'foreignKey' | 'enum';
  readonly name: string;
  /** The table the object belongs to (not set for tables and enums). */
  readonly table?: string;
}

/**
 * The options of `createMigrator()` (and of `autoMigrate()`, with `onDrift`). Only `sequelize`
 * and `migrations` are required; each other option's default is on it. An unknown or mistyped
 * option throws OptionsError (E_OPTIONS).
 */
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
   * PostgreSQL only: migrate the tenant held in this schema (created when missing). Its history
   * table, interrupted-run markers, lock, introspection, `diff()`, `generate()` and `check()` are
   * that schema's; unqualified names in its migrations land there (`SET LOCAL search_path` in
   * each migration's transaction, so schema tenants may share one Sequelize instance and pool).
   * Needs transactions: `transaction: 'none'` and migrations that opt out are refused. Default:
   * the connection's default schema. Other dialects refuse it (`E_OPTIONS`): keep a database per tenant.
   * @example createMigrator({ sequelize, migrations: 'migrations', schema: 'tenant_42' })
   */
  readonly schema?: string;
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

/** What autoMigrate does with models that still differ from the database after the upgrade (see AutoMigrateOptions.onDrift). */
export type OnDrift = 'warn' | 'throw' | 'ignore';

/** The options of `autoMigrate()`: the migrator's, plus `onDrift`. */
export interface AutoMigrateOptions extends MigratorOptions {
  /**
   * What to do when the models and the database still differ after the upgrade. Default 'warn',
   * or 'ignore' when `NODE_ENV` is 'production' (run `automigrate check` in CI instead).
   */
  readonly onDrift?: OnDrift;
}

/** `0` and 'base' mean "before every migration"; 'head' means "the newest". */
export type Target = string | 0;

/** Options of `upgrade()`. `to`: the last migration to apply (inclusive); default 'head'. */
export interface UpgradeOptions {
  readonly to?: Target;
}

/** Options of `downgrade()`: `step` or `to`, not both (OptionsError, E_OPTIONS). */
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

/**
 * Options of `sql()`: the upgrade from `from` (default, and only allowed value: the database's
 * current migration) to `to` (default 'head').
 */
export interface SqlOptions {
  /**
   * Where the script starts: a migration name, or 'base' / 0 (an empty database). Omitted: the
   * database's current migration, read from its history (the one query `sql()` then makes).
   */
  readonly from?: Target;
  /** Where it ends: `up` defaults to 'head'; `down` to one migration before `from`. */
  readonly to?: Target;
  /** 'up' (default): an upgrade script; 'down': a downgrade script. */
  readonly direction?: Direction;
}

/** One migration in an offline script (`sqlScript()`). */
export interface SqlScriptMigration {
  readonly name: string;
  readonly direction: Direction;
  /** The migration's own statements, in order, each ending with `;`. */
  readonly statements: readonly string[];
  /** The history statement the runner writes with it (INSERT for up, DELETE for down); none with an umzug storage. */
  readonly history: readonly string[];
  /** Whether the script wraps it in a transaction (BEGIN ... COMMIT), as the runner would. */
  readonly transaction: boolean;
}

/** An offline script: what an upgrade or downgrade would run, written out without running it. */
export interface SqlScript {
  readonly direction: Direction;
  /** The migration the script starts after; null: base. */
  readonly from: string | null;
  /** The migration it ends at; null: base (a downgrade of everything). */
  readonly to: string | null;
  /** The history table's creation, when the script starts from base (upgrade only). */
  readonly prelude: readonly string[];
  readonly migrations: readonly SqlScriptMigration[];
  /** What the script assumes in place of reads Sequelize would make online (also comments in `text`). */
  readonly assumptions: readonly string[];
  /** The whole script, with its transaction statements and comments, ready for psql / mysql / sqlite3. */
  readonly text: string;
}
