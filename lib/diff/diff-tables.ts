import type { Table, TableRef } from '../../types/schema';
import { refOf, sameList, tableKey } from './compare';
import { diffColumns, type ColumnChanges } from './diff-columns';
import { filterTable, includesTable, type DiffContext, type SetPrimaryKey } from './diff-context';
import { diffForeignKeys, type ForeignKeyChanges } from './diff-foreign-keys';
import { diffIndexes, type IndexChanges } from './diff-indexes';

export interface AlteredTable {
  readonly table: TableRef;
  readonly columns: ColumnChanges;
  readonly primaryKey: SetPrimaryKey | null;
  readonly indexes: IndexChanges;
  readonly foreignKeys: ForeignKeyChanges;
}

export interface TableChanges {
  /** Tables only the models have, as the filter lets them through, in the models' order. */
  readonly created: readonly Table[];
  /** Tables only the database has, in its order. */
  readonly dropped: readonly Table[];
  /** Tables on both sides that differ, in the models' order. */
  readonly altered: readonly AlteredTable[];
  /** Tables that exist before the migration and are not dropped: a new table may reference them at once. */
  readonly kept: ReadonlySet<string>;
}

/** Both sides already normalised. Tables the include filter rejects are neither created, dropped nor altered. */
export function diffTables(current: readonly Table[], desired: readonly Table[], ctx: DiffContext): TableChanges {
  const currentByKey = new Map(current.map((table) => [tableKey(table), table]));
  const desiredKeys = new Set(desired.map(tableKey));
  const created: Table[] = [];
  const altered: AlteredTable[] = [];
  for (const table of desired) {
    if (!includesTable(ctx, table)) continue;
    const existing = currentByKey.get(tableKey(table));
    if (existing === undefined) {
      created.push(filterTable(ctx, table));
      continue;
    }
    const changes = alterTable(existing, table, ctx);
    if (changes !== null) altered.push(changes);
  }
  const dropped = current.filter((table) => !desiredKeys.has(tableKey(table)) && includesTable(ctx, table));
  const droppedKeys = new Set(dropped.map(tableKey));
  const kept = new Set(current.map(tableKey).filter((key) => !droppedKeys.has(key)));
  return { created, dropped, altered, kept };
}

function alterTable(current: Table, desired: Table, ctx: DiffContext): AlteredTable | null {
  const table = refOf(desired);
  const columns = diffColumns(current, desired, ctx);
  const indexes = diffIndexes(current, desired, ctx);
  const foreignKeys = diffForeignKeys(current, desired, ctx);
  const primaryKey: SetPrimaryKey | null = sameList(current.primaryKey, desired.primaryKey)
    ? null
    : { kind: 'setPrimaryKey', table, from: current.primaryKey, to: desired.primaryKey };
  const count =
    columns.added.length +
    columns.changed.length +
    columns.removed.length +
    indexes.added.length +
    indexes.removed.length +
    foreignKeys.added.length +
    foreignKeys.removed.length +
    (primaryKey === null ? 0 : 1);
  return count === 0 ? null : { table, columns, primaryKey, indexes, foreignKeys };
}
