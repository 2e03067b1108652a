import type { Operation } from '../../types/operations';
import type { Index, Table, TableRef } from '../../types/schema';
import { isExpressionIndex, refOf, sameIndexDefinition, sameList } from './compare';
import { includesIndex, type DiffContext } from './diff-context';

export interface IndexChanges {
  readonly removed: Operation[];
  readonly added: Operation[];
}

/**
 * Indexes and UNIQUE constraints of one table (a unique constraint and a unique index on the same
 * columns are the same thing). Matching, in this order:
 * - a named model index matches the database index of that name; a different definition is a
 *   removal and an addition. Expression indexes are compared by name only: the database respells
 *   the expression, so its text cannot be compared;
 * - a named UNIQUE constraint not found by name matches one with the same columns: PostgreSQL and
 *   SQLite ignore the name Sequelize gives a unique attribute in CREATE TABLE and choose their own;
 * - an unnamed one (`unique: true`) matches by columns, uniqueness, where and method.
 * Database indexes nothing matched are dropped, except expression indexes the models cannot
 * express and the index MySQL creates for a foreign key, which carries the key's name
 * (https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html). A unique key that
 * repeats the primary key is neither added nor dropped.
 */
export function diffIndexes(current: Table, desired: Table, ctx: DiffContext): IndexChanges {
  const table = refOf(desired);
  const wanted = desired.indexes.filter((index) => includesIndex(ctx, table, index));
  const matched = new Set<Index>();
  const removed: Operation[] = [];
  const added: Operation[] = [];
  const pending: Index[] = [];

  for (const index of wanted) {
    const byName = index.name === null ? undefined : current.indexes.find((c) => c.name === index.name && !matched.has(c));
    if (byName === undefined) {
      pending.push(index);
      continue;
    }
    matched.add(byName);
    const comparable = !isExpressionIndex(byName) && !isExpressionIndex(index);
    if (comparable && !sameIndexDefinition(byName, index)) {
      removed.push({ kind: 'removeIndex', table, index: byName });
      added.push({ kind: 'addIndex', table, index: named(table, index) });
    }
  }

  for (const index of pending) {
    const byDefinition =
      index.name === null || index.origin === 'constraint'
        ? current.indexes.find((c) => !matched.has(c) && !isExpressionIndex(c) && sameIndexDefinition(c, index))
        : undefined;
    if (byDefinition === undefined) {
      if (repeatsPrimaryKey(index, desired.primaryKey)) continue;
      added.push({ kind: 'addIndex', table, index: named(table, index) });
    } else {
      matched.add(byDefinition);
    }
  }

  const foreignKeyNames = new Set(current.foreignKeys.map((fk) => fk.name).filter((name) => name !== null));
  for (const index of current.indexes) {
    if (matched.has(index) || isExpressionIndex(index)) continue;
    if (index.name !== null && foreignKeyNames.has(index.name)) continue;
    if (!includesIndex(ctx, table, index) || repeatsPrimaryKey(index, desired.primaryKey)) continue;
    removed.push({ kind: 'removeIndex', table, index });
  }
  return { removed, added };
}

/**
 * A unique key on exactly the primary key's columns, in the key's order, enforces nothing the key
 * does not: whether one side has it is not drift (issue 12). Sequelize declares one on a
 * belongsToMany through model whose own key is the pair (`<through>_<fk>_<otherKey>_unique`), and
 * sync() creates it on MySQL only; hand-written migrations add it or not. Compared with the key
 * the table will have, so a key that changes does not keep an old, now meaningful, unique key.
 */
function repeatsPrimaryKey(index: Index, primaryKey: readonly string[]): boolean {
  return index.unique && primaryKey.length > 0 && !isExpressionIndex(index) && !index.where && sameList(index.columns, primaryKey);
}

/**
 * An index the models leave unnamed gets the name the migration will create it with, so that its
 * removal (the down migration) can name it: Sequelize's convention for `addConstraint({ type:
 * 'unique' })`, the one the renderer writes out.
 */
export function named(table: TableRef, index: Index): Index {
  if (index.name !== null || isExpressionIndex(index)) return index;
  const suffix = index.unique || index.origin === 'constraint' ? '_uk' : '';
  return { ...index, name: `${table.name}_${index.columns.join('_')}${suffix}` };
}
