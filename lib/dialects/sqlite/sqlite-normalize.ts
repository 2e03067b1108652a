import type { Column, ForeignKey, Index, ReferentialAction, Table } from '../../../types/schema';
import { normalizeSqliteDefault } from './sqlite-defaults';
import { isIntegerType, normalizeSqliteType } from './sqlite-types';

/**
 * One canonical form for both sides of a SQLite comparison: the generic Table that
 * lib/schema/from-models builds and the Table that introspectSqlite reads. Pure: returns a new
 * Table and leaves its argument alone. What SQLite does not store (comments, ENUM values,
 * UNSIGNED, DATE precision, UNIQUE constraint names) is dropped on both sides, so it can never
 * show as a difference.
 */
export function normalizeSqliteTable(table: Table): Table {
  const soleIntegerKey = soleIntegerPrimaryKey(table);
  return {
    name: table.name,
    schema: table.schema ?? null,
    columns: table.columns.map((column) => normalizeColumn(column, table.primaryKey, soleIntegerKey)),
    primaryKey: [...table.primaryKey],
    indexes: table.indexes.map(normalizeIndex).sort(compareIndexes),
    foreignKeys: table.foreignKeys.map(normalizeForeignKey).sort(compareForeignKeys),
    // SQLite has nowhere to keep a table comment.
    comment: null,
  };
}

/** The name of the table's only primary key column when its type is an integer type. */
function soleIntegerPrimaryKey(table: Table): string | null {
  if (table.primaryKey.length !== 1) return null;
  const name = table.primaryKey[0] as string;
  const column = table.columns.find((candidate) => candidate.name === name);
  return column !== undefined && isIntegerType(normalizeSqliteType(column.type)) ? name : null;
}

function normalizeColumn(column: Column, primaryKey: readonly string[], soleIntegerKey: string | null): Column {
  const isRowidAlias = column.name === soleIntegerKey;
  // Sequelize's SQLite createTableQuery writes any single integer primary key (BIGINT, INTEGER(11),
  // SMALLINT...) as `INTEGER PRIMARY KEY`, SQLite's rowid alias
  // (https://www.sqlite.org/lang_createtable.html#rowid): that is what the database will hold.
  const type = isRowidAlias ? { name: 'INTEGER' as const } : normalizeSqliteType(column.type);
  return {
    name: column.name,
    type,
    // A primary key is NOT NULL in the models' eyes. SQLite reports `INTEGER PRIMARY KEY` (which
    // cannot hold NULL) as nullable, and Sequelize writes single non-integer keys without NOT NULL.
    allowNull: primaryKey.includes(column.name) ? false : column.allowNull,
    defaultValue: normalizeSqliteDefault(column.defaultValue, type),
    // AUTOINCREMENT is only valid on the rowid alias; Sequelize writes it nowhere else.
    autoIncrement: isRowidAlias && column.autoIncrement,
    // SQLite stores no column comments (capability columnComments: false).
    comment: null,
  };
}

const AUTOINDEX = 'sqlite_autoindex_';

function normalizeIndex(index: Index): Index {
  // A UNIQUE constraint's index is always named sqlite_autoindex_<table>_<n> whatever name the
  // model gave it (https://www.sqlite.org/fileformat2.html#intschema): a model-side name can never
  // be found in the database, so it goes. The database's own name stays for the differ to use.
  const modelName = index.origin === 'constraint' && index.name !== null && !index.name.startsWith(AUTOINDEX);
  const name = modelName ? null : index.name;
  const expression = index.expression ?? null;
  return {
    name,
    columns: expression === null ? [...index.columns] : [],
    unique: index.unique,
    origin: index.origin,
    expression,
    // Loaded only for a partial index: the drift check of most boots never needs it.
    where: index.where ? (require('./sqlite-predicate') as typeof import('./sqlite-predicate')).canonicalSqlitePredicate(index.where) : null,
    // SQLite has one index method.
    using: null,
  };
}

const ACTIONS: readonly ReferentialAction[] = ['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION'];

function normalizeAction(action: string): ReferentialAction {
  const upper = action.trim().toUpperCase().replace(/\s+/g, ' ');
  return (ACTIONS as readonly string[]).includes(upper) ? (upper as ReferentialAction) : 'NO ACTION';
}

function normalizeForeignKey(foreignKey: ForeignKey): ForeignKey {
  return {
    name: foreignKey.name,
    columns: [...foreignKey.columns],
    referencedTable: foreignKey.referencedTable,
    // One SQLite file is one schema (ATTACHed databases cannot be referenced by a foreign key).
    referencedSchema: null,
    referencedColumns: [...foreignKey.referencedColumns],
    // SQLite keeps RESTRICT and NO ACTION apart (RESTRICT acts at once, NO ACTION at the end of
    // the statement: https://www.sqlite.org/foreignkeys.html#fk_actions), so no synonyms here.
    onDelete: normalizeAction(foreignKey.onDelete),
    onUpdate: normalizeAction(foreignKey.onUpdate),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareIndexes(a: Index, b: Index): number {
  return (
    compareText(a.columns.join(','), b.columns.join(',')) ||
    compareText(a.name ?? '', b.name ?? '') ||
    compareText(a.expression ?? '', b.expression ?? '') ||
    compareText(a.origin, b.origin) ||
    Number(a.unique) - Number(b.unique) ||
    compareText(a.where ?? '', b.where ?? '')
  );
}

function compareForeignKeys(a: ForeignKey, b: ForeignKey): number {
  return (
    compareText(a.columns.join(','), b.columns.join(',')) ||
    compareText(a.name ?? '', b.name ?? '') ||
    compareText(a.referencedTable, b.referencedTable) ||
    compareText(a.referencedColumns.join(','), b.referencedColumns.join(',')) ||
    compareText(a.onDelete, b.onDelete) ||
    compareText(a.onUpdate, b.onUpdate)
  );
}
