import type { Target } from './options';

/** `migrator.squash(options)`. */
export interface SquashOptions {
  /** The last migration the baseline replaces. Default 'head': every migration of the folder. */
  readonly to?: Target;
}

/** A migration of the replaced range that wrote rows: data the baseline does not recreate. */
export interface SquashDataWrite {
  readonly migration: string;
  /** The statement, shortened for the header comment. */
  readonly statement: string;
}

/** What `migrator.squash()` wrote. */
export interface SquashResult {
  /** The baseline file. */
  readonly path: string;
  /** The names it replaces, in run order. */
  readonly replaces: readonly string[];
  /** Row writes (INSERT ... VALUES, UPDATE, DELETE) the replaced migrations ran: named in the file's header. */
  readonly data: readonly SquashDataWrite[];
}
