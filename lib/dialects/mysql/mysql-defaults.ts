/**
 * Column defaults on MySQL and MariaDB: reading `information_schema.COLUMNS.COLUMN_DEFAULT`, and
 * the canonical, type-aware form both sides of a comparison are brought to.
 */
import type { ColumnType, DefaultValue } from '../../../types/schema';
import { unquoteString } from './mysql-types';

export interface MysqlDefaultContext {
  /**
   * MariaDB 10.2.7+ reports COLUMN_DEFAULT as SQL: string literals quoted (`'abc'`), the word
   * `NULL` for "no default" on nullable columns, expressions bare (`current_timestamp()`).
   * MySQL reports the bare value, SQL NULL for "no default", and flags expression defaults with
   * DEFAULT_GENERATED in EXTRA (8.0.13+).
   * https://mariadb.com/kb/en/information-schema-columns-table/ ,
   * https://dev.mysql.com/doc/refman/8.0/en/information-schema-columns-table.html
   */
  readonly quotedDefaults: boolean;
  /** The column's EXTRA text. */
  readonly extra: string;
  /** DATETIME / TIMESTAMP: MySQL 5.7 reports CURRENT_TIMESTAMP there without DEFAULT_GENERATED. */
  readonly temporal: boolean;
}

const NOW = /^(current_timestamp|now|localtime|localtimestamp)\s*(\(\s*\d*\s*\))?$/i;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** CURRENT_TIMESTAMP, now(), current_timestamp(3) and friends: the dialect's "now". */
export function isNowExpression(sql: string): boolean {
  return NOW.test(stripParentheses(sql.trim()));
}

/** COLUMN_DEFAULT -> DefaultValue, as the server flavour spells it. */
export function parseMysqlDefault(raw: string | null, context: MysqlDefaultContext): DefaultValue | null {
  if (raw === null) return null;
  if (context.quotedDefaults) {
    if (raw.trim().toUpperCase() === 'NULL') return null;
    const text = unquoteString(raw);
    if (text !== null) return { kind: 'value', value: text };
    if (NUMBER.test(raw.trim())) return { kind: 'value', value: raw.trim() };
    return expression(raw);
  }
  if (/\bDEFAULT_GENERATED\b/i.test(context.extra)) return expression(raw);
  if (context.temporal && isNowExpression(raw)) return { kind: 'now' };
  // MySQL reports BIT defaults as the literal they were written with (b'1').
  if (/^b'[01]*'$/i.test(raw)) return { kind: 'sql', sql: raw };
  return { kind: 'value', value: raw };
}

function expression(sql: string): DefaultValue {
  return isNowExpression(sql) ? { kind: 'now' } : { kind: 'sql', sql: sql.trim() };
}

/** `(uuid())` -> `uuid()`: MySQL 8 shows expression defaults wrapped in parentheses in DDL. */
function stripParentheses(sql: string): string {
  let text = sql;
  while (text.startsWith('(') && text.endsWith(')') && wrapsWhole(text)) text = text.slice(1, -1).trim();
  return text;
}

function wrapsWhole(text: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth += 1;
    else if (ch === ')') {
      depth -= 1;
      if (depth === 0 && i < text.length - 1) return false;
    }
  }
  return depth === 0;
}

/**
 * Lower-cases outside quotes and spaces one way (none around parentheses, one after commas), so
 * `UUID ()` and `uuid()` compare equal. Quoted text is left alone.
 */
export function canonicalSql(sql: string): string {
  let out = '';
  let quote: string | null = null;
  let space = false;
  const text = stripParentheses(sql.trim());
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (quote) {
      out += ch;
      if (ch === '\\' && i + 1 < text.length) {
        out += text[i + 1];
        i += 1;
      } else if (ch === quote) quote = null;
      continue;
    }
    if (/\s/.test(ch)) {
      space = true;
      continue;
    }
    const tight = ch === '(' || ch === ')' || ch === ',' || out.endsWith('(') || out.endsWith(' ') || out === '';
    if (space && !tight) out += ' ';
    space = false;
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    out += ch === ',' ? ', ' : ch.toLowerCase();
  }
  return out.trim();
}

/**
 * The canonical default for a column of (canonical) type `type`: SQL that is really a literal
 * becomes a value, values take the JavaScript type that matches the column (booleans for
 * BOOLEAN, numbers for integers and floats, DECIMAL as text padded to its scale, datetimes padded
 * to their precision, as the server stores them), expressions are spelled one way.
 */
