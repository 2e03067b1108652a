import type { Operation } from '../../types/operations';
import type { Column, Table, TableRef } from '../../types/schema';
import { refOf, sameList, tableKey } from './compare';
import { diffColumns, type ColumnChanges } from './diff-columns';
import { filterTable, includesTable, type DiffContext, type AlterPrimaryKey } from './diff-context';
import { diffForeignKeys, type ForeignKeyChanges } from './diff-foreign-keys';
import { diffIndexes, type IndexChanges } from './diff-indexes';

export interface AlteredTable {
  readonly table: TableRef;
  readonly columns: ColumnChanges;
  readonly primaryKey: AlterPrimaryKey | null;
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
  const primaryKey: AlterPrimaryKey | null = sameList(current.primaryKey, desired.primaryKey)
    ? null
    : { kind: 'alterPrimaryKey', table, from: current.primaryKey, to: desired.primaryKey };
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

/**
 * The differ compares normalised tables, where a dialect drops what it cannot store (SQLite keeps
 * an ENUM as TEXT, no UNSIGNED, no DATE precision). A migration must still say what the models say,
 * so that generated against SQLite it creates an ENUM on PostgreSQL and MySQL: the columns that
 * operations create or change take back the models' own types.
 */
export function withModelTypes(changes: TableChanges, models: readonly Table[]): TableChanges {
  const byKey = new Map(models.map((table) => [tableKey(table), table]));
  const typed = (table: Table | undefined, column: Column): Column => {
    const model = table?.columns.find((candidate) => candidate.name === column.name);
    return model === undefined ? column : { ...column, type: model.type };
  };
  const operation = (op: Operation): Operation => {
    const model = 'table' in op && op.kind !== 'createTable' && op.kind !== 'dropTable' ? byKey.get(tableKey(op.table)) : undefined;
    if (op.kind === 'addColumn') return { ...op, column: typed(model, op.column) };
    if (op.kind === 'changeColumn') return { ...op, to: typed(model, op.to) };
    return op;
  };
  return {
    ...changes,
    created: changes.created.map((table) => ({ ...table, columns: table.columns.map((column) => typed(byKey.get(tableKey(table)), column)) })),
    altered: changes.altered.map((altered) => ({
      ...altered,
      columns: {
        added: altered.columns.added.map(operation),
        changed: altered.columns.changed.map(operation),
        removed: altered.columns.removed,
      },
    })),
  };
}

/**
 * Indexes a database made by itself for a foreign key (InnoDB does:
 * https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html) are hidden from the
 * comparison by the dialect's normalisation while the key exists, and stay behind when the key
 * is dropped. Found here as what normalisation hid on exactly a removed key's columns, and
 * dropped with the key (after it; re-created before it in `down`), so one migration converges.
 * Not when the models keep a key or an index on those columns.
 */
export function dropServerIndexes(
  changes: TableChanges,
  introspected: readonly Table[],
  desired: readonly Table[],
  normalize: (table: Table) => Table,
): TableChanges {
  const rawByKey = new Map(introspected.map((table) => [tableKey(table), table]));
  const desiredByKey = new Map(desired.map((table) => [tableKey(table), table]));
  const altered = changes.altered.map((table) => {
    const raw = rawByKey.get(tableKey(table.table));
    const wanted = desiredByKey.get(tableKey(table.table));
    if (raw === undefined || wanted === undefined || table.foreignKeys.removed.length === 0) return table;
    const visible = new Set(normalize(raw).indexes.map((index) => index.name));
    // The same indexes once no key hides them, in the dialect's canonical form.
    const unhidden = normalize({ ...raw, foreignKeys: [] }).indexes;
    const left: Operation[] = table.foreignKeys.removed.flatMap((op) => {
      if (op.kind !== 'removeForeignKey') return [];
      const index = unhidden.find((i) => !i.unique && !visible.has(i.name) && sameList(i.columns, op.foreignKey.columns));
      if (index === undefined) return [];
      const kept = wanted.foreignKeys.some((fk) => sameList(fk.columns, index.columns)) || wanted.indexes.some((i) => sameList(i.columns, index.columns));
      return kept ? [] : [{ kind: 'removeIndex' as const, table: table.table, index }];
    });
    return left.length === 0 ? table : { ...table, indexes: { ...table.indexes, removed: [...table.indexes.removed, ...left] } };
  });
  return { ...changes, altered };
}
