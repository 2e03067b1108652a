/**
 * Synthetic schemas for the scaling benchmark: N tables shaped like the fixture's (ten columns,
 * an index, a foreign key to the table before), built directly as `Schema` data, no database.
 */
import type { Column, DialectName, Schema, Table } from '../../types/schema';
import { tableName } from './fixture';

function column(name: string, type: Column['type'], extra: Partial<Column> = {}): Column {
  return { name, type, allowNull: true, defaultValue: null, autoIncrement: false, comment: null, ...extra };
}

function table(i: number, changed: boolean): Table {
  const name = tableName(i);
  const columns: Column[] = [
    column('id', { name: 'INTEGER' }, { allowNull: false, autoIncrement: true }),
    column('parentId', { name: 'INTEGER' }),
    column('name', { name: 'STRING', length: 100 }, { allowNull: false }),
    // The changed version alters a default (a table rebuild on SQLite) and adds a column.
    column('score', { name: 'INTEGER' }, { allowNull: false, defaultValue: { kind: 'value', value: changed ? 1 : 0 } }),
    column('price', { name: 'DECIMAL', precision: 10, scale: 2 }),
    column('active', { name: 'BOOLEAN' }, { allowNull: false, defaultValue: { kind: 'value', value: true } }),
    column('notes', { name: 'TEXT' }),
    column('born', { name: 'DATEONLY' }),
    column('createdAt', { name: 'DATE' }, { allowNull: false }),
    column('updatedAt', { name: 'DATE' }, { allowNull: false }),
    ...(changed ? [column('extra', { name: 'STRING', length: 50 })] : []),
  ];
  return {
    name,
    schema: null,
    columns,
    primaryKey: ['id'],
    indexes: [{ name: `${name}_name`, columns: ['name'], unique: false, origin: 'index' }],
    foreignKeys: [
      {
        name: `${name}_parentId_fkey`,
        columns: ['parentId'],
        referencedTable: tableName(Math.max(1, i - 1)),
        referencedSchema: null,
        referencedColumns: ['id'],
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
    ],
    comment: null,
  };
}

/** N tables; `changed`: the version with one default altered and one column added per table. */
export function syntheticSchema(dialect: DialectName, count: number, changed = false): Schema {
  return { dialect, tables: Array.from({ length: count }, (_, i) => table(i + 1, changed)), enums: [] };
}

export function emptySchema(dialect: DialectName): Schema {
  return { dialect, tables: [], enums: [] };
}
