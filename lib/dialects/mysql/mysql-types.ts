/**
 * MySQL / MariaDB column type text (`information_schema.COLUMNS.COLUMN_TYPE`, or a type a model
 * spells as raw SQL) -> the shared ColumnType vocabulary.
 *
 * Column types reference: https://dev.mysql.com/doc/refman/8.0/en/data-types.html and
 * https://mariadb.com/kb/en/data-types/
 */
import type { ColumnType } from '../../../types/schema';

/** What the catalog knows about a column besides its type text. */
export interface MysqlTypeContext {
  /** COLLATION_NAME: `utf8mb4_bin` marks `CHAR(36) BINARY`, which is how Sequelize spells UUID. */
  readonly collation: string | null;
  /** MariaDB stores JSON as LONGTEXT plus a `json_valid(col)` CHECK: true when that check exists. */
  readonly jsonCheck: boolean;
}

const NO_CONTEXT: MysqlTypeContext = { collation: null, jsonCheck: false };

interface TypeText {
  /** Lower-cased base name: `int`, `varchar`, `enum`, `double precision`. */
  readonly base: string;
  /** Text between the parentheses after the name, or null. */
  readonly args: string | null;
  /** Lower-cased words after the parentheses: `unsigned`, `zerofill`, `binary`. */
  readonly modifiers: readonly string[];
}

/**
 * Splits `enum('a)','b') unsigned` into base, arguments and modifiers. Parentheses inside quoted
 * enum values are skipped, so the argument list ends at the real closing parenthesis.
 */
export function splitTypeText(text: string): TypeText {
  const trimmed = text.trim();
  const open = trimmed.indexOf('(');
  if (open === -1) {
    const words = trimmed.toLowerCase().split(/\s+/).filter(Boolean);
    return splitBaseWords(words);
  }
  const close = closingParenthesis(trimmed, open);
  const base = trimmed.slice(0, open).trim().toLowerCase();
  const args = trimmed.slice(open + 1, close === -1 ? undefined : close);
  const rest = close === -1 ? '' : trimmed.slice(close + 1);
  return { base, args, modifiers: rest.toLowerCase().split(/\s+/).filter(Boolean) };
}

/** `double precision unsigned` has a two-word base name; every other base is one word. */
function splitBaseWords(words: readonly string[]): TypeText {
  if (words[0] === 'double' && words[1] === 'precision') {
    return { base: 'double', args: null, modifiers: words.slice(2) };
  }
  return { base: words[0] ?? '', args: null, modifiers: words.slice(1) };
}

function closingParenthesis(text: string, open: number): number {
  let quote: string | null = null;
  for (let i = open + 1; i < text.length; i += 1) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) {
        if (text[i + 1] === quote) i += 1;
        else quote = null;
      }
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ')') return i;
  }
  return -1;
}

/** Backslash escapes MySQL recognises in string literals (https://dev.mysql.com/doc/refman/8.0/en/string-literals.html). */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
};

/** Reads the string literal starting at `start` (a quote): its value and the index after it. */
function readLiteral(text: string, start: number): { value: string; end: number } | null {
  const quote = text[start];
  if (quote !== "'" && quote !== '"') return null;
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1] as string;
      value += ESCAPES[next] ?? next;
      i += 2;
    } else if (ch === quote && text[i + 1] === quote) {
      value += quote;
      i += 2;
    } else if (ch === quote) {
      return { value, end: i + 1 };
    } else {
      value += ch;
      i += 1;
    }
  }
  return null;
}

/**
 * Reads the quoted string literals of a comma-separated list (`'a''b','c,d'`), undoing both
 * quote doubling and backslash escapes, the two ways MySQL and MariaDB escape in catalog text.
 */
export function parseQuotedList(text: string): string[] {
  const values: string[] = [];
  let i = 0;
  while (i < text.length) {
    const literal = readLiteral(text, i);
    if (literal) {
      values.push(literal.value);
      i = literal.end;
    } else {
      i += 1;
    }
  }
  return values;
}

