/**
 * PostgreSQL column defaults -> DefaultValue. The catalog gives defaults as expressions
 * (`pg_get_expr(adbin, adrelid)`): `'abc'::character varying`, `'-1'::integer`, `1.50`, `true`,
 * `now()`, `CURRENT_TIMESTAMP`, `NULL::character varying`, `nextval('users_id_seq'::regclass)`.
 * The same reader canonicalises model-side `Sequelize.literal(...)` defaults, so a literal the
 * database stores as a plain value compares equal to it.
 */
import type { ColumnType, DefaultValue } from '../../../types/schema';

// Loaded only for an array or expression default: the drift check of most boots never needs them.
const arrays = () => require('./postgres-array-default') as typeof import('./postgres-array-default');
const expressions = () => require('./postgres-expression') as typeof import('./postgres-expression');

/** An array default's canonical form: its elements, each typed by the element type, as JSON text. */
function arrayValue(elements: readonly (string | number | boolean | null)[], type: ColumnType): string {
  const element = type.element;
  return JSON.stringify(elements.map((e) => (e === null || element === undefined ? e : coerceValue(e, element))));
}

function parseJsonArray(text: string): (string | number | boolean | null)[] | null {
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) && parsed.every((e) => e === null || ['string', 'number', 'boolean'].includes(typeof e))
      ? (parsed as (string | number | boolean | null)[])
      : null;
  } catch {
    return null;
  }
}

export type ParsedPostgresDefault =
  /** `NULL`, with or without a cast: the same as no default. */
  | { readonly kind: 'null' }
  /** `nextval(...)`: a serial column. */
  | { readonly kind: 'sequence' }
  | { readonly kind: 'now' }
  /** A constant: the text of a quoted literal (quotes removed), or a bare number / boolean. */
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'sql'; readonly sql: string };

// The spellings of "the current transaction's timestamp"
// (https://www.postgresql.org/docs/15/functions-datetime.html#FUNCTIONS-DATETIME-CURRENT).
const NOW = /^(?:now\(\s*\)|current_timestamp|transaction_timestamp\(\s*\))$/i;
const SEQUENCE = /^nextval\s*\(/i;
const BARE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?|true|false)$/i;
const IDENTIFIER = '(?:"(?:[^"]|"")+"|[a-z_][\\w$]*)';
/** `::character varying`, `::timestamp(3) with time zone`, `::public."enum_x"[]`, repeated. */
const CAST_CHAIN = new RegExp(
  `^(?:\\s*::\\s*${IDENTIFIER}(?:\\s*\\.\\s*${IDENTIFIER})?(?:\\s+(?:varying|precision|with|without|time|zone))*` +
    `\\s*(?:\\(\\s*\\d+\\s*(?:,\\s*\\d+\\s*)?\\))?(?:\\s+(?:with|without|time|zone))*(?:\\s*\\[\\s*\\])*)*\\s*$`,
  'i',
);

/** Reads one default expression as the catalog (or a literal in a model) spells it. */
export function parsePostgresDefault(expression: string): ParsedPostgresDefault {
  const sql = expression.trim();
  const constant = readConstant(sql);
  if (constant) return constant;
  if (NOW.test(sql)) return { kind: 'now' };
  if (SEQUENCE.test(sql)) return { kind: 'sequence' };
  return { kind: 'sql', sql };
}

/** A literal, NULL or bare constant wrapped in any number of parentheses and casts. */
function readConstant(sql: string): ParsedPostgresDefault | null {
  if (sql.startsWith("'")) {
    const end = quotedEnd(sql, 0);
    if (end < 0 || !CAST_CHAIN.test(sql.slice(end + 1))) return null;
    return { kind: 'literal', text: sql.slice(1, end).replace(/''/g, "'") };
  }
  if (sql.startsWith('(')) {
    const end = closingParen(sql, 0);
    if (end < 0 || !CAST_CHAIN.test(sql.slice(end + 1))) return null;
    const inner = sql.slice(1, end).trim();
    const constant = readConstant(inner);
    if (constant) return constant;
    // `(now())` and the like: the parentheses add nothing.
    return end === sql.length - 1 && NOW.test(inner) ? { kind: 'now' } : null;
  }
  const bare = /^([^:\s]+)(.*)$/s.exec(sql);
  if (!bare?.[1] || !CAST_CHAIN.test(bare[2] ?? '')) return null;
  if (/^null$/i.test(bare[1])) return { kind: 'null' };
  if (BARE.test(bare[1])) return { kind: 'literal', text: bare[1] };
  return null;
}

