import type { Operation } from '../../types/operations';
import type { ForeignKey, Table, TableRef } from '../../types/schema';
import { refOf, sameForeignKey, sameForeignKeyTarget } from './compare';
import { includesForeignKey, type DiffContext } from './diff-context';

export interface ForeignKeyChanges {
  readonly removed: Operation[];
  readonly added: Operation[];
}

/**
 * Foreign keys of one table. A named one matches by name; an unnamed one (what the models give)
 * by columns and referenced table and columns. Matched keys whose target or actions differ are a
 * removal and an addition: no database alters a foreign key in place.
 */
export function diffForeignKeys(current: Table, desired: Table, ctx: DiffContext): ForeignKeyChanges {
  const table = refOf(desired);
  const matched = new Set<ForeignKey>();
  const removed: Operation[] = [];
  const added: Operation[] = [];
  const wanted = desired.foreignKeys.filter((fk) => includesForeignKey(ctx, table, fk));
  const pending: ForeignKey[] = [];
  for (const fk of wanted) {
    const byName = fk.name === null ? undefined : current.foreignKeys.find((c) => c.name === fk.name && !matched.has(c));
    if (byName === undefined) {
      pending.push(fk);
      continue;
    }
    matched.add(byName);
    if (!sameForeignKey(byName, fk)) {
      removed.push({ kind: 'removeForeignKey', table, foreignKey: byName });
      added.push({ kind: 'addForeignKey', table, foreignKey: namedForeignKey(table, fk) });
    }
  }
  for (const fk of pending) {
    const byTarget = current.foreignKeys.find((c) => !matched.has(c) && sameForeignKeyTarget(c, fk));
    if (byTarget === undefined) {
      added.push({ kind: 'addForeignKey', table, foreignKey: namedForeignKey(table, fk) });
      continue;
    }
    matched.add(byTarget);
    if (!sameForeignKey(byTarget, fk)) {
      removed.push({ kind: 'removeForeignKey', table, foreignKey: byTarget });
      added.push({ kind: 'addForeignKey', table, foreignKey: namedForeignKey(table, fk) });
    }
  }
  for (const fk of current.foreignKeys) {
    if (matched.has(fk) || !includesForeignKey(ctx, table, fk)) continue;
    removed.push({ kind: 'removeForeignKey', table, foreignKey: fk });
  }
  return { removed, added };
}

/**
 * A foreign key the models leave unnamed gets the name the migration creates it with, so its
 * removal can name it: Sequelize's `addConstraint({ type: 'foreign key' })` convention.
 */
export function namedForeignKey(table: TableRef, fk: ForeignKey): ForeignKey {
  return fk.name !== null ? fk : { ...fk, name: `${table.name}_${fk.columns.join('_')}_${fk.referencedTable}_fk` };
}
