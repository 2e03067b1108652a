import type { ColumnType, DefaultValue } from '../../../types/schema';
import { hasNumericAffinity, hasTextAffinity } from './sqlite-types';

/**
 * Column defaults, as PRAGMA table_info's `dflt_value` spells them (the SQL text of the DEFAULT
 * clause, outer parentheses removed) and as models give them. Grammar of a default:
 * https://www.sqlite.org/lang_createtable.html#the_default_clause
 */

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const QUOTED = /^'((?:[^']|'')*)'$/s;
/** The spellings of "now" that give SQLite's CURRENT_TIMESTAMP text (UTC, `YYYY-MM-DD HH:MM:SS`). */
const NOW = /^(?:current_timestamp|datetime\s*\(\s*'now'\s*\))$/i;

/** Removes parentheses that wrap the whole expression: `((1))` -> `1`, not `(a) + (b)`. */
function unwrap(sql: string): string {
  let text = sql.trim();
  while (text.startsWith('(') && text.endsWith(')') && wrapsWhole(text)) text = text.slice(1, -1).trim();
  return text;
}

function wrapsWhole(text: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] as string;
    if (quote !== null) {
      if (character === quote) quote = null;
    } else if (character === "'" || character === '"' || character === '`') {
      quote = character;
    } else if (character === '(') {
      depth += 1;
    } else if (character === ')') {
      depth -= 1;
      if (depth === 0 && index < text.length - 1) return false;
    }
  }
  return true;
}

/** A number, or its text when a JavaScript number would not hold it exactly. */
function numberValue(text: string): number | string {
  const value = Number(text);
  if (!Number.isFinite(value)) return text;
  if (/^[+-]?\d+$/.test(text) && !Number.isSafeInteger(value)) return text.replace(/^\+/, '');
  return value;
}

/** The DefaultValue behind a DEFAULT clause's SQL text; null for none or DEFAULT NULL. */
export function parseSqliteDefault(sql: string | null): DefaultValue | null {
  if (sql === null) return null;
  const text = unwrap(sql);
  if (text === '' || /^null$/i.test(text)) return null;
  const quoted = QUOTED.exec(text);
  if (quoted !== null) return { kind: 'value', value: (quoted[1] as string).replace(/''/g, "'") };
  if (NUMBER.test(text)) return { kind: 'value', value: numberValue(text) };
  // TRUE and FALSE are keywords since SQLite 3.23 (aliases of 1 and 0).
  if (/^true$/i.test(text)) return { kind: 'value', value: true };
  if (/^false$/i.test(text)) return { kind: 'value', value: false };
  if (NOW.test(text)) return { kind: 'now' };
  return { kind: 'sql', sql: text };
}

function booleanValue(value: string | number | boolean): string | number | boolean {
  if (value === 1 || value === '1') return true;
  if (value === 0 || value === '0') return false;
  if (typeof value === 'string' && value.toLowerCase() === 'true') return true;
  if (typeof value === 'string' && value.toLowerCase() === 'false') return false;
  return value;
}

/** A timestamp with an explicit offset: `2020-01-01 00:00:00.000 +00:00`, `2020-01-01T00:00:00Z`. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A literal as the column stores it, following SQLite's type affinity
 * (https://www.sqlite.org/datatype3.html#type_affinity): numeric text in a numeric column is a
 * number (Sequelize writes a FLOAT default as `'1.5'`), a number in a text column is its text,
 * and a BOOLEAN (TINYINT(1)) default of `1` is `true`.
 */
function storedValue(value: string | number | boolean, type: ColumnType): string | number | boolean {
  if (type.name === 'BOOLEAN') return booleanValue(value);
  // Sequelize's SQLite query generator rewrites DEFAULT true / 'true' / false / 'false' to 1 / 0
  // whatever the column's type (replaceBooleanDefaults in sequelize/lib/dialects/sqlite/query-generator.js).
  const literal = value === true || value === 'true' ? 1 : value === false || value === 'false' ? 0 : value;
  if (hasNumericAffinity(type)) {
    return typeof literal === 'string' && NUMBER.test(literal.trim()) ? numberValue(literal.trim()) : literal;
  }
  if (hasTextAffinity(type)) return typeof literal === 'number' ? String(literal) : literal;
  // Sequelize writes a Date default as `'2020-01-01 00:00:00.000 +00:00'`; a model gives its ISO text.
  if (type.name === 'DATE' && typeof literal === 'string' && TIMESTAMP.test(literal.trim())) {
    const time = Date.parse(literal.trim());
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  return literal;
}

/**
 * The canonical form of a default for a column of canonical type `type`, from either side: a
 * `sql` default that is really a literal or "now" becomes one, and literals take the form the
 * column stores.
 */
export function normalizeSqliteDefault(value: DefaultValue | null, type: ColumnType): DefaultValue | null {
  if (value === null) return null;
  switch (value.kind) {
    case 'now':
      return { kind: 'now' };
    case 'sql': {
      const parsed = parseSqliteDefault(value.sql);
      return parsed === null || parsed.kind !== 'value' ? parsed : normalizeSqliteDefault(parsed, type);
    }
    case 'value':
      return { kind: 'value', value: storedValue(value.value, type) };
    default: {
      const unknown: never = value;
      return unknown;
    }
  }
}
