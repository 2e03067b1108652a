/**
 * Small builders for the canonical PostgreSQL tables the tests expect, written out by hand so a
 * test states what the database must hold rather than snapshotting what came back.
 */
import type { Column, ColumnType, DefaultValue, ForeignKey, Index, ReferentialAction, Table } from '../../types/schema';

export function column(
  name: string,
  type: ColumnType,
  options: { allowNull?: boolean; defaultValue?: DefaultValue | null; autoIncrement?: boolean; comment?: string | null } = {},
): Column {
  return {
    name,
    type,
    allowNull: options.allowNull ?? true,
    defaultValue: options.defaultValue ?? null,
    autoIncrement: options.autoIncrement ?? false,
    comment: options.comment ?? null,
  };
}

export const value = (v: string | number | boolean): DefaultValue => ({ kind: 'value', value: v });
export const NOW: DefaultValue = { kind: 'now' };
export const sql = (text: string): DefaultValue => ({ kind: 'sql', sql: text });

export const T = {
  string: (length: number | null): ColumnType => ({ name: 'STRING', length }),
  char: (length: number | null): ColumnType => ({ name: 'CHAR', length }),
  text: { name: 'TEXT', variant: null } as ColumnType,
  smallint: { name: 'SMALLINT' } as ColumnType,
  integer: { name: 'INTEGER' } as ColumnType,
  bigint: { name: 'BIGINT' } as ColumnType,
  real: { name: 'REAL' } as ColumnType,
  double: { name: 'DOUBLE' } as ColumnType,
  decimal: (precision: number | null, scale: number | null): ColumnType => ({ name: 'DECIMAL', precision, scale }),
  boolean: { name: 'BOOLEAN' } as ColumnType,
  date: { name: 'DATE', precision: null } as ColumnType,
  dateonly: { name: 'DATEONLY' } as ColumnType,
  time: { name: 'TIME' } as ColumnType,
  uuid: { name: 'UUID' } as ColumnType,
  json: { name: 'JSON' } as ColumnType,
  jsonb: { name: 'JSONB' } as ColumnType,
  blob: { name: 'BLOB', variant: null } as ColumnType,
  inet: { name: 'INET' } as ColumnType,
  enum: (enumName: string, values: readonly string[]): ColumnType => ({ name: 'ENUM', values, enumName }),
  array: (element: ColumnType): ColumnType => ({ name: 'ARRAY', element }),
  raw: (raw: string): ColumnType => ({ name: 'RAW', raw }),
};

export function index(
  name: string | null,
  columns: readonly string[],
  options: Partial<Pick<Index, 'unique' | 'origin' | 'expression' | 'where' | 'using'>> = {},
): Index {
  return {
    name,
    columns,
    unique: options.unique ?? false,
    origin: options.origin ?? 'index',
    expression: options.expression ?? null,
    where: options.where ?? null,
    using: options.using ?? null,
  };
}

export function foreignKey(
  name: string | null,
  columns: readonly string[],
  referencedTable: string,
  onDelete: ReferentialAction,
  onUpdate: ReferentialAction,
  referencedColumns: readonly string[] = ['id'],
  referencedSchema: string | null = null,
): ForeignKey {
  return { name, columns, referencedTable, referencedSchema, referencedColumns, onDelete, onUpdate };
}

export function table(
  name: string,
  parts: Pick<Table, 'columns'> & Partial<Omit<Table, 'name' | 'columns'>>,
): Table {
  return {
    name,
    schema: parts.schema ?? null,
    columns: parts.columns,
    primaryKey: parts.primaryKey ?? ['id'],
    indexes: parts.indexes ?? [],
    foreignKeys: parts.foreignKeys ?? [],
    comment: parts.comment ?? null,
  };
}

/** The model side leaves some names to the database (null): take the database's there. */
export function withDatabaseNames(model: Table, database: Table | undefined): Table {
  if (!database) return model;
  const sameIndex = (a: Index, b: Index) =>
    a.unique === b.unique && a.origin === b.origin && a.columns.join() === b.columns.join();
  return {
    ...model,
    indexes: model.indexes.map((i) =>
      i.name === null ? { ...i, name: database.indexes.find((d) => sameIndex(i, d))?.name ?? null } : i,
    ),
    foreignKeys: model.foreignKeys.map((fk) =>
      fk.name === null
        ? { ...fk, name: database.foreignKeys.find((d) => d.columns.join() === fk.columns.join())?.name ?? null }
        : fk,
    ),
  };
}
