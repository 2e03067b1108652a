import type { Target } from '../../types/options';
import type { HistoryInsert } from './contract';
import { planStamp, resolveTarget } from './plan';
import { migrationName, type MigrationSource } from './sources';
import type { MigratorState } from './state';

/**
 * Under the lock: records `target` as the database's state without running anything. Stamping is
 * how an operator records the outcome of an interrupted migration, so every marker goes too.
 * A squashed baseline up to `target` covers the migrations it replaces, as upgrade() records them:
 * their rows are written with it (whether or not their files are still here) and never removed
 * as unknown; stamping to before a baseline removes them with it.
 */
export async function stampHistory(state: MigratorState, available: readonly MigrationSource[], target: Target): Promise<void> {
  const { history, progress } = state;
  const covered = coveredBy(available, target);
  const recorded = [...planStamp(available, [], target).add.map((source) => source.fileName), ...[...covered.values()].map((r) => r.storedName)];
  await history.prepare(recorded);
  const applied = (await history.executed()) ?? [];
  const { add, remove } = planStamp(available, applied, target);
  const removing = remove.filter((row) => !covered.has(row.name));
  await history.unlogMigration(
    removing.map((r) => r.storedName),
    null,
  );
  const rows: HistoryInsert[] = add.map((source) => ({ storedName: source.fileName, checksum: source.checksum(), appliedAt: null, durationMs: null }));
  const adding = new Set([...applied, ...add].map((a) => a.name));
  for (const [name, row] of covered) if (!adding.has(name)) rows.push(row);
  for (const row of rows) await history.logMigration(row, null);
  const markers = await progress.read();
  if (markers.length > 0) await progress.dropAll();
  const cleared = markers.length > 0 ? `; cleared the interrupted-run marker of ${markers.map((m) => m.migration).join(', ')}` : '';
  state.options.logger.info(`stamped ${target}: ${rows.length} recorded, ${removing.length} removed${cleared}`);
}

/** The migrations the baselines up to `target` replace, by name, as history rows (checksums where their files are here). */
function coveredBy(available: readonly MigrationSource[], target: Target): Map<string, HistoryInsert> {
  const kept = available.slice(0, resolveTarget(available, target, 'stamp') + 1);
  const byName = new Map(available.map((s) => [s.name, s]));
  const covered = new Map<string, HistoryInsert>();
  for (const source of kept) {
    for (const stored of source.replaces?.() ?? []) {
      const name = migrationName(stored);
      const file = byName.get(name);
      covered.set(name, { storedName: file?.fileName ?? stored, checksum: file?.checksum() ?? null, appliedAt: null, durationMs: null });
    }
  }
  return covered;
}
