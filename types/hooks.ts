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
}
