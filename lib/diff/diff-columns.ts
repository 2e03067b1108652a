import type { Operation } from '../../types/operations';
import type { Column, Table } from '../../types/schema';
import { refOf, sameColumn } from './compare';
import { includesColumn, type DiffContext } from './diff-context';

export interface ColumnChanges {
  readonly added: Operation[];
  readonly changed: Operation[];
  readonly removed: Operation[];
}

/**
 * Columns of one table present on both sides, matched by name. A change compares type, nullability,
 * default, autoIncrement, and the comment where the dialect stores comments. Renames are never
 * guessed: a renamed column is a removal and an addition (rename-hints flags the pair).
 */
export function diffColumns(current: Table, desired: Table, ctx: DiffContext): ColumnChanges {
  const table = refOf(desired);
  const how = { enumTypes: ctx.capabilities.enumTypes, columnComments: ctx.capabilities.columnComments };
  const currentByName = new Map(current.columns.map((column) => [column.name, column]));
  const desiredNames = new Set(desired.columns.map((column) => column.name));
  const added: Operation[] = [];
  const changed: Operation[] = [];
  for (const column of desired.columns) {
    if (!includesColumn(ctx, table, column.name)) continue;
    const existing = currentByName.get(column.name);
    if (existing === undefined) {
      added.push({ kind: 'addColumn', table, column });
    } else if (!sameColumn(existing, column, how)) {
      changed.push({ kind: 'changeColumn', table, from: existing, to: keepUncompared(existing, column, how.columnComments) });
    }
  }
  const removed: Operation[] = current.columns
    .filter((column) => !desiredNames.has(column.name) && includesColumn(ctx, table, column.name))
    .map((column) => ({ kind: 'removeColumn', table, column }));
  return { added, changed, removed };
}

/** What the differ does not compare is not changed: a comment the dialect cannot store stays as it is. */
function keepUncompared(from: Column, to: Column, columnComments: boolean): Column {
  return columnComments ? to : { ...to, comment: from.comment };
}
