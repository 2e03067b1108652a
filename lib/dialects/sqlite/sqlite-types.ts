import type { ColumnType, TypeName } from '../../../types/schema';

/**
 * SQLite keeps a column's declared type as free text and only derives an affinity from it
 * (https://www.sqlite.org/datatype3.html#determination_of_column_affinity). These functions read
 * that text back into Sequelize's vocabulary: the spellings Sequelize writes
 * (node_modules/sequelize/lib/dialects/sqlite/data-types.js: VARCHAR(255), TINYINT(1) for
 * BOOLEAN, DATETIME for DATE, DATE for DATEONLY, TEXT for ENUM, TEXT COLLATE NOCASE for CITEXT,
 * DOUBLE PRECISION for DOUBLE) and the usual hand-written ones (int4, character varying(20),
 * INT(11), numeric(5,2), timestamp).
 */

/** Words that change nothing SQLite stores: Sequelize's SQLite types drop UNSIGNED themselves. */
const MODIFIERS: ReadonlySet<string> = new Set(['UNSIGNED', 'SIGNED', 'ZEROFILL', 'BINARY']);

type Parser = (args: readonly number[]) => ColumnType;

const plain =
  (name: TypeName): Parser =>
  () => ({ name });
const sized =
  (name: 'STRING' | 'CHAR'): Parser =>
  (args) => ({ name, length: args[0] ?? null });
const numeric =
  (name: 'FLOAT' | 'REAL' | 'DOUBLE' | 'DECIMAL'): Parser =>
  (args) => ({ name, precision: args[0] ?? null, scale: args[1] ?? null });
const variant =
  (name: 'TEXT' | 'BLOB', size: string | null): Parser =>
  () => ({ name, variant: size });

const PARSERS: Readonly<Record<string, Parser>> = {
  INTEGER: plain('INTEGER'),
  INT: plain('INTEGER'),
  INT4: plain('INTEGER'),
  // MySQL's convention, which Sequelize follows on SQLite: BOOLEAN is written TINYINT(1).
  TINYINT: (args) => (args[0] === 1 ? { name: 'BOOLEAN' } : { name: 'TINYINT' }),
  INT1: plain('TINYINT'),
  SMALLINT: plain('SMALLINT'),
  INT2: plain('SMALLINT'),
  MEDIUMINT: plain('MEDIUMINT'),
  INT3: plain('MEDIUMINT'),
  BIGINT: plain('BIGINT'),
  INT8: plain('BIGINT'),
  'BIG INT': plain('BIGINT'),
  VARCHAR: sized('STRING'),
  VARCHAR2: sized('STRING'),
  NVARCHAR: sized('STRING'),
  'CHARACTER VARYING': sized('STRING'),
  'VARYING CHARACTER': sized('STRING'),
  'NATIONAL VARCHAR': sized('STRING'),
  'NATIONAL CHARACTER VARYING': sized('STRING'),
  CHAR: sized('CHAR'),
  CHARACTER: sized('CHAR'),
  NCHAR: sized('CHAR'),
  'NATIVE CHARACTER': sized('CHAR'),
  'NATIONAL CHARACTER': sized('CHAR'),
  'NATIONAL CHAR': sized('CHAR'),
  TEXT: variant('TEXT', null),
  CLOB: variant('TEXT', null),
  TINYTEXT: variant('TEXT', 'tiny'),
  MEDIUMTEXT: variant('TEXT', 'medium'),
  LONGTEXT: variant('TEXT', 'long'),
  FLOAT: numeric('FLOAT'),
  REAL: numeric('REAL'),
  FLOAT4: numeric('REAL'),
  DOUBLE: numeric('DOUBLE'),
  'DOUBLE PRECISION': numeric('DOUBLE'),
  FLOAT8: numeric('DOUBLE'),
  DECIMAL: numeric('DECIMAL'),
  DEC: numeric('DECIMAL'),
  NUMERIC: numeric('DECIMAL'),
  BOOLEAN: plain('BOOLEAN'),
  BOOL: plain('BOOLEAN'),
  DATETIME: (args) => ({ name: 'DATE', precision: args[0] ?? null }),
  TIMESTAMP: (args) => ({ name: 'DATE', precision: args[0] ?? null }),
  TIMESTAMPTZ: (args) => ({ name: 'DATE', precision: args[0] ?? null }),
  'TIMESTAMP WITH TIME ZONE': (args) => ({ name: 'DATE', precision: args[0] ?? null }),
  'TIMESTAMP WITHOUT TIME ZONE': (args) => ({ name: 'DATE', precision: args[0] ?? null }),
  DATE: plain('DATEONLY'),
  TIME: plain('TIME'),
  'TIME WITH TIME ZONE': plain('TIME'),
  'TIME WITHOUT TIME ZONE': plain('TIME'),
  UUID: plain('UUID'),
  JSON: plain('JSON'),
  JSONB: plain('JSONB'),
  BLOB: variant('BLOB', null),
  TINYBLOB: variant('BLOB', 'tiny'),
  MEDIUMBLOB: variant('BLOB', 'medium'),
  LONGBLOB: variant('BLOB', 'long'),
  INET: plain('INET'),
};

