/**
 * Reading a migration file without running it, for `show`: the body of its `up`, and the
 * QueryInterface calls in it whose table (and column) are written as literals, which is how
 * generated files and most hand-written ones call them.
 */

/** The text between the braces of `up` (function, method or arrow), dedented; null when not found. */
export function upBody(text: string): string | null {
  const start = /\bup\s*(?:[:=]\s*)?(?:async\s+)?(?:function\s*)?\(/.exec(text);
  if (!start) return null;
  const open = text.indexOf('{', closingParen(text, start.index + start[0].length - 1));
  if (open < 0) return null;
  const close = matchingBrace(text, open);
  if (close < 0) return null;
  return dedent(text.slice(open + 1, close));
}

/** The QueryInterface methods `show` lists, with the arguments that name what they change. */
const CALL =
  /\.(createTable|dropTable|renameTable|addColumn|removeColumn|changeColumn|renameColumn|addIndex|removeIndex|addConstraint|removeConstraint|bulkInsert|bulkDelete|bulkUpdate|dropEnum)\(\s*(['"`])([^'"`]+)\2(?:\s*,\s*(['"`])([^'"`]+)\4)?/g;
/** Methods whose second literal argument is a column (or the new name). */
const WITH_COLUMN = new Set(['addColumn', 'removeColumn', 'changeColumn', 'renameColumn']);

/** `createTable users`, `addColumn users.bio`, `renameTable users -> people`, `query` for raw SQL, in order. */
export function migrationCalls(text: string): string[] {
  // Commented-out calls (a revision's template, an example) are not operations.
  const body = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const calls: { at: number; text: string }[] = [];
  for (const match of body.matchAll(CALL)) {
    const [, method, , first, , second] = match;
    let text = `${method} ${first}`;
    if (second !== undefined && WITH_COLUMN.has(method!)) text = `${method} ${first}.${second}`;
    if (second !== undefined && method === 'renameTable') text = `${method} ${first} -> ${second}`;
    calls.push({ at: match.index, text });
  }
  for (const match of body.matchAll(/\.query\(\s*(['"`])([\s\S]*?)\1/g)) {
    const sql = match[2]!.replace(/\s+/g, ' ').trim();
    calls.push({ at: match.index, text: `query ${sql.length > 70 ? `${sql.slice(0, 67)}...` : sql}` });
  }
  return calls.sort((a, b) => a.at - b.at).map((c) => c.text);
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return text.length;
}

/** The brace closing the one at `open`, skipping strings, template literals and comments. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') i = endOf(text, '\n', i + 2) - 1;
    else if (c === '/' && text[i + 1] === '*') i = endOf(text, '*/', i + 2) + 1;
    else if (c === "'" || c === '"' || c === '`') i = endOfString(text, c, i + 1);
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function endOf(text: string, token: string, from: number): number {
  const at = text.indexOf(token, from);
  return at < 0 ? text.length : at;
}

function endOfString(text: string, quote: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return text.length;
}

function dedent(text: string): string {
  const lines = text.replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}
