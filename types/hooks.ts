/**
 * What the library calls back into: the logger and the step hooks, with what they receive.
 */
import type { StepInfo } from './migrations';
import type { StepResult } from './results';

/**
 * Where the library writes what it does (`info`: each migration run; `warn`: what needs a look,
 * such as drift or an unawaited call; `debug`: each step as it starts). Default `console`;
 * `logger: false` silences it.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug?(message: string): void;
}

/**
 * Called around each migration a run applies or reverts. A hook that throws fails the run; with
 * `transaction: 'all'`, `afterStep` runs once everything committed.
 */
export interface Hooks {
  /** Before the migration runs (not called again when a step is retried outside a transaction). */
  beforeStep?(step: StepInfo): void | Promise<void>;
  /** After the migration and its history row committed. */
  afterStep?(step: StepResult): void | Promise<void>;
  /**
   * Another process holds the migration lock: called once a second while this run waits for it
   * (the first call after about a second, with who holds it; after 5 s when no holder can be
   * seen), and once more with `state: 'acquired'` when the wait ends. Not called when the lock is
   * free. Errors it throws are ignored.
   * @example hooks: { onLockWait: (w) => w.state === 'waiting' && console.log(`waiting ${w.waitedMs} ms for ${w.holder.process}`) }
   */
  onLockWait?(wait: LockWait): void;
}

/** What `hooks.onLockWait` receives. */
export interface LockWait {
  readonly state: 'waiting' | 'acquired';
  /** How long this run has waited so far. */
  readonly waitedMs: number;
  readonly holder: LockHolder;
}

/** Who holds the migration lock, as far as the database and the holder's markers tell; null: unknown. */
export interface LockHolder {
  /** The holding process: `host pid N`. */
  readonly process: string | null;
  /** The holder's server connection: `backend pid 4242` (PostgreSQL), `connection 17 (root@10.0.0.5:51234)` (MySQL). */
  readonly backend: string | null;
  /** The holder's run id, when its markers or lease name it. */
  readonly runId: string | null;
  /** Since when it holds the lock (or, where only that is known, since its current migration began). */
  readonly since: Date | null;
  /** The migration it is running, when its markers say (migrations that run outside a transaction). */
  readonly migration: string | null;
}
