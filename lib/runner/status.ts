import type { AppliedInfo, HistoryProblemInfo, Status } from '../../types/options';
import { historyProblems, inRunOrder, pendingSources, type HistoryCheck } from './plan';
import type { Marker } from './progress';
import type { MigrationSource } from './sources';
import type { MigratorState } from './state';
import { pendingInPlace } from '../squash/replaces';

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
    pending: pendingInPlace(available, applied, pendingSources(available, applied)).map((s) => s.name),
    current: applied.length > 0 ? applied[applied.length - 1].name : null,
    incomplete: markers.filter((m) => !m.live).map(step),
    inProgress: markers.filter((m) => m.live).map(step),
    lock: lockTimeoutMs === null ? null : await state.dialect.describeLock(sequelize, lockStrategy),
    problems: problems.map((p) => ({ migration: p.subject ?? '', code: p.code as HistoryProblemInfo['code'], message: p.message })),
    newer: orphans.map((o) => o.name),
  };
}
