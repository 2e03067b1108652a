import { Utils } from 'sequelize';
import type { ColumnType, DefaultValue, TypeName } from '../../types/schema';

/**
 * Sequelize DataType instances -> the generic ColumnType, and attribute defaults -> DefaultValue.
 * Reads the fields Sequelize's own DataType classes keep (node_modules/sequelize/lib/data-types.js):
 * `key`, `_length`, `_decimals`, `_precision`, `_scale`, `_unsigned`, `values`, `type` (ARRAY).
 * No dialect knowledge here apart from the PostgreSQL enum type name, which is part of the schema.
 */

/** The subset of a Sequelize DataType instance this module reads. */
export interface SequelizeDataType {
  readonly key: string;
  readonly _length?: unknown;
  readonly _decimals?: unknown;
  readonly _precision?: unknown;
  readonly _scale?: unknown;
  readonly _unsigned?: unknown;
  readonly values?: readonly unknown[];
  readonly type?: SequelizeDataType;
  toSql?(options?: unknown): string;
}

const INTEGER_TYPES: ReadonlySet<string> = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INTEGER', 'BIGINT']);
const FLOATING_TYPES: ReadonlySet<string> = new Set(['FLOAT', 'REAL', 'DOUBLE']);
const PLAIN_TYPES: ReadonlySet<string> = new Set([
  'CITEXT',
  'BOOLEAN',
  'DATEONLY',
  'TIME',
  'UUID',
  'JSON',
  'JSONB',
  'INET',
]);

function positiveNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value) && Number(value) > 0) return Number(value);
  return null;
}

function numberOrNull(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return null;
}

/** TEXT('tiny') and BLOB('long') keep their size in `_length`; '' means the default size. */
function sizeVariant(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const lower = value.toLowerCase();
  return lower === 'tiny' || lower === 'medium' || lower === 'long' ? lower : null;
}

function withUnsigned(type: ColumnType, dataType: SequelizeDataType): ColumnType {
  return dataType._unsigned === true ? { ...type, unsigned: true } : type;
}

function rawType(dataType: SequelizeDataType): ColumnType {
  let raw = dataType.key;
  try {
    if (typeof dataType.toSql === 'function') raw = dataType.toSql();
  } catch {
    // Some types (RANGE, GEOMETRY subtypes) need dialect options to print; the key is enough then.
  }
  return { name: 'RAW', raw };
}

export interface TypeContext {
  /** Non-null on PostgreSQL: ENUM columns get their type name `enum_<table>_<column>`. */
  readonly enumTable: string | null;
  readonly column: string;
}

/** The generic ColumnType of a Sequelize DataType instance. */
export function columnTypeFrom(dataType: SequelizeDataType, context: TypeContext): ColumnType {
  const key = dataType.key === 'DOUBLE PRECISION' ? 'DOUBLE' : dataType.key;
  if (INTEGER_TYPES.has(key)) {
    // Display widths (INTEGER(11)) mean nothing to storage: dropped.
    return withUnsigned({ name: key as TypeName }, dataType);
  }
  if (FLOATING_TYPES.has(key)) {
    // FLOAT(p, s), REAL(p, s) and DOUBLE(p, s) keep p in `_length` and s in `_decimals`.
    const precision = positiveNumber(dataType._precision) ?? positiveNumber(dataType._length);
    // A scale without a precision means nothing (Sequelize's PostgreSQL DOUBLE drops the length
    // and keeps the decimals): both go.
    const scale = precision === null ? null : (numberOrNull(dataType._scale) ?? numberOrNull(dataType._decimals));
    return withUnsigned({ name: key as TypeName, precision, scale }, dataType);
  }
  if (PLAIN_TYPES.has(key)) return { name: key as TypeName };
  switch (key) {
    case 'STRING':
    case 'CHAR':
      return { name: key, length: positiveNumber(dataType._length) ?? 255 };
    case 'TEXT':
    case 'BLOB':
      return { name: key, variant: sizeVariant(dataType._length) };
    case 'DECIMAL':
      return withUnsigned(
        {
          name: 'DECIMAL',
          precision: positiveNumber(dataType._precision),
          scale: numberOrNull(dataType._scale),
        },
        dataType,
      );
    case 'DATE':
      return { name: 'DATE', precision: numberOrNull(dataType._length) };
    case 'ENUM':
      return {
        name: 'ENUM',
        values: (dataType.values ?? []).map(String),
        // Sequelize's Utils.generateEnumName: the type behind a PostgreSQL ENUM column.
        enumName: context.enumTable === null ? null : `enum_${context.enumTable}_${context.column}`,
      };
    case 'ARRAY':
      return dataType.type === undefined
        ? rawType(dataType)
        : { name: 'ARRAY', element: columnTypeFrom(dataType.type, context) };
    default:
      return rawType(dataType);
  }
}

