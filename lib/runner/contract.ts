/**
 * What the run loop (run.ts) needs of the stores behind it, and nothing more: the history in
 * umzug's storage shape (`executed` / `logMigration` / `unlogMigration`, umzug's
 * `src/storage/contract.ts`) plus what checksums and markers need. The history table
 * (history.ts), an umzug storage (umzug-storage.ts) and the in-memory stores of the tests
 * implement it; nothing else of the runner is reached through them.
 */
import type { Transaction } from 'sequelize';
import type { AppliedInfo, Direction } from '../../types/options';

/**
 * Where applied migrations are recorded. `transaction` is the migration's: writes that can join
 * it commit with the migration's statements.
 */
export interface History {
  /** Applied migrations sorted by name, with checksums where recorded; null when nothing records them yet. */
  executed(): Promise<AppliedInfo[] | null>;
  /**
   * Prepares the store for writes; called under the lock. `names`: the history names about to be
   * recorded, refused up front when the store cannot hold them (E_MIGRATION_NAME).
   */
  prepare(names?: readonly string[]): Promise<void>;
  /** Records a migration as applied, with its checksum (null: not known, not verified later). */
  logMigration(row: HistoryInsert, transaction: Transaction | null): Promise<void>;
  /** Several records in as few statements as the store allows; absent: one logMigration() each. */
  insertMany?(rows: readonly HistoryInsert[], transaction: Transaction | null): Promise<void>;
  /** Removes the records of reverted migrations. */
  unlogMigration(storedNames: readonly string[], transaction: Transaction | null): Promise<void>;
  /** Forgets what prepare() learnt: the table it created was rolled back (runner/fresh.ts). */
  forget?(): void;
}

/** One history record as the runner writes it. */
export interface HistoryInsert {
  readonly storedName: string;
  readonly checksum: string | null;
  readonly appliedAt: Date | null;
  readonly durationMs: number | null;
}

/**
 * Markers of steps under way outside a transaction (progress.ts says why and in which order).
 * `tableName` names the store in messages.
 */
export interface Markers {
  readonly tableName: string;
  /** Creates the store if this run has not yet: DDL, never inside a bookkeeping transaction. */
  ensure(): Promise<void>;
  /** Records that `storedName` is about to run in `direction`. */
  begin(storedName: string, direction: Direction, transaction: Transaction | null): Promise<void>;
  /**
   * The marker of a step that completed (its history row is written, so the marker is harmless)
   * becomes `to`'s, in one statement: one write per step instead of a removal and an insert.
   * False when `from` had no marker left to move (the caller then writes one with begin()).
   * Absent: begin() and finish() are used.
   */
  move?(from: string, to: string, direction: Direction): Promise<boolean>;
  /** Clears the markers of steps that completed (or changed nothing). */
  finish(storedNames: readonly string[], transaction: Transaction | null): Promise<void>;
  /** The run completed: clears this run's markers, and the store when none is left. */
  drop(): Promise<void>;
}
