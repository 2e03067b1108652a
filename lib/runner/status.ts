import type { AppliedInfo, HistoryProblemInfo, Status } from '../../types/options';
import { historyProblems, inRunOrder, pendingSources, type HistoryCheck } from './plan';
import type { Marker } from './progress';
import type { MigrationSource } from './sources';
import type { MigratorState } from './state';
import type { Step } from './run';
import { resolveUpgrade } from '../squash/replaces';

/** status(): the history in run order, what is pending, markers, the lock, and what upgrade would refuse. */
export async function readStatus(state: MigratorState, available: readonly MigrationSource[], rows: readonly AppliedInfo[], check: HistoryCheck): Promise<Status> {
  const applied = inRunOrder(available, rows);
  const recorded = new Set(applied.map((a) => a.name));
  const markers = (await state.progress.read()).filter((m) => !recorded.has(m.migration));
  const step = ({ storedName: _, live: __, ...rest }: Marker) => rest;
  const { lockTimeoutMs, lockStrategy, sequelize } = state.options;
  const { problems, orphans } = historyProblems(available, applied, check, true);
  return {
    applied,
    pending: pending(available, applied),
    current: applied.length > 0 ? applied[applied.length - 1].name : null,
    incomplete: markers.filter((m) => !m.live).map(step),
    inProgress: markers.filter((m) => m.live).map(step),
    lock: lockTimeoutMs === null ? null : await state.dialect.describeLock(sequelize, lockStrategy),
    problems: problems.map((p) => ({ migration: p.subject ?? '', code: p.code as HistoryProblemInfo['code'], message: p.message })),
    newer: orphans.map((o) => o.name),
  };
}

/**
 * What upgrade() would run: a squashed baseline stands in for the migrations it replaces on a
 * database that applied none of them (lib/squash/replaces.ts), so they are not pending there.
 * Where that cannot be worked out (part-way, their files gone) `problems` says why: the plain list.
 */
function pending(available: readonly MigrationSource[], applied: readonly AppliedInfo[]): string[] {
  const sources = pendingSources(available, applied);
  const planned = sources.map((source): Step => ({ source, direction: 'up', storedName: source.fileName }));
  try {
    return resolveUpgrade(available, applied, planned).map((step) => step.source.name);
  } catch {
    return sources.map((s) => s.name);
  }
}
