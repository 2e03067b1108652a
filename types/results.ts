/** What the migrator's methods and autoMigrate() return. */
import type { DataRisk, Operation } from './operations';
import type { Direction, StepInfo } from './migrations';

/** What `upgrade()` / `downgrade()` return, one per migration run, and what `afterStep` gets. */
export interface StepResult extends StepInfo {
  /** How long the migration itself ran, in milliseconds (as recorded in the history). */
  readonly durationMs: number;
}

/** What `autoMigrate()` returns. */
export interface AutoMigrateResult {
  /** The migrations this boot applied, in order; empty when the database was at head. */
  readonly applied: readonly StepResult[];
  /**
   * What the database still lacks to match the models after the upgrade; empty when they agree,
   * or when `onDrift` is 'ignore' (the comparison is skipped).
   */
  readonly drift: readonly Operation[];
}

/** One applied migration as the history records it. */
export interface AppliedInfo {
  /** The migration's name: its file name without extension. */
  readonly name: string;
  /** The name as the history table stores it (sequelize-cli keeps the `.js`). */
  readonly storedName: string;
  /** Null for rows written by sequelize-cli, umzug or `stamp`. */
  readonly appliedAt: Date | null;
  /** How long it ran, in milliseconds; null when the row was not written by a run of this library. */
  readonly durationMs: number | null;
  /** SHA-256 of the file when it was applied; null when not recorded (then not verified). */
  readonly checksum: string | null;
}

/** What `status()` returns: where the database stands against the migrations. */
export interface Status {
  /** Applied migrations, in run order. */
  readonly applied: readonly AppliedInfo[];
  /** Names of the migrations not applied yet, in run order. */
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

/** What `generate()` and `revision()` return: the file written and what it does. */
export interface GenerateResult {
  /** The absolute path of the migration file written. */
  readonly path: string;
  /** The operations the file's `up` applies, in order (empty for `revision()`). */
  readonly operations: readonly Operation[];
  /** What the migration destroys when applied to the database as it was (only with `allowDataLoss`). */
  readonly risks: readonly DataRisk[];
}
