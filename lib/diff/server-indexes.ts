import type { Operation } from '../../types/operations';
import type { Table } from '../../types/schema';
import { sameList, tableKey } from './compare';
import type { TableChanges } from './diff-tables';

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
