/** What the database holds, read through Sequelize's own QueryInterface (fine in tests). */
import { QueryTypes, type Sequelize } from 'sequelize';

export interface IndexFacts {
  readonly name: string;
  readonly unique: boolean;
  readonly columns: readonly string[];
}

type TableName = string | { tableName: string; schema: string };

export async function tableNames(sequelize: Sequelize): Promise<string[]> {
  const tables = (await sequelize.getQueryInterface().showAllTables()) as unknown[];
  return tables
    .map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName))
    .filter((name) => name !== 'sqlite_sequence')
    .sort();
}

export async function columnsOf(sequelize: Sequelize, table: TableName): Promise<Record<string, { type: string; allowNull: boolean; defaultValue: unknown }>> {
  return (await sequelize.getQueryInterface().describeTable(table)) as never;
}

/** Secondary indexes (not the primary key), sorted by name. */
export async function indexesOf(sequelize: Sequelize, table: TableName): Promise<IndexFacts[]> {
  const rows = (await sequelize.getQueryInterface().showIndex(table)) as {
    name: string;
    unique: boolean;
    primary: boolean;
    fields: { attribute: string }[];
  }[];
  return rows
    .filter((row) => !row.primary && row.name !== 'PRIMARY')
    .map((row) => ({ name: row.name, unique: Boolean(row.unique), columns: row.fields.map((f) => f.attribute) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The column sets of the table's unique indexes, whatever their names. */
export async function uniqueColumnSets(sequelize: Sequelize, table: TableName): Promise<string[]> {
  return (await indexesOf(sequelize, table))
    .filter((index) => index.unique)
    .map((index) => index.columns.join(','))
    .sort();
}

export interface ForeignKeyFacts {
  readonly column: string;
  readonly referencedTable: string;
  readonly referencedColumn: string;
  readonly name: string | undefined;
}

export async function foreignKeysOf(sequelize: Sequelize, table: string): Promise<ForeignKeyFacts[]> {
  const rows = (await sequelize.getQueryInterface().getForeignKeyReferencesForTable(table)) as {
    columnName: string;
    referencedTableName: string;
    referencedColumnName: string;
    constraintName?: string;
  }[];
  return rows
    .map((row) => ({
      column: row.columnName,
      referencedTable: row.referencedTableName,
      referencedColumn: row.referencedColumnName,
      name: row.constraintName,
    }))
    .sort((a, b) => `${a.column}${a.name ?? ''}`.localeCompare(`${b.column}${b.name ?? ''}`));
}

export async function rows<T extends object = Record<string, unknown>>(sequelize: Sequelize, sql: string): Promise<T[]> {
  return sequelize.query<T>(sql, { type: QueryTypes.SELECT });
}
