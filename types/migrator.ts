import type { Operation } from './operations';
import type {
  DowngradeOptions,
  GenerateOptions,
  GenerateResult,
  SqlOptions,
  SqlScript,
  Status,
  StepResult,
  Target,
  UpgradeOptions,
} from './options';
import type { SquashOptions, SquashResult } from './squash';

/** What `createMigrator(options)` returns. Every method is one call away for the CLI too. */
export interface Migrator {
  /**
   * Applies pending migrations up to head, or up to and including `to` (default 'head'), under
   * the lock; with nothing pending it takes no lock. Returns one result per migration applied.
   * @throws UnknownTargetError (E_UNKNOWN_TARGET); what the history refuses: ChecksumError
   *   (E_CHECKSUM), MissingMigrationError (E_MISSING_MIGRATION), OutOfOrderError (E_OUT_OF_ORDER),
   *   IncompleteMigrationError (E_INCOMPLETE_MIGRATION), MigrationNameError (E_MIGRATION_NAME);
   *   LockTimeoutError (E_LOCK_TIMEOUT), LockError (E_LOCK), ConnectionError (E_CONNECTION);
   *   loading: MigrationLoadError (E_MIGRATION_LOAD), MigrationShapeError (E_MIGRATION_SHAPE);
   *   running: MigrationFailedError (E_MIGRATION_FAILED, E_SELF_DEADLOCK, E_STEP_TIMEOUT),
   *   HistoryTableError (E_HISTORY_TABLE), OptionsError (E_OPTIONS) for `transaction: 'all'` with
   *   a migration that opts out.
   */
  upgrade(options?: UpgradeOptions): Promise<StepResult[]>;
  /**
   * Reverts one migration by default; `{ step: n }`, `{ to: name }` (keeps name), `{ to: 0 }`.
   * @throws StepCountError (`E_STEP_COUNT`) when `step` exceeds the applied migrations: `{ to: 0 }` reverts all.
   * @throws NoDownError (E_NO_DOWN), MissingMigrationError (E_MISSING_MIGRATION) for a migration
   *   whose file is not here, UnknownTargetError (E_UNKNOWN_TARGET), OptionsError (E_OPTIONS) for
   *   `step` with `to`; the lock, history and run errors of upgrade().
   */
  downgrade(options?: DowngradeOptions): Promise<StepResult[]>;
  /**
   * Applied and pending migrations, interrupted ones, and what `upgrade()` would refuse
   * (`problems`). Reads only; takes no lock.
   * @throws ConnectionError (E_CONNECTION), HistoryTableError (E_HISTORY_TABLE)
   */
  status(): Promise<Status>;
  /**
   * Records migrations as applied up to `target` (or removes rows after it) without running them,
   * and clears interrupted-run markers: how an operator records what an interrupted run did.
   * @throws OptionsError (E_OPTIONS) without a target, UnknownTargetError (E_UNKNOWN_TARGET),
   *   MigrationNameError (E_MIGRATION_NAME); the lock errors of upgrade().
   */
  stamp(target: Target): Promise<void>;
  /**
   * What the database lacks to match the models. No writes. `renames` as for generate().
   * @throws ModelConflictError (`E_MODEL_CONFLICT`) when two models describe one table differently,
   * ModelNameError (`E_MODEL_NAME`) for a name Sequelize cannot write; so do generate() and check().
   */
  diff(options?: Pick<GenerateOptions, 'renames'>): Promise<Operation[]>;
  /**
   * Writes a migration file from `diff()`; null when nothing changed. `renames` turns a dropped and
   * added column or table into a rename; an operation that would destroy data the database holds
   * now throws DataLossError (E_DATA_LOSS) and writes nothing, unless `allowDataLoss`.
   * @throws RenameError (E_RENAME), DataLossError (E_DATA_LOSS), NotAtHeadError (E_NOT_AT_HEAD)
   * @example
   * await migrator.generate('rename name', { renames: { 'users.name': 'fullName' } });
   */
  generate(message: string, options?: GenerateOptions): Promise<GenerateResult | null>;
  /**
   * Writes an empty migration to fill in by hand.
   * @throws UnsupportedError (E_UNSUPPORTED) with in-code migrations (no folder to write to).
   */
  revision(message: string): Promise<GenerateResult>;
  /**
   * The CI gate. Throws, in this order: what `upgrade()` would refuse, with the same error
   * (`E_INCOMPLETE_MIGRATION`, `E_CHECKSUM`, `E_MISSING_MIGRATION`, `E_OUT_OF_ORDER`);
   * NotAtHeadError (`E_NOT_AT_HEAD`) when migrations are pending; DriftError (`E_DRIFT`) listing
   * the operations when the models differ. Resolves otherwise. History rows newer than every file
   * (a rollback deploy) pass, as they do for `upgrade()`.
   */
  check(): Promise<void>;
  /**
   * Tests: database at head with every table the migrations own empty.
   * @throws UnsupportedError (E_UNSUPPORTED) with an umzug `storage`; the errors of upgrade().
   */
  reset(): Promise<void>;
  /**
   * The SQL script an upgrade (or, with `direction: 'down'`, a downgrade) from `from` to `to`
   * would run, without running anything (offline, as Alembic's `--sql`): `sqlScript(options).text`.
   * Throws OfflineReadError (`E_OFFLINE_READ`) when a migration reads the database.
   */
  sql(options?: SqlOptions): Promise<string>;
  /** `sql()` with each migration's statements apart: what `automigrate sql --json` prints. */
  sqlScript(options?: SqlOptions): Promise<SqlScript>;
  /**
   * Writes one baseline migration creating the schema the migrations up to `to` (default head)
   * produce, marked as replacing them (`replaces`): a fresh database runs it instead of them, one
   * part-way through them runs the originals, one past them records it without running it. The
   * schema is read from a scratch database (SQLite: a temporary file; PostgreSQL, MySQL: a
   * database created beside the configured one and dropped after) upgraded to `to`.
   * @throws UnsupportedError (E_UNSUPPORTED) for in-code migrations or a name that cannot sort in place.
   */
  squash(options?: SquashOptions): Promise<SquashResult>;
  /** The migrations folder, or null for in-code migrations. */
  readonly folder: string | null;
}
