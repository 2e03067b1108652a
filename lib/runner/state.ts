import type { Dialect } from '../dialects/dialect';
import type { ResolvedOptions } from '../options';
import type { History } from './contract';
import type { ProgressTable } from './progress';
import type { RunContext } from './run';

/**
 * What the runner's pieces behind the facade (lock-scope.ts, interrupted-runs.ts,
 * stamp.ts, status.ts) read of one migrator: its options, dialect and stores.
 */
export interface MigratorState {
  readonly options: ResolvedOptions;
  readonly dialect: Dialect;
  readonly history: History;
  /** The marker table, created on first use. */
  readonly progress: ProgressTable;
  /** The run loop's context for this migrator (no lock: the caller adds the one it holds). */
  context(): RunContext;
}