/**
 * CURRENT_TIMESTAMP, CURRENT_TIMESTAMP(3), now(), datetime('now'): every spelling of "the
 * current time" a model may give as a literal.
 */
const NOW_SPELLINGS = /^\s*(?:current_timestamp\s*(?:\(\s*\d*\s*\))?|now\s*\(\s*\)|datetime\s*\(\s*'now'\s*\))\s*$/i;

/**
 * Sequelize's helper objects, recognised by shape as well as by class: an application whose
 * node_modules holds a second copy of sequelize (a duplicated peer dependency) builds them from
 * classes this module's copy does not know.
 */
function classNamed(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && (value as { constructor?: { name?: string } }).constructor?.name === name;
}

function isLiteral(value: unknown): value is { val: unknown } {
  return value instanceof Utils.Literal || (classNamed(value, 'Literal') && 'val' in (value as object));
}

function isFn(value: unknown): value is { fn: string; args: readonly unknown[] } {
  return value instanceof Utils.Fn || (classNamed(value, 'Fn') && 'fn' in (value as object));
}

/** DataTypes.NOW, UUIDV1 and UUIDV4 instances: defaults Sequelize computes in JavaScript. */
function isJavaScriptDefault(value: unknown): boolean {
  const key = typeof value === 'object' && value !== null ? (value as { key?: unknown }).key : undefined;
  return key === 'NOW' || key === 'UUIDV1' || key === 'UUIDV4';
}

export function isSequelizeMethod(value: unknown): boolean {
  return value instanceof Utils.SequelizeMethod || isLiteral(value) || isFn(value) || classNamed(value, 'Col');
}

function literalText(value: unknown): string | null {
  return isLiteral(value) ? String(value.val) : null;
}

/** `fn('gen_random_uuid')`, `fn('lower', literal("'x'"))`: printed without dialect quoting. */
function fnText(value: unknown): string | null {
  if (!isFn(value)) return null;
  const { fn, args } = value;
  const printed = (args ?? []).map((arg) => {
    const literal = literalText(arg);
    if (literal !== null) return literal;
    if (typeof arg === 'number' || typeof arg === 'boolean') return String(arg);
    if (typeof arg === 'string') return `'${arg.replace(/'/g, "''")}'`;
    return fnText(arg) ?? String(arg);
  });
  return `${fn}(${printed.join(', ')})`;
}

/** The server-side default of an attribute, or null when Sequelize never sends it to the database. */
export function defaultValueFrom(value: unknown): DefaultValue | null {
  // Mirrors Utils.defaultValueSchemable (sequelize/lib/utils.js): NOW, UUIDV1, UUIDV4 and
  // functions are evaluated in JavaScript at insert time, never written into the table.
  if (value === undefined || value === null || typeof value === 'function') return null;
  if (isJavaScriptDefault(value) || !Utils.defaultValueSchemable(value as never)) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return { kind: 'value', value };
  }
  if (typeof value === 'bigint') return { kind: 'value', value: value.toString() };
  if (value instanceof Date) return { kind: 'value', value: value.toISOString() };
  if (isSequelizeMethod(value)) {
    const sql = literalText(value) ?? fnText(value);
    if (sql === null) return null;
    return NOW_SPELLINGS.test(sql) ? { kind: 'now' } : { kind: 'sql', sql };
  }
  if (typeof value === 'object') return { kind: 'value', value: JSON.stringify(value) };
  return null;
}