/** The declared type text, upper-cased with single spaces: SQLite's type names ignore case. */
function canonicalText(declared: string): string {
  return declared
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*\)/g, ')')
    .toUpperCase();
}

/**
 * The ColumnType behind a declared type. `collation` is the column's COLLATE clause (from the
 * CREATE TABLE text): TEXT COLLATE NOCASE is how Sequelize writes CITEXT on SQLite. A spelling
 * with no Sequelize equivalent stays RAW, upper-cased.
 */
export function parseSqliteType(declared: string, collation: string | null = null): ColumnType {
  // Sequelize's own spelling of CITEXT carries its COLLATE clause inside the type text.
  const collated = /^(.*?)\s+COLLATE\s+"?([A-Za-z_]+)"?$/i.exec(declared.trim());
  if (collated !== null) return parseSqliteType(collated[1] as string, (collated[2] as string).toUpperCase());
  const text = canonicalText(declared);
  const raw: ColumnType = { name: 'RAW', raw: text };
  const argumentsMatch = /\(([^()]*)\)/.exec(text);
  const args = argumentsMatch === null ? [] : (argumentsMatch[1] as string).split(',');
  if (!args.every((arg) => /^\d+$/.test(arg))) return raw;
  const base = text
    .replace(/\([^()]*\)/, ' ')
    .split(' ')
    .filter((word) => word !== '' && !MODIFIERS.has(word))
    .join(' ');
  const parser = PARSERS[base];
  if (parser === undefined) return raw;
  const type = parser(args.map(Number));
  return type.name === 'TEXT' && collation === 'NOCASE' ? { name: 'CITEXT' } : type;
}

const INTEGER_TYPES: ReadonlySet<TypeName> = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INTEGER', 'BIGINT']);
const NUMERIC_TYPES: ReadonlySet<TypeName> = new Set([...INTEGER_TYPES, 'FLOAT', 'REAL', 'DOUBLE', 'DECIMAL']);
const TEXT_TYPES: ReadonlySet<TypeName> = new Set(['STRING', 'CHAR', 'TEXT', 'CITEXT']);

export function isIntegerType(type: ColumnType): boolean {
  return INTEGER_TYPES.has(type.name);
}

/** Types whose column has INTEGER or REAL affinity: numeric text is stored as a number. */
export function hasNumericAffinity(type: ColumnType): boolean {
  return NUMERIC_TYPES.has(type.name);
}

/** Types whose column has TEXT affinity: numbers are stored as their text. */
export function hasTextAffinity(type: ColumnType): boolean {
  return TEXT_TYPES.has(type.name);
}

/**
 * The canonical SQLite form of a type, from either side. Only what SQLite keeps survives:
 * - UNSIGNED: Sequelize's SQLite integer types drop it (removeUnsupportedIntegerOptions);
 * - DATE(3) is written DATETIME, TEXT('long') is written TEXT: precision and variant go;
 * - ENUM is written TEXT, so its values cannot be read back: it becomes TEXT;
 * - BLOB keeps its variant: Sequelize writes TINYBLOB, MEDIUMBLOB, LONGBLOB.
 * Every field a type carries is present (null when unknown), so equal types deep-equal.
 */
export function normalizeSqliteType(type: ColumnType): ColumnType {
  switch (type.name) {
    case 'STRING':
    case 'CHAR':
      return { name: type.name, length: type.length ?? null };
    case 'TEXT':
    case 'ENUM':
      return { name: 'TEXT', variant: null };
    case 'FLOAT':
    case 'REAL':
    case 'DOUBLE':
    case 'DECIMAL':
      return { name: type.name, precision: type.precision ?? null, scale: type.scale ?? null };
    case 'DATE':
      return { name: 'DATE', precision: null };
    case 'BLOB':
      return { name: 'BLOB', variant: type.variant ? type.variant.toLowerCase() : null };
    case 'ARRAY':
      return type.element === undefined
        ? { name: 'RAW', raw: 'ARRAY' }
        : { name: 'ARRAY', element: normalizeSqliteType(type.element) };
    case 'RAW': {
      // A model-side RAW is Sequelize's own SQL for the type: it may name a type we know.
      const parsed = parseSqliteType(type.raw ?? '');
      return parsed.name === 'RAW' ? parsed : normalizeSqliteType(parsed);
    }
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'CITEXT':
    case 'BOOLEAN':
    case 'DATEONLY':
    case 'TIME':
    case 'UUID':
    case 'JSON':
    case 'JSONB':
    case 'INET':
      return { name: type.name };
    default: {
      const unknown: never = type.name;
      return { name: 'RAW', raw: String(unknown) };
    }
  }
}
