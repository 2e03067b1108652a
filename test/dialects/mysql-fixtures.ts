/**
 * Shared pieces of the MySQL dialect tests: canonical-table builders and the model-side name
 * adoption the differ performs. Not a test file itself (ava only runs *.test.ts).
 */
import type { Column, ColumnType, ForeignKey, Index, ReferentialAction, Schema, Table } from '../../types/schema';
import { normalizeMysqlTable } from '../../lib/dialects/mysql/mysql-normalize';

export function column(name: string, type: ColumnType, extra: Partial<Column> = {}): Column {
  return { name, type, allowNull: true, defaultValue: null, autoIncrement: false, comment: null, ...extra };
}

export const ID = column('id', { name: 'INTEGER', unsigned: false }, { allowNull: false, autoIncrement: true });
export const INT: ColumnType = { name: 'INTEGER', unsigned: false };
export const DATETIME: ColumnType = { name: 'DATE', precision: null };
export const CREATED = column('created_at', DATETIME, { allowNull: false });
export const UPDATED = column('updated_at', DATETIME, { allowNull: false });

export function index(name: string, columns: string[], unique = false, using: string | null = null): Index {
  return { name, columns, unique, origin: 'index', expression: null, where: null, using };
}

export function foreignKey(
  name: string | null,
  columns: string[],
  referencedTable: string,
  onDelete: ReferentialAction,
  onUpdate: ReferentialAction,
): ForeignKey {
  return { name, columns, referencedTable, referencedSchema: null, referencedColumns: ['id'], onDelete, onUpdate };
}

export function tableNamed(schema: Schema, name: string): Table {
  const table = schema.tables.find((candidate) => candidate.name === name);
  if (table === undefined) throw new Error(`no table ${name} in ${schema.tables.map((t) => t.name).join(', ')}`);
  return table;
}

/**
 * The model side with the names the database chose, matched the way the differ matches them: a
 * null-named index by columns and uniqueness, a null-named foreign key by columns and the table
 * it references. Everything else must already be equal.
 */
export function adoptDatabaseNames(model: Table, live: Table): Table {
  const indexes = model.indexes.map((modelIndex) => {
    if (modelIndex.name !== null) return modelIndex;
    const match = live.indexes.find(
      (liveIndex) =>
        liveIndex.columns.join('\0') === modelIndex.columns.join('\0') && liveIndex.unique === modelIndex.unique,
    );
    return match === undefined ? modelIndex : { ...modelIndex, name: match.name };
  });
  const foreignKeys = model.foreignKeys.map((modelKey) => {
    if (modelKey.name !== null) return modelKey;
    const match = live.foreignKeys.find(
      (liveKey) =>
        liveKey.columns.join('\0') === modelKey.columns.join('\0') && liveKey.referencedTable === modelKey.referencedTable,
    );
    return match === undefined ? modelKey : { ...modelKey, name: match.name };
  });
  return normalizeMysqlTable({ ...model, indexes, foreignKeys });
}
