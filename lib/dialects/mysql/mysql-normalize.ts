/**
 * The canonical MySQL / MariaDB form of a Table. Applied to both sides of a comparison (the
 * generic form lib/schema builds from the models, and what mysql-introspect.ts reads), so two
 * schemas that are the same on the server compare deep-equal. Pure; never mutates its input.
 */
import type { Column, ColumnType, ForeignKey, Index, ReferentialAction, Table } from '../../../types/schema';
import { canonicalDefault, canonicalSql } from './mysql-defaults';
import { parseMysqlColumnType } from './mysql-types';

/**
 * FLOAT(p) without a scale is stored as FLOAT for p <= 24 and DOUBLE above, and p is not kept
 * (https://dev.mysql.com/doc/refman/8.0/en/floating-point-types.html).
 */
function floatType(type: ColumnType, name: 'FLOAT' | 'DOUBLE'): ColumnType {
  const precision = type.precision ?? null;
  const scale = type.scale ?? null;
  const unsigned = type.unsigned === true;
  if (scale === null) {
    const stored = name === 'FLOAT' && precision !== null && precision > 24 ? 'DOUBLE' : name;
    return { name: stored, precision: null, scale: null, unsigned };
  }
  return { name, precision, scale, unsigned };
}

/** 0 fractional digits is the same as none. */
function fraction(precision: number | null | undefined): number | null {
  return precision ? precision : null;
}

function variant(value: string | null | undefined): string | null {
  return value ? value.toLowerCase() : null;
}

/**
 * One spelling per stored type, every field the type uses made explicit. The choices follow what
 * the server keeps: display widths vanish, DECIMAL defaults to (10,0), REAL is DOUBLE (unless
 * the REAL_AS_FLOAT SQL mode is on), JSONB does not exist and is JSON, a RAW type that MySQL
 * knows by another name is parsed into it (a model's `VARCHAR(20)` is STRING 20).
 */
export function normalizeMysqlType(type: ColumnType): ColumnType {
  switch (type.name) {
    case 'STRING':
    case 'CHAR':
      return { name: type.name, length: type.length ?? 255 };
    case 'TEXT':
    case 'BLOB':
      return { name: type.name, variant: variant(type.variant) };
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INTEGER':
    case 'BIGINT':
      return { name: type.name, unsigned: type.unsigned === true };
    case 'FLOAT':
      return floatType(type, 'FLOAT');
    case 'REAL':
    case 'DOUBLE':
      return floatType(type, 'DOUBLE');
    case 'DECIMAL':
      return { name: 'DECIMAL', precision: type.precision ?? 10, scale: type.scale ?? 0, unsigned: type.unsigned === true };
    case 'DATE':
    case 'TIME':
      return { name: type.name, precision: fraction(type.precision) };
    case 'JSON':
    case 'JSONB':
      return { name: 'JSON' };
    case 'ENUM':
      return { name: 'ENUM', values: [...(type.values ?? [])], enumName: null };
    case 'ARRAY':
      return type.element ? { name: 'ARRAY', element: normalizeMysqlType(type.element) } : { name: 'ARRAY' };
    case 'RAW': {
      const parsed = parseMysqlColumnType(type.raw ?? '');
      return parsed.name === 'RAW' ? { name: 'RAW', raw: rawText(parsed.raw ?? '') } : normalizeMysqlType(parsed);
    }
    case 'CITEXT':
    case 'BOOLEAN':
    case 'DATEONLY':
    case 'UUID':
    case 'INET':
      return { name: type.name };
    default: {
      const unreachable: never = type.name;
      return unreachable;
    }
  }
}

/** `year(4)` is MariaDB's spelling of MySQL 8's `year`; other display widths are kept. */
function rawText(raw: string): string {
  return raw.replace(/^year\(4\)/, 'year');
}

/**
 * Sequelize's MySQL query generator never writes a DEFAULT for TEXT, BLOB, GEOMETRY and JSON
 * columns (`typeWithoutDefault` in sequelize/lib/dialects/mysql/query-generator.js; MySQL itself
 * refused literal defaults there before 8.0.13), so a model default on them never reaches the
 * server and must not count as drift. TINYTEXT etc. are not in that list and keep theirs.
 */
