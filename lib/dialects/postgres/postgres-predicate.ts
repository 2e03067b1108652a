/**
 * A partial index's predicate in one spelling for both sides of a comparison. PostgreSQL prints
 * what it stored (`pg_get_expr(indpred, indrelid)`): `((deleted_at IS NULL) AND ((email)::text =
 * 'x'::text))`; Sequelize's whereQuery writes `"deleted_at" IS NULL AND "email" = 'x'`. The
 * canonical form drops what PostgreSQL adds without changing the meaning: casts, parentheses
 * around a single comparison, quotes around plain lower-case names. A heuristic, not a parser:
 * predicates it cannot reconcile show up as a changed index, never as a crash.
 */

const LITERAL = /'(?:[^']|'')*'/g;
const NAME = '(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)';
/** `::character varying`, `::timestamp(3) with time zone`, `::public.enum_x[]`. */
const CAST = new RegExp(
  `::${NAME}(?:\\.${NAME})?(?: (?:varying|precision|with|without|time|zone))*(?:\\(\\d+(?:,\\d+)?\\))?` +
    `(?: (?:with|without|time|zone))*(?:\\[\\])*`,
  'gi',
);
/**
 * Parentheses around one comparison (`(a = 1)`, `(b IS NULL)`), not a function's arguments:
 * removing them never changes the meaning, as comparison binds tighter than AND, OR and NOT.
 */
const COMPARISON_GROUP = /(^|[\s(,=<>!])\(([^()]*)\)/g;
const COMPARISON = /(?:[=<>]|\bis\b|\blike\b|\bilike\b)/i;
const CONNECTIVE = /(?:\band\b|\bor\b|,)/i;
/** A lone name in parentheses, as `(email)::text` leaves it once the cast is gone. */
const NAME_GROUP = new RegExp(`(^|[^a-z0-9_$"])\\((${NAME})\\)`, 'gi');

/**
 * Reserved key words stay quoted, as PostgreSQL prints them, so the predicate stays valid SQL
 * (https://www.postgresql.org/docs/15/sql-keywords-appendix.html, "reserved" columns).
 */
const RESERVED: ReadonlySet<string> = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate ' +
    'collation column concurrently constraint create cross current_catalog current_date current_role ' +
    'current_schema current_time current_timestamp current_user default deferrable desc distinct do else end ' +
    'except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into ' +
    'is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on ' +
    'only or order outer overlaps placing primary references returning right select session_user similar some ' +
    'symmetric table tablesample then to trailing true union unique user using variadic verbose when where window with'
  ).split(' '),
);

export function canonicalPredicate(predicate: string): string {
  // String literals are set aside so nothing below can touch their contents.
  const literals: string[] = [];
  let text = predicate
    .replace(LITERAL, (literal) => `\u0000${literals.push(literal) - 1}\u0000`)
    .replace(/\s+/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .replace(CAST, '')
    // PostgreSQL prints LIKE as its operator (https://www.postgresql.org/docs/15/functions-matching.html).
    .replace(/\s*!~~\*\s*/g, ' NOT ILIKE ')
    .replace(/\s*~~\*\s*/g, ' ILIKE ')
    .replace(/\s*!~~\s*/g, ' NOT LIKE ')
    .replace(/\s*~~\s*/g, ' LIKE ')
    .replace(/\s*!=\s*/g, ' <> ')
    .replace(/"([a-z_][a-z0-9_$]*)"/g, (quoted, name: string) => (RESERVED.has(name) ? quoted : name))
    .trim();
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = stripOuterParentheses(text)
      .replace(NAME_GROUP, '$1$2')
      .replace(COMPARISON_GROUP, (whole, before: string, inner: string) =>
        COMPARISON.test(inner) && !CONNECTIVE.test(inner) ? `${before}${inner}` : whole,
      );
  }
  return text.replace(/\u0000(\d+)\u0000/g, (_, i: string) => literals[Number(i)] ?? '');
}

/** `(a AND b)` -> `a AND b` when the parentheses enclose the whole predicate. */
function stripOuterParentheses(text: string): string {
  if (!text.startsWith('(')) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    if (depth === 0) return i === text.length - 1 ? text.slice(1, -1).trim() : text;
  }
  return text;
}
