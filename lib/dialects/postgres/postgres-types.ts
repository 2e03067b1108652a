/**
 * PostgreSQL type text <-> ColumnType. One parser reads both what the catalog says
 * (`format_type(atttypid, atttypmod)`: `character varying(255)`, `timestamp(3) with time zone`)
 * and the spellings people write in raw SQL or `DataTypes` strings (`int4`, `varchar(40)`,
 * `timestamptz`, `serial`), so the model side and the database side land on one canonical form.
 *
 * Names of the types: https://www.postgresql.org/docs/15/datatype.html (table 8.1, "Aliases").
 */
import type { ColumnType } from '../../../types/schema';

export interface ParsedPostgresType {
  readonly type: ColumnType;
  /** `serial`, `bigserial`, `smallserial`: an integer column whose default is a sequence. */
  readonly serial: boolean;
}

const SERIALS: Readonly<Record<string, ColumnType['name']>> = {
  smallserial: 'SMALLINT',
  serial2: 'SMALLINT',
  serial: 'INTEGER',
  serial4: 'INTEGER',
  bigserial: 'BIGINT',
  serial8: 'BIGINT',
};

/** Base names (lower case, arguments removed) of the types Sequelize has a DataType for. */
const SIMPLE: Readonly<Record<string, ColumnType>> = {
  text: { name: 'TEXT', variant: null },
  citext: { name: 'CITEXT' },
  tinyint: { name: 'TINYINT' },
  smallint: { name: 'SMALLINT' },
  int2: { name: 'SMALLINT' },
  mediumint: { name: 'MEDIUMINT' },
  integer: { name: 'INTEGER' },
  int: { name: 'INTEGER' },
  int4: { name: 'INTEGER' },
  bigint: { name: 'BIGINT' },
  int8: { name: 'BIGINT' },
  real: { name: 'REAL' },
  float4: { name: 'REAL' },
  'double precision': { name: 'DOUBLE' },
  double: { name: 'DOUBLE' },
  float8: { name: 'DOUBLE' },
  boolean: { name: 'BOOLEAN' },
  bool: { name: 'BOOLEAN' },
  date: { name: 'DATEONLY' },
  dateonly: { name: 'DATEONLY' },
  time: { name: 'TIME' },
  'time without time zone': { name: 'TIME' },
  uuid: { name: 'UUID' },
  json: { name: 'JSON' },
  jsonb: { name: 'JSONB' },
  bytea: { name: 'BLOB', variant: null },
  blob: { name: 'BLOB', variant: null },
  inet: { name: 'INET' },
};

/**
 * Reads a PostgreSQL type spelling. Anything without a Sequelize equivalent becomes
 * `{ name: 'RAW', raw }` with a canonical spelling (lower case unless quoted, single spaces).
 * Enum types are not recognised here: only the catalog knows a name is an enum.
 */
export function parsePostgresType(text: string): ParsedPostgresType {
  const spelled = canonicalSpelling(text);
  const array = /^(.*?)((?:\s*\[\s*\d*\s*\])+)$/.exec(spelled);
  if (array?.[1]) {
    return { type: { name: 'ARRAY', element: parsePostgresType(array[1]).type }, serial: false };
  }
  const { base, args } = splitArguments(spelled);
  const serial = SERIALS[base];
  if (serial) return { type: { name: serial }, serial: true };
  return { type: typeFromBase(base, args, spelled), serial: false };
}

function typeFromBase(base: string, args: readonly number[] | null, spelled: string): ColumnType {
  const first = args?.[0] ?? null;
  switch (base) {
    case 'character varying':
    case 'varchar':
      return { name: 'STRING', length: first };
    case 'character':
    case 'char':
      // `char` alone is char(1) (https://www.postgresql.org/docs/15/datatype-character.html).
      return { name: 'CHAR', length: first ?? 1 };
    case 'bpchar':
      return { name: 'CHAR', length: first };
    case 'numeric':
    case 'decimal':
      // numeric(p) means numeric(p,0); bare numeric has neither.
      return { name: 'DECIMAL', precision: first, scale: first === null ? null : (args?.[1] ?? 0) };
    case 'float':
      // float(p): p <= 24 is real, otherwise double precision; bare float is double precision.
      return first !== null && first <= 24 ? { name: 'REAL' } : { name: 'DOUBLE' };
    case 'timestamp with time zone':
    case 'timestamptz':
      return { name: 'DATE', precision: first };
    case 'timestamp':
    case 'timestamp without time zone':
      return { name: 'RAW', raw: first === null ? 'timestamp without time zone' : `timestamp(${first}) without time zone` };
    case 'time with time zone':
    case 'timetz':
      return { name: 'RAW', raw: first === null ? 'time with time zone' : `time(${first}) with time zone` };
    default: {
      const simple = SIMPLE[base];
      if (simple && (args === null || isSizedSimple(simple))) return { ...simple };
      return { name: 'RAW', raw: spelled };
    }
  }
}