export function canonicalDefault(value: DefaultValue | null, type: ColumnType): DefaultValue | null {
  if (value === null) return null;
  switch (value.kind) {
    case 'now':
      return value;
    case 'sql': {
      const sql = value.sql.trim();
      if (sql.toUpperCase() === 'NULL') return null;
      if (isNowExpression(sql)) return { kind: 'now' };
      const text = unquoteString(sql);
      if (text !== null) return coerceValue(text, type);
      if (NUMBER.test(sql)) return coerceValue(sql, type);
      if (/^(true|false)$/i.test(sql)) return coerceValue(sql.toLowerCase() === 'true', type);
      return { kind: 'sql', sql: canonicalSql(sql) };
    }
    case 'value':
      return coerceValue(value.value, type);
    default: {
      const unreachable: never = value;
      return unreachable;
    }
  }
}

function coerceValue(value: string | number | boolean, type: ColumnType): DefaultValue {
  switch (type.name) {
    case 'BOOLEAN':
      return { kind: 'value', value: toBoolean(value) };
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INTEGER':
    case 'BIGINT':
      return { kind: 'value', value: toInteger(value) };
    case 'FLOAT':
    case 'REAL':
    case 'DOUBLE':
      return { kind: 'value', value: toFloat(value) };
    case 'DECIMAL':
      return { kind: 'value', value: toDecimal(value, type.scale ?? 0) };
    case 'DATE':
      return { kind: 'value', value: padDateTime(toText(value), type.precision ?? 0) };
    case 'TIME':
      return { kind: 'value', value: padTime(toText(value), type.precision ?? 0) };
    default:
      return { kind: 'value', value: toText(value) };
  }
}

/** MySQL stores TRUE as 1: a boolean default on a text column reads back as '1'. */
function toText(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

function toBoolean(value: string | number | boolean): string | number | boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (text === '1' || text === 'true') return true;
  if (text === '0' || text === 'false') return false;
  return value;
}

function toInteger(value: string | number | boolean): string | number | boolean {
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

function toFloat(value: string | number | boolean): string | number | boolean {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() === '') return value;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

/**
 * DECIMAL defaults as text with exactly `scale` fraction digits, the way the server reports them
 * (`0` -> `0.00` for DECIMAL(10,2)). Text, not a number: DECIMAL(65,30) does not fit a double.
 */
function toDecimal(value: string | number | boolean, scale: number): string | number | boolean {
  if (typeof value === 'boolean') return value ? '1' : '0';
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(String(value).trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return value;
  const integer = (match[2] || '0').replace(/^0+(?=\d)/, '');
  let fraction = match[3] ?? '';
  fraction = fraction.length < scale ? fraction.padEnd(scale, '0') : fraction.replace(/0+$/, '').padEnd(scale, '0');
  const zero = /^0*$/.test(integer + fraction);
  const sign = match[1] === '-' && !zero ? '-' : '';
  return fraction ? `${sign}${integer}.${fraction}` : `${sign}${integer}`;
}

/**
 * `2020-01-01` -> `2020-01-01 00:00:00`, fraction padded to the column's precision. A model's
 * `new Date(...)` default arrives as ISO text in UTC, which is what Sequelize writes with its
 * default `timezone: '+00:00'`.
 */
function padDateTime(text: string, precision: number): string {
  const iso = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z$/.exec(text);
  const plain = iso ? `${iso[1]} ${iso[2]}` : text;
  const full = /^\d{4}-\d{2}-\d{2}$/.test(plain) ? `${plain} 00:00:00` : plain;
  return padFraction(full, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d*)?$/, precision);
}

/** `10:00` -> `10:00:00`, fraction padded to the column's precision. */
function padTime(text: string, precision: number): string {
  const full = /^-?\d{1,3}:\d{2}$/.test(text) ? `${text}:00` : text;
  return padFraction(full, /^-?\d{1,3}:\d{2}:\d{2}(\.\d*)?$/, precision);
}

function padFraction(text: string, shape: RegExp, precision: number): string {
  if (!shape.test(text)) return text;
  const [whole, fraction = ''] = text.split('.');
  if (precision <= 0) return /^0*$/.test(fraction) ? (whole as string) : text;
  return `${whole}.${fraction.padEnd(precision, '0')}`;
}
