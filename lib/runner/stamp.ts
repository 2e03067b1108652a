import type { Target } from '../../types/options';
import { planStamp } from './plan';
import type { MigrationSource } from './sources';
import type { MigratorState } from './state';

/**
 * Under the lock: records `target` as the database's state without running anything. Stamping is
 * how an operator records the outcome of an interrupted migration, so every marker goes too.
 */
export async function stampHistory(state: MigratorState, available: readonly MigrationSource[], target: Target): Promise<void> {
  const { history, progress } = state;
  const recorded = planStamp(available, [], target).add.map((source) => source.fileName);
  await history.prepare(recorded);
  const applied = (await history.executed()) ?? [];
  const { add, remove } = planStamp(available, applied, target);
  await history.unlogMigration(
    remove.map((r) => r.storedName),
    null,
  );
  for (const source of add) {
    await history.logMigration({ storedName: source.fileName, checksum: source.checksum(), appliedAt: null, durationMs: null }, null);
  }
  const markers = await progress.read();
  if (markers.length > 0) await progress.dropAll();
  const cleared = markers.length > 0 ? `; cleared the interrupted-run marker of ${markers.map((m) => m.migration).join(', ')}` : '';
  state.options.logger.info(`stamped ${target}: ${add.length} recorded, ${remove.length} removed${cleared}`);
}