/** The value of one quoted SQL string literal (`'it''s'` -> `it's`), or null when `text` is not exactly one. */
export function unquoteString(text: string): string | null {
  const trimmed = text.trim();
  const literal = readLiteral(trimmed, 0);
  return literal && literal.end === trimmed.length ? literal.value : null;
}

function numbers(args: string | null): (number | null)[] {
  if (args === null) return [];
  return args.split(',').map((part) => {
    const n = Number.parseInt(part.trim(), 10);
    return Number.isNaN(n) ? null : n;
  });
}

const INTEGERS: Readonly<Record<string, ColumnType['name']>> = {
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  mediumint: 'MEDIUMINT',
  int: 'INTEGER',
  integer: 'INTEGER',
  bigint: 'BIGINT',
};

const TEXTS: Readonly<Record<string, string | null>> = {
  tinytext: 'tiny',
  text: null,
  mediumtext: 'medium',
  longtext: 'long',
};

const BLOBS: Readonly<Record<string, string | null>> = {
  tinyblob: 'tiny',
  blob: null,
  mediumblob: 'medium',
  longblob: 'long',
};

/**
 * A column type as MySQL or MariaDB spells it -> ColumnType. Display widths (`int(11)`) are
 * dropped: they do not change storage and MySQL 8.0.19+ no longer reports them, except
 * `tinyint(1)`, kept as the BOOLEAN marker
 * (https://dev.mysql.com/doc/refman/8.0/en/numeric-type-attributes.html). Anything without a
 * Sequelize equivalent (`year`, `bit(1)`, `timestamp`, `set(...)`) becomes RAW with the
 * database's own text, lower-cased.
 */
export function parseMysqlColumnType(text: string, context: MysqlTypeContext = NO_CONTEXT): ColumnType {
  const { base, args, modifiers } = splitTypeText(text);
  const unsigned = modifiers.includes('unsigned') || modifiers.includes('zerofill');
  const [first = null, second = null] = numbers(args);

  const integer = INTEGERS[base];
  if (integer) {
    if (integer === 'TINYINT' && first === 1 && !unsigned) return { name: 'BOOLEAN' };
    return { name: integer, unsigned };
  }
  if (base in TEXTS) {
    if (base === 'longtext' && context.jsonCheck) return { name: 'JSON' };
    return { name: 'TEXT', variant: TEXTS[base] ?? null };
  }
  if (base in BLOBS) return { name: 'BLOB', variant: BLOBS[base] ?? null };

  switch (base) {
    case 'boolean':
    case 'bool':
      return { name: 'BOOLEAN' };
    case 'decimal':
    case 'numeric':
    case 'dec':
    case 'fixed':
      return { name: 'DECIMAL', precision: first, scale: second, unsigned };
    case 'float':
      return { name: 'FLOAT', precision: first, scale: second, unsigned };
    case 'double':
    case 'double precision':
    case 'real':
      return { name: 'DOUBLE', precision: first, scale: second, unsigned };
    case 'varchar':
      return { name: 'STRING', length: first };
    case 'char':
      return isUuidChar(first, modifiers, context) ? { name: 'UUID' } : { name: 'CHAR', length: first };
    case 'uuid':
      // MariaDB 10.7+ has a native UUID type (https://mariadb.com/kb/en/uuid-data-type/).
      return { name: 'UUID' };
    case 'json':
      return { name: 'JSON' };
    case 'datetime':
      return { name: 'DATE', precision: first };
    case 'date':
      return { name: 'DATEONLY' };
    case 'time':
      return { name: 'TIME', precision: first };
    case 'enum':
      return { name: 'ENUM', values: parseQuotedList(args ?? ''), enumName: null };
    default:
      return { name: 'RAW', raw: text.trim().toLowerCase().replace(/\s+/g, ' ') };
  }
}

/**
 * Sequelize creates UUID columns as `CHAR(36) BINARY` on MySQL, which the catalog reports as
 * `char(36)` with a binary collation: that pair is read back as UUID.
 */
function isUuidChar(length: number | null, modifiers: readonly string[], context: MysqlTypeContext): boolean {
  if (length !== 36) return false;
  if (modifiers.includes('binary')) return true;
  return context.collation !== null && /_bin$/i.test(context.collation);
}