/** Integer display widths (`int(11)`) and `time(p)` carry no meaning we keep. */
function isSizedSimple(type: ColumnType): boolean {
  return ['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INTEGER', 'BIGINT', 'TIME'].includes(type.name);
}

/** `timestamp(3) with time zone` -> base `timestamp with time zone`, args [3]. */
function splitArguments(spelled: string): { base: string; args: readonly number[] | null } {
  const match = /^([^(]*)\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)(.*)$/.exec(spelled);
  if (!match) return { base: spelled, args: null };
  const base = `${match[1] ?? ''} ${match[4] ?? ''}`.replace(/\s+/g, ' ').trim();
  const args = [match[2], match[3]].filter((a): a is string => a !== undefined).map(Number);
  return { base, args };
}

/** Lower case outside double quotes, whitespace collapsed, `pg_catalog.` dropped. */
export function canonicalSpelling(text: string): string {
  const parts = text.trim().split(/("(?:[^"]|"")*")/);
  const lowered = parts.map((part, i) => (i % 2 === 1 ? part : part.toLowerCase().replace(/\s+/g, ' '))).join('');
  return lowered
    .replace(/^pg_catalog\./, '')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*\)/g, ')');
}

/**
 * The canonical form of a type on PostgreSQL, for either side of a comparison: what the type
 * becomes once Sequelize has created it. Sequelize's PostgreSQL DataTypes drop UNSIGNED, integer
 * widths, TEXT/BLOB sizes and DATE precision (`TIMESTAMP WITH TIME ZONE` whatever the argument,
 * node_modules/sequelize/lib/dialects/postgres/data-types.js), so those never count as drift.
 */
export function canonicalPostgresType(type: ColumnType): ColumnType {
  switch (type.name) {
    case 'STRING':
    case 'CHAR':
      return { name: type.name, length: type.length ?? null };
    case 'TEXT':
    case 'BLOB':
      return { name: type.name, variant: null };
    // PostgreSQL has no TINYINT or MEDIUMINT (Sequelize would emit a type that does not exist):
    // the nearest integer type that holds their range.
    case 'TINYINT':
    case 'SMALLINT':
      return { name: 'SMALLINT' };
    case 'MEDIUMINT':
    case 'INTEGER':
      return { name: 'INTEGER' };
    case 'BIGINT':
    case 'REAL':
    case 'DOUBLE':
      return { name: type.name };
    case 'FLOAT':
      // Sequelize sends FLOAT(p) as is (p <= 24 is real), and drops p altogether when a scale
      // is given: FLOAT(10, 2) is plain FLOAT, which is double precision.
      return typeof type.precision === 'number' && type.precision <= 24 && (type.scale ?? null) === null
        ? { name: 'REAL' }
        : { name: 'DOUBLE' };
    case 'DECIMAL': {
      const precision = type.precision ?? null;
      return { name: 'DECIMAL', precision, scale: precision === null ? null : (type.scale ?? 0) };
    }
    case 'DATE':
      return { name: 'DATE', precision: null };
    case 'ENUM':
      return { name: 'ENUM', values: [...(type.values ?? [])], enumName: type.enumName ?? null };
    case 'ARRAY':
      return { name: 'ARRAY', element: canonicalPostgresType(type.element ?? { name: 'RAW', raw: 'unknown' }) };
    case 'RAW': {
      const parsed = parsePostgresType(type.raw ?? '').type;
      return parsed.name === 'RAW' ? { name: 'RAW', raw: parsed.raw ?? '' } : canonicalPostgresType(parsed);
    }
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
