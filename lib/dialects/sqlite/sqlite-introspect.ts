import { QueryTypes, type Sequelize } from 'sequelize';
import type { Column, ForeignKey, Index, ReferentialAction, Schema, Table } from '../../../types/schema';
import type { IntrospectOptions } from '../dialect';
import { parseCreateIndex, parseCreateTable, type ColumnClauses } from './sqlite-ddl';
import { parseSqliteDefault } from './sqlite-defaults';
import { parseSqliteType } from './sqlite-types';
import { groupBy } from '../group-by';

/**
 * The live SQLite schema in four queries whatever the number of tables (five when the database
 * has virtual tables): sqlite_master joined with the table-valued pragma functions
 * (https://www.sqlite.org/pragma.html#pragfunc). Sequelize's describeTable / showIndex cost three
 * queries a table and crash on expression indexes.
 */

interface MasterRow {
  readonly type: string;
  readonly name: string;
  readonly tableName: string;
  readonly sql: string | null;
  /** 1 for a virtual table. */
  readonly virtual: number;
}

interface ColumnRow {
  readonly tableName: string;
  readonly cid: number;
  readonly name: string;
  readonly type: string;
  readonly notNull: number;
  readonly defaultValue: string | null;
  readonly pk: number;
}

interface IndexRow {
  readonly tableName: string;
  readonly indexName: string;
  readonly unique: number;
  /** 'c' CREATE INDEX, 'u' UNIQUE constraint, 'pk' PRIMARY KEY. */
  readonly origin: string;
  readonly partial: number;
  readonly seqno: number;
  /** -1 the rowid, -2 an expression. */
  readonly cid: number;
  readonly columnName: string | null;
  /** 1 for key columns, 0 for the auxiliary columns index_xinfo also lists. */
  readonly isKey: number;
}

interface ForeignKeyRow {
  readonly tableName: string;
  readonly id: number;
  readonly seq: number;
  readonly referencedTable: string;
  readonly fromColumn: string;
  /** Null when the constraint names no column: the referenced table's primary key. */
  readonly toColumn: string | null;
  readonly onUpdate: string;
  readonly onDelete: string;
}

/**
 * The user's tables: sqlite_* names are SQLite's own (sqlite_sequence, sqlite_stat1), and virtual
 * tables (rootpage 0: https://www.sqlite.org/schematab.html) are skipped because their pragmas
 * fail when the module (fts5, rtree) is not loaded.
 */
const USER_TABLES = `m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND coalesce(m.rootpage, 0) <> 0`;

const MASTER_SQL = `SELECT m.type AS "type", m.name AS "name", m.tbl_name AS "tableName", m.sql AS "sql",
  coalesce(m.rootpage, 0) = 0 AS "virtual"
FROM sqlite_master m WHERE m.type IN ('table', 'index') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`;

const COLUMNS_SQL = `SELECT m.name AS "tableName", p.cid AS "cid", p.name AS "name", p.type AS "type",
  p."notnull" AS "notNull", p.dflt_value AS "defaultValue", p.pk AS "pk"
FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE ${USER_TABLES} ORDER BY m.name, p.cid`;

const INDEXES_SQL = `SELECT m.name AS "tableName", l.name AS "indexName", l."unique" AS "unique", l.origin AS "origin",
  l.partial AS "partial", x.seqno AS "seqno", x.cid AS "cid", x.name AS "columnName", x."key" AS "isKey"
FROM sqlite_master m JOIN pragma_index_list(m.name) l JOIN pragma_index_xinfo(l.name) x
WHERE ${USER_TABLES} ORDER BY m.name, l.name, x.seqno`;

const FOREIGN_KEYS_SQL = `SELECT m.name AS "tableName", f.id AS "id", f.seq AS "seq", f."table" AS "referencedTable",
  f."from" AS "fromColumn", f."to" AS "toColumn", f.on_update AS "onUpdate", f.on_delete AS "onDelete"
FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE ${USER_TABLES} ORDER BY m.name, f.id, f.seq`;

/** FTS5 and R*Tree keep their data in ordinary "shadow" tables that belong to the virtual table. */
const SHADOW_TABLES_SQL = `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'`;

async function select<T>(sequelize: Sequelize, sql: string): Promise<T[]> {
  return sequelize.query<T & object>(sql, { type: QueryTypes.SELECT, raw: true });
}

/**
 * Shadow tables are only listed by PRAGMA table_list (SQLite 3.37, 2021). On an older SQLite
 * they are reported like any table: the migrator's `include` option can leave them out.
 */
async function shadowTables(sequelize: Sequelize, master: readonly MasterRow[]): Promise<ReadonlySet<string>> {
  if (!master.some((row) => row.type === 'table' && row.virtual === 1)) return new Set();
  try {
    const rows = await select<{ name: string }>(sequelize, SHADOW_TABLES_SQL);
    return new Set(rows.map((row) => row.name));
  } catch (error) {
    if (error instanceof Error && /no such table: pragma_table_list/i.test(error.message)) return new Set();
    throw error;
  }
}


const NO_CLAUSES: ColumnClauses = { autoIncrement: false, collation: null };

