import type { HeldLock } from '../dialects/dialect';
import { describeError } from '../errors';
import type { ProgressTable } from './progress';
import type { MigratorState } from './state';

/**
 * Runs `fn` holding the migration lock, so concurrent boots apply each migration once; without a
 * lock (`lockTimeoutMs: null`) `fn` gets none. `progress`: the marker table if this migrator
 * created one. When `fn` fails, its markers are abandoned first (they then name an interrupted
 * migration at once, see progress.ts) and the lock is released; a release that fails then (its
 * connection died with the migration's) does not hide why the run failed: the server frees the
 * lock with the connection.
 *
 * @throws LockTimeoutError (E_LOCK_TIMEOUT), LockError (E_LOCK), ConnectionError (E_CONNECTION)
 *   while taking the lock; whatever `fn` throws.
 */
export async function withLock<T>(
  state: Pick<MigratorState, 'options' | 'dialect' | 'progress'>,
  progress: () => ProgressTable | undefined,
  fn: (lock: HeldLock | undefined) => Promise<T>,
): Promise<T> {
  const { sequelize, tableName, lockTimeoutMs, lockStrategy, logger, hooks } = state.options;
  if (lockTimeoutMs === null) return fn(undefined);
  const request = { key: tableName, schema: state.options.schema, timeoutMs: lockTimeoutMs, strategy: lockStrategy, runId: state.progress.runId };
  const { acquireReportingWait } = require('./lock-wait') as typeof import('./lock-wait');
  const held = await acquireReportingWait(state.dialect, sequelize, request, hooks.onLockWait, () => state.progress).catch((error: unknown) => {
    throw (require('./connection') as typeof import('./connection')).asConnectionError(sequelize, error) ?? error;
  });
  let result: T;
  try {
    result = await fn(held);
  } catch (error) {
    await progress()?.abandon();
    await held.release().catch(() => undefined);
    throw error;
  }
  progress()?.stopHeartbeat();
  await held.release().catch((error: unknown) => {
    logger.warn(`Releasing the migration lock failed (${describeError(error)}); it is freed when its connection closes.`);
  });
  return result;
}
