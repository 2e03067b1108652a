/**
 * Reads a whole MySQL / MariaDB database from information_schema in at most six queries,
 * whatever the number of tables: one for the server, then tables, columns, index parts, foreign
 * keys and (MariaDB only) CHECK constraints. Never Sequelize's per-table describeTable /
 * showIndex / getForeignKeyReferencesForTable (three queries per table).
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Schema } from '../../../types/schema';
import type { IntrospectOptions } from '../dialect';
import {
  tablesFromCatalog,
  type MysqlCatalog,
  type MysqlCheckRow,
  type MysqlColumnRow,
  type MysqlForeignKeyRow,
  type MysqlIndexRow,
  type MysqlServer,
  type MysqlTableRow,
} from './mysql-catalog';

type Row = Record<string, unknown>;

/**
 * information_schema columns are TEXT/BLOB-typed on some versions (MySQL 8's data dictionary
 * views), which mysql2 may hand back as Buffers: read every value through these.
 */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

function str(value: unknown): string {
  return text(value) ?? '';
}

async function select(sequelize: Sequelize, sql: string): Promise<Row[]> {
  return sequelize.query<Row>(sql, { type: QueryTypes.SELECT, raw: true });
}

/**
 * The server's flavour and whether STATISTICS.EXPRESSION exists (MySQL 8.0.13+ functional key
 * parts; MariaDB has no such column), so the index query names only columns that exist.
 */
async function readServer(sequelize: Sequelize): Promise<MysqlServer> {
  const [row] = await select(
    sequelize,
    `SELECT VERSION() AS version, DATABASE() AS db,
       (SELECT COUNT(*) FROM information_schema.COLUMNS
         WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = 'STATISTICS'
           AND COLUMN_NAME = 'EXPRESSION') AS expressionColumn`,
  );
  return {
    version: str(row?.version),
    database: str(row?.db),
    expressionColumn: Number(row?.expressionColumn ?? 0) > 0,
  };
}

const TABLES_SQL = `SELECT TABLE_NAME AS tableName, TABLE_COMMENT AS comment
  FROM information_schema.TABLES
  WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'
  ORDER BY TABLE_NAME`;

const COLUMNS_SQL = `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS columnName, COLUMN_TYPE AS columnType,
    COLUMN_DEFAULT AS columnDefault, IS_NULLABLE AS nullable, EXTRA AS extra,
    COLLATION_NAME AS collation, COLUMN_COMMENT AS comment
  FROM information_schema.COLUMNS
  WHERE TABLE_SCHEMA = DATABASE()
  ORDER BY TABLE_NAME, ORDINAL_POSITION`;

function indexesSql(expressionColumn: boolean): string {
  return `SELECT TABLE_NAME AS tableName, INDEX_NAME AS indexName, NON_UNIQUE AS nonUnique,
      COLUMN_NAME AS columnName, ${expressionColumn ? 'EXPRESSION' : 'NULL'} AS expression,
      INDEX_TYPE AS indexType
    FROM information_schema.STATISTICS
    WHERE TABLE_SCHEMA = DATABASE()
    ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`;
}

const FOREIGN_KEYS_SQL = `SELECT k.TABLE_NAME AS tableName, k.CONSTRAINT_NAME AS constraintName,
    k.COLUMN_NAME AS columnName, k.REFERENCED_TABLE_SCHEMA AS referencedSchema,
    k.REFERENCED_TABLE_NAME AS referencedTable, k.REFERENCED_COLUMN_NAME AS referencedColumn,
    r.UPDATE_RULE AS updateRule, r.DELETE_RULE AS deleteRule
  FROM information_schema.KEY_COLUMN_USAGE k
  JOIN information_schema.REFERENTIAL_CONSTRAINTS r
    ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME
   AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
  WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL
  ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`;

/**
 * MariaDB's JSON is an alias for LONGTEXT plus a `json_valid(col)` CHECK
 * (https://mariadb.com/kb/en/json-data-type/): the check is the only trace of the JSON type.
 * MySQL has a real JSON type, and its CHECK_CONSTRAINTS has no TABLE_NAME, so this runs on
 * MariaDB only.
 */
const CHECKS_SQL = `SELECT TABLE_NAME AS tableName, CHECK_CLAUSE AS clause
  FROM information_schema.CHECK_CONSTRAINTS
  WHERE CONSTRAINT_SCHEMA = DATABASE()`;

/** Reads every table of the connection's database (minus `options.excludeTables`). */
export async function introspectMysql(sequelize: Sequelize, options: IntrospectOptions = {}): Promise<Schema> {
  const server = await readServer(sequelize);
  const mariadb = /mariadb/i.test(server.version);
  const [tables, columns, indexes, foreignKeys, checks] = await Promise.all([
    select(sequelize, TABLES_SQL),
    select(sequelize, COLUMNS_SQL),
    select(sequelize, indexesSql(server.expressionColumn)),
    select(sequelize, FOREIGN_KEYS_SQL),
    mariadb ? select(sequelize, CHECKS_SQL) : Promise.resolve([]),
  ]);
  const catalog: MysqlCatalog = {
    server,
    tables: tables.map(
      (row): MysqlTableRow => ({ tableName: str(row.tableName), comment: text(row.comment) }),
    ),
    columns: columns.map(
      (row): MysqlColumnRow => ({
        tableName: str(row.tableName),
        columnName: str(row.columnName),
        columnType: str(row.columnType),
        columnDefault: text(row.columnDefault),
        nullable: str(row.nullable).toUpperCase() === 'YES',
        extra: str(row.extra),
        collation: text(row.collation),
        comment: text(row.comment),
      }),
    ),
    indexes: indexes.map(
      (row): MysqlIndexRow => ({
        tableName: str(row.tableName),
        indexName: str(row.indexName),
        unique: Number(str(row.nonUnique)) === 0,
        columnName: text(row.columnName),
        expression: text(row.expression),
        indexType: str(row.indexType),
      }),
    ),
    foreignKeys: foreignKeys.map(
      (row): MysqlForeignKeyRow => ({
        tableName: str(row.tableName),
        constraintName: str(row.constraintName),
        columnName: str(row.columnName),
        referencedSchema: text(row.referencedSchema),
        referencedTable: str(row.referencedTable),
        referencedColumn: str(row.referencedColumn),
        updateRule: str(row.updateRule),
        deleteRule: str(row.deleteRule),
      }),
    ),
    checks: checks.map((row): MysqlCheckRow => ({ tableName: str(row.tableName), clause: str(row.clause) })),
  };
  return {
    dialect: sequelize.getDialect() === 'mariadb' ? 'mariadb' : 'mysql',
    tables: tablesFromCatalog(catalog, options.excludeTables),
    enums: [],
  };
}
