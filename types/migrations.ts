/**
 * The shapes of a migration: a module of a migrations folder, or an in-code migration (umzug's
 * shape), and the parameters it receives.
 */

/** Which way a migration runs: `up` applies it, `down` reverts it. */
export type Direction = 'up' | 'down';

/** One migration run in one direction: what a `beforeStep` hook receives. */
export interface StepInfo {
  /** The migration's name (its file name without extension). */
  readonly name: string;
  readonly direction: Direction;
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
  /**
   * A squashed baseline's `replaces` (`automigrate squash`): the history names (file names with
   * their extension) of the migrations it stands for. A fresh database runs it instead of them and
   * records them all; `automigrate bundle` carries it over from the file.
   */
  readonly replaces?: readonly string[];
}
