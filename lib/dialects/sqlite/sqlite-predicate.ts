import { stripGroupingParentheses } from '../sql-parentheses';

/**
 * One spelling for a partial index's predicate, as SQLite keeps the text it was given
 * (https://www.sqlite.org/partialindex.html): identifiers in backticks as Sequelize writes them
 * ("x", [x] and bare x are the same identifier), keywords in upper case, one space between
 * tokens, `<>` as `!=`, no redundant parentheses. So a hand-made `WHERE deletedAt is NULL` and
 * the models' `` `deletedAt` IS NULL `` compare equal. Still valid SQLite for the same predicate.
 */
export function canonicalSqlitePredicate(sql: string): string {
  const tokens = sql.match(TOKEN) ?? [];
  const out: string[] = [];
  tokens.forEach((token, i) => {
    const next = tokens.slice(i + 1).find((t) => !/^\s+$/.test(t));
    if (/^\s+$/.test(token)) return;
    out.push(canonicalToken(token, next));
  });
  const text = out
    .join(' ')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')')
    .replace(/ ,/g, ',');
  return unwrapComparisons(stripGroupingParentheses(text));
}

/**
 * `(a > 10) AND b` is `a > 10 AND b`: a parenthesised term without AND, OR or a comma, standing
 * between AND / OR / NOT and the ends, binds tighter than its neighbours anyway
 * (https://www.sqlite.org/lang_expr.html#operators).
 */
function unwrapComparisons(sql: string): string {
  const term = /(^|\(|\bAND |\bOR |\bNOT )\(([^()']*)\)(?= AND\b| OR\b|\)|$)/g;
  for (let text = sql; ; ) {
    const next = text.replace(term, (match: string, before: string, inner: string) =>
      /\b(?:AND|OR)\b/.test(inner) || inner.includes(',') ? match : `${before}${inner}`,
    );
    if (next === text) return text;
    text = next;
  }
}

const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|[A-Za-z_][\w$]*|\d+(?:\.\d+)?|<>|!=|==|<=|>=|\|\||\s+|./g;

const KEYWORDS = new Set(
  'AND OR NOT IS NULL IN LIKE GLOB REGEXP MATCH BETWEEN ESCAPE COLLATE CASE WHEN THEN ELSE END EXISTS CAST AS TRUE FALSE ISNULL NOTNULL'.split(' '),
);

function canonicalToken(token: string, next: string | undefined): string {
  const first = token[0];
  if (first === "'") return token;
  if (first === '"' || first === '`') return `\`${token.slice(1, -1).replace(/""/g, '"').replace(/``/g, '`').replace(/`/g, '``')}\``;
  if (first === '[') return `\`${token.slice(1, -1).replace(/`/g, '``')}\``;
  if (/^[A-Za-z_]/.test(token)) {
    if (KEYWORDS.has(token.toUpperCase())) return token.toUpperCase();
    return next === '(' ? token.toLowerCase() : `\`${token}\``;
  }
  if (token === '<>') return '!=';
  if (token === '==') return '=';
  return token;
}
