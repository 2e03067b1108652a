import type { Operation } from '../../types/operations';
import type { ColumnType, EnumType, Table, TableRef } from '../../types/schema';
import { RenameError } from '../errors';
import { refOf, tableKey } from './compare';

/**
 * Renames as the caller decided them (drizzle-kit's habit: the differ never guesses one).
 * `'table.oldColumn'` maps to the new column name, `'oldTable'` to the new table name.
 */
export type Renames = Readonly<Record<string, string>>;

export interface RenamedSchema {
  /** The database's tables as they are once the renames ran: the differ compares these. */
  readonly current: readonly Table[];
  /** Its enum types (PostgreSQL), those of renamed columns under their new names. */
  readonly enums: readonly EnumType[];
  /** The renames, tables first, to run before every other operation. */
  readonly operations: readonly Operation[];
}

/**
 * Applies the renames to the introspected tables, so the differ sees a renamed column or table
 * as the same object (and only reports what else changed about it), and returns the rename
 * operations. A rename that names no pair the models drop and add is a RenameError naming it.
 * Both sides are already normalised. Pure.
 */
export function applyRenames(
  current: readonly Table[],
  desired: readonly Table[],
  renames: Renames,
  enums: readonly EnumType[] = [],
): RenamedSchema {
  const desiredByName = new Map(desired.map((table) => [table.name, table]));
  let tables = [...current];
  const operations: Operation[] = [];
  const tableRenames = Object.entries(renames).filter(([key]) => !isColumnKey(key, current, desired));
  const columnRenames = Object.entries(renames).filter(([key]) => isColumnKey(key, current, desired));
  for (const [from, to] of tableRenames) {
    const table = tables.find((t) => t.name === from);
    if (table === undefined || desiredByName.has(from) || !desiredByName.has(to) || tables.some((t) => t.name === to)) {
      throw new RenameError(
        `Cannot rename table "${from}" to "${to}": a table rename needs "${from}" in the database and not in the models, ` +
          `and "${to}" in the models and not in the database. Check the names, or leave the rename out.`,
        from,
      );
    }
    operations.push({ kind: 'renameTable', from: refOf(table), to: { name: to, schema: table.schema } });
    tables = tables.map((t) => renameTableIn(t, table, to));
  }
  for (const [key, to] of columnRenames) {
    const dot = key.lastIndexOf('.');
    const tableName = key.slice(0, dot);
    const from = key.slice(dot + 1);
    // The table by its name before or after a rename given with it.
    const renamedTo = renames[tableName];
    const table = tables.find((t) => t.name === tableName) ?? tables.find((t) => t.name === renamedTo);
    const wanted = table === undefined ? undefined : desiredByName.get(table.name);
    const has = (t: Table | undefined, column: string) => t !== undefined && t.columns.some((c) => c.name === column);
    if (table === undefined || wanted === undefined || !has(table, from) || has(table, to) || !has(wanted, to) || has(wanted, from)) {
      throw new RenameError(
        `Cannot rename column "${key}" to "${to}": a column rename needs "${from}" in the database and not in the models, ` +
          `and "${to}" in the models and not in the database, in the same table. Check the names, or leave the rename out.`,
        key,
      );
    }
    operations.push({ kind: 'renameColumn', table: refOf(table), from, to });
    tables = tables.map((t) => renameColumnIn(t, table, from, to));
  }
  return followEnumNames(tables, desired, enums, operations);
}

/**
 * A PostgreSQL enum type is named after its table and column (`enum_<table>_<column>`): where a
 * renamed column's type and the models' type differ only by that name, the type is renamed too.
 */
function followEnumNames(tables: Table[], desired: readonly Table[], enums: readonly EnumType[], operations: Operation[]): RenamedSchema {
  const renamedTables = new Set(operations.flatMap((op) => (op.kind === 'renameTable' ? [op.to.name] : [])));
  const renamedColumns = new Set(operations.flatMap((op) => (op.kind === 'renameColumn' ? [`${op.table.name}.${op.to}`] : [])));
  const moves = new Map<string, string>();
  for (const table of tables) {
    const wanted = desired.find((t) => t.name === table.name);
    for (const column of table.columns) {
      if (!renamedTables.has(table.name) && !renamedColumns.has(`${table.name}.${column.name}`)) continue;
      const from = enumNameOf(column.type);
      const to = enumNameOf(wanted?.columns.find((c) => c.name === column.name)?.type);
      if (from !== null && to !== null && from !== to && enums.some((e) => e.name === from)) moves.set(from, to);
    }
  }
  const retype = (type: ColumnType): ColumnType => {
    if (type.element) return { ...type, element: retype(type.element) };
    const to = type.name === 'ENUM' && type.enumName ? moves.get(type.enumName) : undefined;
    return to === undefined ? type : { ...type, enumName: to };
  };
  for (const [from, to] of moves) {
    operations.push({ kind: 'renameEnum', enum: enums.find((e) => e.name === from)!, to });
  }
  return {
    current: moves.size === 0 ? tables : tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, type: retype(c.type) })) })),
    enums: enums.map((e) => ({ ...e, name: moves.get(e.name) ?? e.name })),
    operations,
  };
}

function enumNameOf(type: ColumnType | undefined): string | null {
  if (type === undefined) return null;
  if (type.element) return enumNameOf(type.element);
  return type.name === 'ENUM' ? (type.enumName ?? null) : null;
}

/** `users.name` is a column when a table `users` exists on either side; `a.b` may also be a table name. */
function isColumnKey(key: string, current: readonly Table[], desired: readonly Table[]): boolean {
  const dot = key.lastIndexOf('.');
  if (dot <= 0) return false;
  if (current.some((t) => t.name === key)) return false;
  const table = key.slice(0, dot);
  return current.some((t) => t.name === table) || desired.some((t) => t.name === table);
}

function sameRef(a: TableRef, b: TableRef): boolean {
  return tableKey(a) === tableKey(b);
}

/** `table` (or a table whose keys point at `renamed`) once `renamed` is called `to`. */
export function renameTableIn(table: Table, renamed: TableRef, to: string): Table {
  const foreignKeys = table.foreignKeys.map((fk) =>
    sameRef({ name: fk.referencedTable, schema: fk.referencedSchema ?? table.schema }, renamed) ? { ...fk, referencedTable: to } : fk,
  );
  return sameRef(table, renamed) ? { ...table, name: to, foreignKeys } : { ...table, foreignKeys };
}

/** `table` once `renamed.from` is called `to`: its own keys and indexes, and keys elsewhere pointing at it. */
export function renameColumnIn(table: Table, renamed: TableRef, from: string, to: string): Table {
  const swap = (names: readonly string[]) => names.map((name) => (name === from ? to : name));
  const foreignKeys = table.foreignKeys.map((fk) =>
    sameRef({ name: fk.referencedTable, schema: fk.referencedSchema ?? table.schema }, renamed)
      ? { ...fk, referencedColumns: swap(fk.referencedColumns) }
      : fk,
  );
  if (!sameRef(table, renamed)) return { ...table, foreignKeys };
  return {
    ...table,
    columns: table.columns.map((column) => (column.name === from ? { ...column, name: to } : column)),
    primaryKey: swap(table.primaryKey),
    indexes: table.indexes.map((index) => ({ ...index, columns: swap(index.columns) })),
    foreignKeys: foreignKeys.map((fk) => ({ ...fk, columns: swap(fk.columns) })),
  };
}