function clausesOf(clauses: ReadonlyMap<string, ColumnClauses>, name: string): ColumnClauses {
  const exact = clauses.get(name);
  if (exact !== undefined) return exact;
  // SQLite compares identifiers case-insensitively: fall back to that if the spellings differ.
  const lower = name.toLowerCase();
  for (const [declared, value] of clauses) if (declared.toLowerCase() === lower) return value;
  return NO_CLAUSES;
}

function columnFrom(row: ColumnRow, clauses: ColumnClauses): Column {
  return {
    name: row.name,
    type: parseSqliteType(row.type, clauses.collation),
    allowNull: row.notNull === 0,
    defaultValue: parseSqliteDefault(row.defaultValue),
    autoIncrement: clauses.autoIncrement,
    comment: null,
  };
}

function indexFrom(rows: readonly IndexRow[], sql: string | null): Index {
  const first = rows[0] as IndexRow;
  const keys = rows.filter((row) => row.isKey === 1).sort((a, b) => a.seqno - b.seqno);
  const clauses = sql === null ? null : parseCreateIndex(sql);
  const isExpression = keys.some((row) => row.cid === -2);
  return {
    name: first.indexName,
    columns: isExpression ? [] : keys.map((row) => row.columnName ?? ''),
    unique: first.unique === 1,
    origin: first.origin === 'u' ? 'constraint' : 'index',
    expression: isExpression ? (clauses?.keys ?? '') : null,
    where: first.partial === 1 ? (clauses?.where ?? null) : null,
    using: null,
  };
}

const ACTIONS: readonly ReferentialAction[] = ['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION'];

function action(value: string): ReferentialAction {
  const upper = value.trim().toUpperCase().replace(/\s+/g, ' ');
  return (ACTIONS as readonly string[]).includes(upper) ? (upper as ReferentialAction) : 'NO ACTION';
}

function foreignKeyFrom(
  rows: readonly ForeignKeyRow[],
  primaryKeys: ReadonlyMap<string, readonly string[]>,
): ForeignKey {
  const ordered = [...rows].sort((a, b) => a.seq - b.seq);
  const first = ordered[0] as ForeignKeyRow;
  // `REFERENCES users` with no column list means the referenced table's primary key.
  const implicit = primaryKeys.get(first.referencedTable) ?? [];
  return {
    name: null,
    columns: ordered.map((row) => row.fromColumn),
    referencedTable: first.referencedTable,
    referencedSchema: null,
    referencedColumns: ordered.map((row, index) => row.toColumn ?? implicit[index] ?? 'rowid'),
    onDelete: action(first.onDelete),
    onUpdate: action(first.onUpdate),
  };
}

/**
 * Every user table of the `main` database, sorted by name, in the generic vocabulary (apply
 * normalizeSqliteTable before comparing). `options.schema` does not apply: a SQLite file is one
 * schema. Runs inside the caller's transaction when Sequelize's CLS namespace carries one.
 */
export async function introspectSqlite(sequelize: Sequelize, options: IntrospectOptions = {}): Promise<Schema> {
  const master = await select<MasterRow>(sequelize, MASTER_SQL);
  const columnRows = await select<ColumnRow>(sequelize, COLUMNS_SQL);
  const indexRows = await select<IndexRow>(sequelize, INDEXES_SQL);
  const foreignKeyRows = await select<ForeignKeyRow>(sequelize, FOREIGN_KEYS_SQL);
  const shadow = await shadowTables(sequelize, master);
  const excluded = new Set(options.excludeTables ?? []);
  const columnsByTable = groupBy(columnRows, (row) => row.tableName);
  const indexesByTable = groupBy(indexRows, (row) => row.tableName);
  const foreignKeysByTable = groupBy(foreignKeyRows, (row) => row.tableName);
  const indexSql = new Map(master.filter((row) => row.type === 'index').map((row) => [row.name, row.sql]));
  const primaryKeys = new Map(
    [...columnsByTable].map(([table, rows]) => [
      table,
      rows.filter((row) => row.pk > 0).sort((a, b) => a.pk - b.pk).map((row) => row.name),
    ]),
  );

  const tables = master
    .filter((row) => row.type === 'table' && columnsByTable.has(row.name))
    .filter((row) => !excluded.has(row.name) && !shadow.has(row.name))
    .map((row): Table => {
      const clauses = parseCreateTable(row.sql ?? '');
      const indexGroups = groupBy(indexesByTable.get(row.name) ?? [], (index) => index.indexName);
      const foreignKeyGroups = groupBy(foreignKeysByTable.get(row.name) ?? [], (key) => String(key.id));
      return {
        name: row.name,
        schema: null,
        columns: (columnsByTable.get(row.name) ?? []).map((column) =>
          columnFrom(column, clausesOf(clauses, column.name)),
        ),
        primaryKey: primaryKeys.get(row.name) ?? [],
        // The primary key's own index (origin 'pk') is the primary key, not an index.
        indexes: [...indexGroups.values()]
          .filter((group) => (group[0] as IndexRow).origin !== 'pk')
          .map((group) => indexFrom(group, indexSql.get((group[0] as IndexRow).indexName) ?? null)),
        foreignKeys: [...foreignKeyGroups.values()].map((group) => foreignKeyFrom(group, primaryKeys)),
        comment: null,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { dialect: 'sqlite', tables, enums: [] };
}
