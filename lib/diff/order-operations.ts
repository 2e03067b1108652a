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
 * The smallest index among those pushed: picks "the first table, in the differ's order, that is
 * free", as a scan of the remaining list would, in O(log n) instead of O(n) per table.
 */
class IndexHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= value) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = value;
  }

  pop(): number | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= a.length) break;
        const child = left + 1 < a.length && a[left + 1]! < a[left]! ? left + 1 : left;
        if (a[child]! >= last) break;
        a[i] = a[child]!;
        i = child;
      }
      a[i] = last;
    }
    return top;
  }
}

/** The first index not yet taken, for "the first remaining table" when only cycles remain. */
function firstRemaining(taken: readonly boolean[], from: number): number {
  let i = from;
  while (taken[i]) i++;
  return i;
}

/**
 * Kahn's order over the new tables' foreign keys: each table is created once every table it
 * references exists, the first such table in the differ's order first. When only cycles remain,
 * the first remaining table is created without its keys to tables not created yet; those keys are
 * added after every table exists. Counts of blocking keys per table, and who references whom,
 * keep it O((tables + keys) log tables).
 */
function orderCreated(created: readonly Table[], kept: ReadonlySet<string>): Creation {
  const keys = created.map(tableKey);
  const indexOf = new Map(keys.map((key, i) => [key, i]));
  const exists = new Set(kept);
  const ready = (fk: ForeignKey, self: string): boolean => {
    const target = referencedKey(fk);
    return target === self || exists.has(target) || !indexOf.has(target);
  };
  const blocking = created.map((table, i) => table.foreignKeys.filter((fk) => !ready(fk, keys[i]!)).length);
  const referencedBy = new Map<string, number[]>();
  created.forEach((table, i) => {
    for (const fk of table.foreignKeys) {
      if (ready(fk, keys[i]!)) continue;
      const list = referencedBy.get(referencedKey(fk)) ?? [];
      list.push(i);
      referencedBy.set(referencedKey(fk), list);
    }
  });
  const free = new IndexHeap();
  blocking.forEach((count, i) => count === 0 && free.push(i));
  const taken = created.map(() => false);
  const operations: Operation[] = [];
  const deferredKeys: Operation[] = [];
  let first = 0;
  for (let done = 0; done < created.length; done++) {
    first = firstRemaining(taken, first);
    const i = free.size > 0 ? free.pop()! : first;
    const next = created[i]!;
    const self = keys[i]!;
    const carried = next.foreignKeys.filter((fk) => ready(fk, self));
    const deferred = next.foreignKeys.filter((fk) => !ready(fk, self));
    operations.push({ kind: 'createTable', table: { ...next, foreignKeys: carried } });
    for (const fk of deferred) {
      deferredKeys.push({ kind: 'addForeignKey', table: refOf(next), foreignKey: namedForeignKey(next, fk) });
    }
    taken[i] = true;
    exists.add(self);
    for (const j of referencedBy.get(self) ?? []) {
      blocking[j]!--;
      if (blocking[j] === 0 && !taken[j]) free.push(j);
    }
  }
  return { operations, deferredKeys };
}

interface Removal {
  readonly operations: Operation[];
  readonly brokenKeys: Operation[];
}

/**
 * Tables are dropped once no other table being dropped references them, the first such table in
 * the differ's order first. When only cycles remain, the keys pointing at the first remaining
 * table are removed first (and the tables are dropped without them), mirroring how a creation
 * defers them. Reference counts keep it O((tables + keys) log tables).
 */
function orderDropped(dropped: readonly Table[]): Removal {
  const keys = dropped.map(tableKey);
  const indexOf = new Map(keys.map((key, i) => [key, i]));
  const current = [...dropped];
  const references = dropped.map(() => 0);
  const referencedBy = new Map<number, number[]>();
  dropped.forEach((table, i) => {
    for (const fk of table.foreignKeys) {
      const target = indexOf.get(referencedKey(fk));
      if (target === undefined || target === i) continue;
      references[target]!++;
      const list = referencedBy.get(target) ?? [];
      if (list[list.length - 1] !== i) list.push(i);
      referencedBy.set(target, list);
    }
  });
  const free = new IndexHeap();
  references.forEach((count, i) => count === 0 && free.push(i));
  const taken = dropped.map(() => false);
  const operations: Operation[] = [];
  const brokenKeys: Operation[] = [];
  let first = 0;
  for (let done = 0; done < dropped.length; done++) {
    first = firstRemaining(taken, first);
    let i = free.size > 0 ? free.pop()! : undefined;
    if (i === undefined) {
      i = first;
      const target = keys[i]!;
      for (const j of referencedBy.get(i) ?? []) {
        if (taken[j]) continue;
        const table = current[j]!;
        const broken = table.foreignKeys.filter((fk) => referencedKey(fk) === target);
        for (const fk of broken) brokenKeys.push({ kind: 'removeForeignKey', table: refOf(table), foreignKey: fk });
        current[j] = { ...table, foreignKeys: table.foreignKeys.filter((fk) => referencedKey(fk) !== target) };
        references[i]! -= broken.length;
      }
    }
    const next = current[i]!;
    operations.push({ kind: 'dropTable', table: next });
    taken[i] = true;
    for (const fk of next.foreignKeys) {
      const target = indexOf.get(referencedKey(fk));
      if (target === undefined || target === i || taken[target]) continue;
      references[target]!--;
      if (references[target] === 0) free.push(target);
    }
  }
  return { operations, brokenKeys };
}
