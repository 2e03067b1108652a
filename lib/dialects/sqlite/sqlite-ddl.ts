/**
 * Reads the few facts SQLite keeps only in the CREATE statement text of sqlite_master.sql:
 * AUTOINCREMENT, a column's COLLATE, an expression index's key list and a partial index's WHERE.
 * PRAGMA table_info, index_xinfo and foreign_key_list report everything else.
 * Grammar: https://www.sqlite.org/lang_createtable.html and https://www.sqlite.org/lang_createindex.html
 */

interface Token {
  readonly kind: 'word' | 'identifier' | 'string' | 'punctuation';
  /** Unquoted text: `"a""b"` gives `a"b`. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Quote characters and their closing counterpart; a doubled closer inside escapes itself. */
const QUOTES: Readonly<Record<string, { readonly close: string; readonly kind: Token['kind'] }>> = {
  "'": { close: "'", kind: 'string' },
  '"': { close: '"', kind: 'identifier' },
  '`': { close: '`', kind: 'identifier' },
  '[': { close: ']', kind: 'identifier' },
};

function isWordCharacter(character: string): boolean {
  return /[A-Za-z0-9_$]/.test(character) || character.charCodeAt(0) > 127;
}

function quotedEnd(sql: string, start: number, close: string): number {
  let index = start + 1;
  while (index < sql.length) {
    if (sql[index] === close) {
      // `]` never escapes itself; the other quotes do by doubling.
      if (close !== ']' && sql[index + 1] === close) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index += 1;
  }
  return sql.length;
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < sql.length) {
    const character = sql[index] as string;
    if (/\s/.test(character)) {
      index += 1;
    } else if (sql.startsWith('--', index)) {
      const newline = sql.indexOf('\n', index);
      index = newline === -1 ? sql.length : newline + 1;
    } else if (sql.startsWith('/*', index)) {
      const close = sql.indexOf('*/', index + 2);
      index = close === -1 ? sql.length : close + 2;
    } else if (QUOTES[character] !== undefined) {
      const { close, kind } = QUOTES[character];
      const end = quotedEnd(sql, index, close);
      const inner = sql.slice(index + 1, sql[end - 1] === close ? end - 1 : end);
      const text = close === ']' ? inner : inner.split(close + close).join(close);
      tokens.push({ kind, text, start: index, end });
      index = end;
    } else if (isWordCharacter(character)) {
      let end = index + 1;
      while (end < sql.length && isWordCharacter(sql[end] as string)) end += 1;
      tokens.push({ kind: 'word', text: sql.slice(index, end), start: index, end });
      index = end;
    } else {
      tokens.push({ kind: 'punctuation', text: character, start: index, end: index + 1 });
      index += 1;
    }
  }
  return tokens;
}

function isWord(token: Token | undefined, word: string): boolean {
  return token !== undefined && token.kind === 'word' && token.text.toUpperCase() === word;
}

function isPunctuation(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'punctuation' && token.text === text;
}

/** Index of the `)` closing the `(` at `open`, or -1. */
function closingParenthesis(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let index = open; index < tokens.length; index += 1) {
    if (isPunctuation(tokens[index], '(')) depth += 1;
    if (isPunctuation(tokens[index], ')')) {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

/** Splits tokens at commas outside parentheses. */
function splitAtCommas(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (isPunctuation(token, '(')) depth += 1;
    if (isPunctuation(token, ')')) depth -= 1;
    if (depth === 0 && isPunctuation(token, ',')) {
      parts.push([]);
    } else {
      (parts[parts.length - 1] as Token[]).push(token);
    }
  }
  return parts.filter((part) => part.length > 0);
}

/** Keywords that open a table constraint rather than a column definition. */
const TABLE_CONSTRAINT_WORDS: ReadonlySet<string> = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

export interface ColumnClauses {
  readonly autoIncrement: boolean;
  /** The COLLATE name, upper-cased (NOCASE, RTRIM, BINARY), or null. */
  readonly collation: string | null;
}

/**
 * Column name -> the clauses PRAGMA table_info does not report. Tables created by
 * `CREATE TABLE ... AS SELECT` have no column definitions: an empty map.
 */
export function parseCreateTable(sql: string): ReadonlyMap<string, ColumnClauses> {
  const tokens = tokenize(sql);
  const open = tokens.findIndex((token) => isPunctuation(token, '('));
  const close = open === -1 ? -1 : closingParenthesis(tokens, open);
  const result = new Map<string, ColumnClauses>();
  if (close === -1) return result;
  for (const part of splitAtCommas(tokens.slice(open + 1, close))) {
    const first = part[0] as Token;
    if (first.kind === 'word' && TABLE_CONSTRAINT_WORDS.has(first.text.toUpperCase())) continue;
    let depth = 0;
    let autoIncrement = false;
    let collation: string | null = null;
    part.forEach((token, index) => {
      if (isPunctuation(token, '(')) depth += 1;
      if (isPunctuation(token, ')')) depth -= 1;
      if (depth !== 0) return;
      if (isWord(token, 'AUTOINCREMENT')) autoIncrement = true;
      const next = part[index + 1];
      if (isWord(token, 'COLLATE') && next !== undefined) collation = next.text.toUpperCase();
    });
    result.set(first.text, { autoIncrement, collation });
  }
  return result;
}

export interface IndexClauses {
  /** The key list between the parentheses, as written: `lower(email)`, `"a", "b" DESC`. */
  readonly keys: string;
  /** A partial index's predicate as written, or null. */
  readonly where: string | null;
}

/** The key list and WHERE clause of a CREATE INDEX statement, or null when it cannot be read. */
export function parseCreateIndex(sql: string): IndexClauses | null {
  const tokens = tokenize(sql);
  const on = tokens.findIndex((token) => isWord(token, 'ON'));
  if (on === -1) return null;
  const open = tokens.findIndex((token, index) => index > on && isPunctuation(token, '('));
  const close = open === -1 ? -1 : closingParenthesis(tokens, open);
  if (close === -1) return null;
  const keys = sql.slice((tokens[open] as Token).end, (tokens[close] as Token).start).trim();
  const whereToken = tokens[close + 1];
  const where = isWord(whereToken, 'WHERE')
    ? sql
        .slice((whereToken as Token).end)
        .trim()
        .replace(/;\s*$/, '')
        .trim()
    : null;
  return { keys, where: where === '' ? null : where };
}
