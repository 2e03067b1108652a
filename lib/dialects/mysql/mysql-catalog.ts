/**
 * Rows read from MySQL / MariaDB's information_schema -> Tables. Pure: the queries live in
 * mysql-introspect.ts, so this part is tested with rows of server versions we do not run
 * (MySQL 8's functional indexes, its unquoted defaults).
 */
import type { Column, ForeignKey, Index, ReferentialAction, Table } from '../../../types/schema';
import { canonicalDefault, parseMysqlDefault } from './mysql-defaults';
import { parseMysqlColumnType, splitTypeText } from './mysql-types';
import { groupBy } from '../group-by';

export interface MysqlServer {
  /** `SELECT VERSION()`, e.g. `10.11.19-MariaDB-0+deb12u1` or `8.0.36`. */
  readonly version: string;
  /** The connection's database (`DATABASE()`): foreign keys into it get `referencedSchema: null`. */
  readonly database: string;
  /** information_schema.STATISTICS has an EXPRESSION column (MySQL 8.0.13+; MariaDB has none). */
  readonly expressionColumn: boolean;
}

export interface MysqlTableRow {
  readonly tableName: string;
  readonly comment: string | null;
}

export interface MysqlColumnRow {
  readonly tableName: string;
  readonly columnName: string;
  readonly columnType: string;
  readonly columnDefault: string | null;
  readonly nullable: boolean;
  readonly extra: string;
  readonly collation: string | null;
  readonly comment: string | null;
}

/** One row per index part, ordered by table, index, then position in the index. */
export interface MysqlIndexRow {
  readonly tableName: string;
  readonly indexName: string;
  readonly unique: boolean;
  /** Null for a functional key part (MySQL 8), whose text is in `expression`. */
  readonly columnName: string | null;
  readonly expression: string | null;
  readonly indexType: string;
}

/** One row per foreign key column, ordered by table, constraint, then position. */
export interface MysqlForeignKeyRow {
  readonly tableName: string;
  readonly constraintName: string;
  readonly columnName: string;
  readonly referencedSchema: string | null;
  readonly referencedTable: string;
  readonly referencedColumn: string;
  readonly updateRule: string;
  readonly deleteRule: string;
}

export interface MysqlCheckRow {
  readonly tableName: string;
  readonly clause: string;
}

export interface MysqlCatalog {
  readonly server: MysqlServer;
  readonly tables: readonly MysqlTableRow[];
  /** Ordered by table, then ORDINAL_POSITION. */
  readonly columns: readonly MysqlColumnRow[];
  readonly indexes: readonly MysqlIndexRow[];
  readonly foreignKeys: readonly MysqlForeignKeyRow[];
  /** CHECK constraints; read on MariaDB only, where they mark JSON columns. */
  readonly checks: readonly MysqlCheckRow[];
}

/** MariaDB >= 10.2.7 quotes literal defaults in COLUMN_DEFAULT; MySQL never does. */
export function quotesDefaults(version: string): boolean {
  if (!/mariadb/i.test(version)) return false;
  const [major = 0, minor = 0, patch = 0] = (version.match(/^(\d+)\.(\d+)\.(\d+)/) ?? []).slice(1).map(Number);
  return major > 10 || (major === 10 && (minor > 2 || (minor === 2 && patch >= 7)));
}


