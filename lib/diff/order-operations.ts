import type { Operation } from '../../types/operations';
import type { ForeignKey, Table } from '../../types/schema';
import { refOf, tableKey } from './compare';
import type { DiffStep } from './diff-context';
import type { EnumChanges } from './diff-enums';
import { namedForeignKey } from './diff-foreign-keys';
import type { TableChanges } from './diff-tables';

/**
 * The differ's changes in an order every database accepts:
 *   1. createEnum, addEnumValues        (types before the columns using them)
 *   2. removeForeignKey                 (before the columns, indexes and tables they depend on go)
 *   3. removeIndex
 *   4. createTable                      (referenced tables first; a cycle defers its keys to 7)
 *   5. per table: addColumn, changeColumn, primary key, removeColumn
 *   6. addIndex                         (the columns exist)
 *   7. addForeignKey                    (every referenced table and column exists)
 *   8. dropTable                        (referencing tables first; a cycle removes its keys in 2)
 *   9. dropEnum                         (after the last column using it)
 * The reverse of the list, each operation reversed, is again in such an order.
 */
export function orderOperations(tables: TableChanges, enums: EnumChanges): DiffStep[] {
  const creation = orderCreated(tables.created, tables.kept);
  const removal = orderDropped(tables.dropped);
  const altered = tables.altered;
  return [
    ...enums.before,
    ...altered.flatMap((t) => t.foreignKeys.removed),
    ...removal.brokenKeys,
    ...altered.flatMap((t) => t.indexes.removed),
    ...creation.operations,
    ...altered.flatMap((t) => [
      ...t.columns.added,
      ...t.columns.changed,
      ...(t.primaryKey === null ? [] : [t.primaryKey]),
      ...t.columns.removed,
    ]),
    ...altered.flatMap((t) => t.indexes.added),
    ...altered.flatMap((t) => t.foreignKeys.added),
    ...creation.deferredKeys,
    ...removal.operations,
    ...enums.after,
  ];
}

function referencedKey(fk: ForeignKey): string {
  return tableKey({ name: fk.referencedTable, schema: fk.referencedSchema });
}

interface Creation {
  readonly operations: Operation[];
  readonly deferredKeys: Operation[];
}

/**
 * Kahn's order over the new tables' foreign keys. When only cycles remain, the first remaining
 * table is created without its keys to tables not created yet; those keys are added after every
 * table exists.
 */
function orderCreated(created: readonly Table[], kept: ReadonlySet<string>): Creation {
  const createdKeys = new Set(created.map(tableKey));
  const exists = new Set(kept);
  const ready = (fk: ForeignKey, self: string): boolean => {
    const target = referencedKey(fk);
    return target === self || exists.has(target) || !createdKeys.has(target);
  };
  let remaining = [...created];
  const operations: Operation[] = [];
  const deferredKeys: Operation[] = [];
  while (remaining.length > 0) {
    const free = remaining.find((table) => table.foreignKeys.every((fk) => ready(fk, tableKey(table))));
    const next = free ?? remaining[0]!;
    const self = tableKey(next);
    const carried = next.foreignKeys.filter((fk) => ready(fk, self));
    const deferred = next.foreignKeys.filter((fk) => !ready(fk, self));
    operations.push({ kind: 'createTable', table: { ...next, foreignKeys: carried } });
    for (const fk of deferred) {
      deferredKeys.push({ kind: 'addForeignKey', table: refOf(next), foreignKey: namedForeignKey(next, fk) });
    }
    exists.add(self);
    remaining = remaining.filter((table) => table !== next);
  }
  return { operations, deferredKeys };
}

interface Removal {
  readonly operations: Operation[];
  readonly brokenKeys: Operation[];
}

/**
 * Tables are dropped once no other table being dropped references them. When only cycles remain,
 * the keys pointing at the first remaining table are removed first (and the tables are dropped
 * without them), mirroring how a creation defers them.
 */
function orderDropped(dropped: readonly Table[]): Removal {
  let remaining = [...dropped];
  const operations: Operation[] = [];
  const brokenKeys: Operation[] = [];
  const referencedByOthers = (table: Table): boolean =>
    remaining.some(
      (other) => other !== table && other.foreignKeys.some((fk) => referencedKey(fk) === tableKey(table)),
    );
  while (remaining.length > 0) {
    let next = remaining.find((table) => !referencedByOthers(table));
    if (next === undefined) {
      const target = tableKey(remaining[0]!);
      remaining = remaining.map((table) => {
        if (tableKey(table) === target) return table;
        const broken = table.foreignKeys.filter((fk) => referencedKey(fk) === target);
        if (broken.length === 0) return table;
        for (const fk of broken) brokenKeys.push({ kind: 'removeForeignKey', table: refOf(table), foreignKey: fk });
        return { ...table, foreignKeys: table.foreignKeys.filter((fk) => referencedKey(fk) !== target) };
      });
      next = remaining[0]!;
    }
    operations.push({ kind: 'dropTable', table: next });
    const done = next;
    remaining = remaining.filter((table) => table !== done);
  }
  return { operations, brokenKeys };
}