function takesDefault(type: ColumnType): boolean {
  if (type.name === 'JSON') return false;
  if (type.name === 'TEXT' || type.name === 'BLOB') return type.variant !== null;
  return true;
}

function normalizeColumn(column: Column, primaryKey: readonly string[]): Column {
  const type = normalizeMysqlType(column.type);
  return {
    name: column.name,
    type,
    // Primary key columns are NOT NULL whatever the definition says.
    allowNull: primaryKey.includes(column.name) ? false : column.allowNull,
    // An AUTO_INCREMENT column has no DEFAULT.
    defaultValue: column.autoIncrement || !takesDefault(type) ? null : canonicalDefault(column.defaultValue, type),
    autoIncrement: column.autoIncrement,
    comment: column.comment ? column.comment : null,
  };
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((column, i) => column === b[i]);
}

/**
 * InnoDB needs an index whose first columns are a foreign key's, and creates one when none
 * exists, named after the constraint when it has a name given, else after the first column
 * (https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html , "MySQL requires
 * indexes on foreign keys"; MariaDB: https://mariadb.com/kb/en/foreign-keys/). It also drops that
 * index silently once another index can serve the key. Such an index is the server's doing, not
 * the schema's: dropped here rather than in introspection, so the rule is applied to both sides
 * alike (a model index that happens to look exactly like it is dropped too, and both still agree).
 */
function isForeignKeyIndex(index: Index, foreignKeys: readonly ForeignKey[]): boolean {
  if (index.unique || index.expression || index.columns.length === 0) return false;
  return foreignKeys.some(
    (fk) =>
      sameColumns(index.columns, fk.columns) &&
      (index.name === fk.name || index.name === fk.columns[0]),
  );
}

function normalizeIndex(index: Index): Index {
  const using = index.using ? index.using.toUpperCase() : null;
  return {
    name: index.name,
    columns: [...index.columns],
    unique: index.unique,
    // A UNIQUE constraint on MySQL is a unique index: created, listed and dropped as one.
    origin: 'index',
    expression: index.expression ? canonicalSql(index.expression) : null,
    // MySQL has no partial indexes.
    where: null,
    // BTREE is InnoDB's default; HASH on a unique index is what MariaDB (10.4+) picks by itself
    // for a unique key too long for a B-tree (TEXT/BLOB columns), so it is not asked for either:
    // https://mariadb.com/kb/en/mariadb-1041-release-notes/#long-unique-keys (InnoDB has no
    // user-requested hash indexes).
    using: using === 'BTREE' || (using === 'HASH' && index.unique) ? null : using,
  };
}

/** InnoDB treats RESTRICT and NO ACTION alike (both checked immediately). */
function action(value: ReferentialAction): ReferentialAction {
  return value === 'RESTRICT' ? 'NO ACTION' : value;
}

function normalizeForeignKey(fk: ForeignKey): ForeignKey {
  return {
    name: fk.name,
    columns: [...fk.columns],
    referencedTable: fk.referencedTable,
    referencedSchema: fk.referencedSchema ?? null,
    referencedColumns: [...fk.referencedColumns],
    onDelete: action(fk.onDelete),
    onUpdate: action(fk.onUpdate),
  };
}

function byColumnsThenName(a: { columns: readonly string[]; name: string | null }, b: typeof a): number {
  const ka = a.columns.join('\0');
  const kb = b.columns.join('\0');
  if (ka !== kb) return ka < kb ? -1 : 1;
  const na = a.name ?? '';
  const nb = b.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** The canonical MySQL form of `table`: same schema on the server, deep-equal result. */
export function normalizeMysqlTable(table: Table): Table {
  const foreignKeys = table.foreignKeys.map(normalizeForeignKey).sort(byColumnsThenName);
  return {
    name: table.name,
    schema: table.schema ?? null,
    columns: table.columns.map((column) => normalizeColumn(column, table.primaryKey)),
    primaryKey: [...table.primaryKey],
    indexes: table.indexes
      .filter((index) => !isForeignKeyIndex(index, foreignKeys))
      .map(normalizeIndex)
      .sort(byColumnsThenName),
    foreignKeys,
    comment: table.comment ? table.comment : null,
  };
}