const JSON_CHECK = /^json_valid\(`((?:[^`]|``)+)`\)$/i;

/** `table\0column` of every column a MariaDB `json_valid(col)` CHECK marks as JSON. */
function jsonColumns(checks: readonly MysqlCheckRow[]): Set<string> {
  const found = new Set<string>();
  for (const check of checks) {
    const match = JSON_CHECK.exec(check.clause.trim());
    if (match) found.add(`${check.tableName}\0${(match[1] as string).replace(/``/g, '`')}`);
  }
  return found;
}

function toColumn(row: MysqlColumnRow, catalog: MysqlCatalog, json: Set<string>): Column {
  const type = parseMysqlColumnType(row.columnType, {
    collation: row.collation,
    jsonCheck: json.has(`${row.tableName}\0${row.columnName}`),
  });
  const autoIncrement = /\bauto_increment\b/i.test(row.extra);
  const base = splitTypeText(row.columnType).base;
  const parsed = parseMysqlDefault(row.columnDefault, {
    quotedDefaults: quotesDefaults(catalog.server.version),
    extra: row.extra,
    temporal: base === 'datetime' || base === 'timestamp',
  });
  return {
    name: row.columnName,
    type,
    allowNull: row.nullable,
    defaultValue: autoIncrement ? null : canonicalDefault(parsed, type),
    autoIncrement,
    comment: row.comment ? row.comment : null,
  };
}

/** BTREE is InnoDB's only and default method, so it is not worth reporting. */
function indexMethod(indexType: string): string | null {
  const method = indexType.trim().toUpperCase();
  return method === '' || method === 'BTREE' ? null : method;
}

/**
 * Every index but PRIMARY. A UNIQUE constraint on MySQL *is* a unique index (it is created,
 * listed and dropped as one: https://dev.mysql.com/doc/refman/8.0/en/create-table.html#create-table-indexes-keys),
 * so every index is reported with origin 'index'. The indexes InnoDB adds for foreign keys are
 * reported too: mysql-normalize.ts decides they are not drift.
 */
function toIndex(name: string, parts: readonly MysqlIndexRow[]): Index {
  const first = parts[0] as MysqlIndexRow;
  const functional = parts.some((part) => part.columnName === null);
  return {
    name,
    columns: functional ? [] : parts.map((part) => part.columnName as string),
    unique: first.unique,
    origin: 'index',
    expression: functional
      ? parts.map((part) => part.expression ?? `\`${(part.columnName ?? '').replace(/`/g, '``')}\``).join(', ')
      : null,
    where: null,
    using: indexMethod(first.indexType),
  };
}

const ACTIONS: readonly ReferentialAction[] = ['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION'];

function toAction(rule: string): ReferentialAction {
  const action = rule.trim().toUpperCase() as ReferentialAction;
  return ACTIONS.includes(action) ? action : 'NO ACTION';
}

function toForeignKey(name: string, rows: readonly MysqlForeignKeyRow[], database: string): ForeignKey {
  const first = rows[0] as MysqlForeignKeyRow;
  return {
    name,
    columns: rows.map((row) => row.columnName),
    referencedTable: first.referencedTable,
    referencedSchema: first.referencedSchema === null || first.referencedSchema === database ? null : first.referencedSchema,
    referencedColumns: rows.map((row) => row.referencedColumn),
    onDelete: toAction(first.deleteRule),
    onUpdate: toAction(first.updateRule),
  };
}

/**
 * The catalog's tables, minus `excludeTables` (compared case-sensitively), sorted by name in code
 * unit order: the server's ORDER BY follows its collation, which differs between versions.
 */
export function tablesFromCatalog(catalog: MysqlCatalog, excludeTables: readonly string[] = []): Table[] {
  const excluded = new Set(excludeTables);
  const json = jsonColumns(catalog.checks);
  const columns = groupBy(catalog.columns, (row) => row.tableName);
  const indexes = groupBy(catalog.indexes, (row) => row.tableName);
  const foreignKeys = groupBy(catalog.foreignKeys, (row) => row.tableName);

  return catalog.tables
    .filter((table) => !excluded.has(table.tableName))
    .sort((a, b) => (a.tableName < b.tableName ? -1 : a.tableName > b.tableName ? 1 : 0))
    .map((table) => {
      const byIndex = groupBy(indexes.get(table.tableName) ?? [], (row) => row.indexName);
      const byConstraint = groupBy(foreignKeys.get(table.tableName) ?? [], (row) => row.constraintName);
      return {
        name: table.tableName,
        schema: null,
        columns: (columns.get(table.tableName) ?? []).map((row) => toColumn(row, catalog, json)),
        primaryKey: (byIndex.get('PRIMARY') ?? []).map((row) => row.columnName ?? ''),
        indexes: [...byIndex].filter(([name]) => name !== 'PRIMARY').map(([name, parts]) => toIndex(name, parts)),
        foreignKeys: [...byConstraint].map(([name, rows]) => toForeignKey(name, rows, catalog.server.database)),
        comment: table.comment ? table.comment : null,
      };
    });
}
