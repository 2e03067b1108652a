/**
 * The interrupted-run policy: a previous run that died inside a migration that ran outside a
 * transaction left a marker (progress.ts); the runner stops on it (E_INCOMPLETE_MIGRATION) until an
 * operator resolves it (`stamp`), and clears markers that turned out harmless.
 */
import type { AppliedInfo } from '../../types/options';
import { settledHistory } from './live-markers';
import { inRunOrder, runOrderKey } from './plan';
import { incompleteError, type Marker } from './progress';
import type { MigrationSource } from './sources';
import type { MigratorState } from './state';

/**
 * Under the lock: the history once no other live run is inside a migration (live-markers.ts).
 * Markers whose migration has a history row are harmless and cleared.
 *
 * @throws IncompleteMigrationError (E_INCOMPLETE_MIGRATION) when a marker names a migration without a history row.
 * @throws LockTimeoutError (E_LOCK_TIMEOUT) when another live run's step outlasts the lock timeout.
 */
export async function historyUnderLock(state: MigratorState, available: readonly MigrationSource[]): Promise<AppliedInfo[]> {
  const { sequelize, lockTimeoutMs } = state.options;
  const { applied, markers } = await settledHistory(state.history, state.progress, lockTimeoutMs ?? 0, String(sequelize.config.database));
  if (markers.length === 0) return applied;
  const recorded = new Set(applied.map((a) => a.name));
  const incomplete = markers.filter((m) => !recorded.has(m.migration));
  if (incomplete.length > 0) throw incompleteIn(state, available, applied, incomplete);
  await state.progress.finish(markers.map((m) => m.storedName), null);
  await state.progress.drop();
  return applied;
}

/**
 * check(): a migration another run left unfinished (a live run's markers are not refused).
 *
 * @throws IncompleteMigrationError (E_INCOMPLETE_MIGRATION)
 */
export async function refuseIncomplete(state: MigratorState, available: readonly MigrationSource[], applied: readonly AppliedInfo[]): Promise<void> {
  const recorded = new Set(applied.map((a) => a.name));
  const incomplete = (await state.progress.read()).filter((m) => !m.live && !recorded.has(m.migration));
  if (incomplete.length > 0) throw incompleteIn(state, available, applied, incomplete);
}

function incompleteIn(state: MigratorState, available: readonly MigrationSource[], applied: readonly AppliedInfo[], incomplete: readonly Marker[]): Error {
  return incompleteError(state.dialect, incomplete, inRunOrder(available, applied), runOrderKey(available));
}