/** Index of the quote closing the literal opened at `start` ('' is an escaped quote). */
function quotedEnd(sql: string, start: number): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] !== "'") continue;
    if (sql[i + 1] === "'") {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

/** Index of the parenthesis closing the one at `start`, skipping quoted text. */
export function closingParen(sql: string, start: number): number {
  let depth = 0;
  for (let i = start; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = c === "'" ? quotedEnd(sql, i) : sql.indexOf('"', i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export interface ColumnDefault {
  readonly defaultValue: DefaultValue | null;
  /** The default is a sequence: the column is auto-incrementing. */
  readonly sequence: boolean;
}

/** A catalog default expression, typed by its (canonical) column type. */
export function defaultFromExpression(expression: string | null, type: ColumnType): ColumnDefault {
  if (expression === null) return { defaultValue: null, sequence: false };
  return fromParsed(parsePostgresDefault(expression), type);
}

/**
 * The canonical form of a default on PostgreSQL for a column of the given canonical type:
 * SQL that is really a constant becomes a value, and values take the JavaScript type the
 * column's type implies (`'42'` on an integer is 42, `42` on a varchar is '42').
 */
export function canonicalPostgresDefault(value: DefaultValue | null, type: ColumnType): ColumnDefault {
  if (value === null) return { defaultValue: null, sequence: false };
  switch (value.kind) {
    case 'now':
      return { defaultValue: { kind: 'now' }, sequence: false };
    case 'value':
      return { defaultValue: { kind: 'value', value: coerceValue(value.value, type) }, sequence: false };
    case 'sql':
      return fromParsed(parsePostgresDefault(value.sql), type);
    default: {
      const unknown: never = value;
      return { defaultValue: unknown, sequence: false };
    }
  }
}

function fromParsed(parsed: ParsedPostgresDefault, type: ColumnType): ColumnDefault {
  switch (parsed.kind) {
    case 'null':
      return { defaultValue: null, sequence: false };
    case 'sequence':
      return { defaultValue: null, sequence: true };
    case 'now':
      return { defaultValue: { kind: 'now' }, sequence: false };
    case 'literal': {
      const elements = type.name === 'ARRAY' ? arrays().arrayLiteralElements(parsed.text) : null;
      const value = elements === null ? coerceValue(parsed.text, type) : arrayValue(elements, type);
      return { defaultValue: { kind: 'value', value }, sequence: false };
    }
    case 'sql': {
      const elements = type.name === 'ARRAY' ? arrays().arrayConstructorElements(parsed.sql) : null;
      if (elements !== null) return { defaultValue: { kind: 'value', value: arrayValue(elements, type) }, sequence: false };
      return { defaultValue: { kind: 'sql', sql: expressions().canonicalExpression(parsed.sql) }, sequence: false };
    }
    default: {
      const unknown: never = parsed;
      return unknown;
    }
  }
}

// Accepted spellings of boolean input (https://www.postgresql.org/docs/15/datatype-boolean.html).
const TRUE = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', 'off', '0']);

function coerceValue(value: string | number | boolean, type: ColumnType): string | number | boolean {
  switch (type.name) {
    case 'BOOLEAN': {
      const text = String(value).trim().toLowerCase();
      if (TRUE.has(text)) return true;
      if (FALSE.has(text)) return false;
      return value;
    }
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'FLOAT':
    case 'REAL':
    case 'DOUBLE':
    case 'DECIMAL':
      return typeof value === 'boolean' ? value : (canonicalNumber(String(value)) ?? value);
    case 'JSON':
    case 'JSONB':
      return canonicalJson(value);
    case 'ARRAY': {
      // The models' `defaultValue: [...]` arrives as JSON text.
      const parsed = typeof value === 'string' ? parseJsonArray(value) : null;
      return parsed === null ? String(value) : arrayValue(parsed, type);
    }
    case 'DATE':
      return canonicalTimestamp(String(value));
    default:
      return String(value);
  }
}

/**
 * A number when JavaScript holds it exactly, else the decimal's canonical text
 * (`'12345678901234567890.5'`), so `1.50` and 1.5 compare equal and big decimals lose nothing.
 */
export function canonicalNumber(text: string): number | string | null {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?(e[+-]?\d+)?\s*$/i.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const number = Number(text);
  if (!Number.isFinite(number)) return null;
  if (match[4]) return number;
  const integer = (match[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const zero = /^0*$/.test(integer) && fraction === '';
  const decimal = `${match[1] === '-' && !zero ? '-' : ''}${integer}${fraction ? `.${fraction}` : ''}`;
  if (number === 0) return 0;
  return String(number) === decimal ? number : decimal;
}

/**
 * A timestamp with a zone as an ISO string: the catalog prints a timestamptz constant in the
 * session's zone (`'2020-01-01 00:00:00+00'`), a model's Date default is `toISOString()`.
 * Text without a zone is left alone: its instant depends on the session.
 */
export function canonicalTimestamp(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(z|[+-]\d{2}(?::?\d{2})?)$/i.exec(text.trim());
  if (!match) return text;
  const zone = match[3] ?? '';
  const offset = /^z$/i.test(zone) ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(`${match[1]}T${match[2]}${offset}`);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/**
 * JSON text with object keys sorted: jsonb stores `{"b":1,"a":1}` as `{"a": 1, "b": 1}`.
 * A string that is not JSON is a JSON string value (Sequelize sends `'"abc"'` for 'abc').
 */
export function canonicalJson(value: string | number | boolean): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(sortKeys(JSON.parse(value)));
  } catch {
    return JSON.stringify(value);
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
