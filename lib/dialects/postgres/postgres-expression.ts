import { stripGroupingParentheses } from '../sql-parentheses';

/**
 * One spelling for a default expression, so the models' `Sequelize.literal("UPPER('x' || 'y')")`
 * and the catalog's `upper(('x'::text || 'y'::text))` compare equal. PostgreSQL stores the
 * parsed expression and prints it back its own way (pg_get_expr): keywords and function names in
 * lower case, literals cast to text, `INTERVAL '1 day'` as `'1 day'::interval`, binary operations
 * in parentheses. The result is still valid SQL for the same expression.
 */
export function canonicalExpression(sql: string): string {
  let text = outsideQuotes(sql.trim(), (part) =>
    part
      .toLowerCase()
      .replace(/"([a-z_][a-z0-9_$]*)"/g, '$1')
      .replace(/\s+/g, ' ')
      .replace(/\s*([(),|+*/<>=-])\s*/g, '$1'),
  );
  // Typed literals: `interval '1 day'` is `'1 day'::interval`.
  text = text.replace(/\b(interval|date|timestamp|time|timestamptz)\s*('(?:[^']|'')*')/g, '$2::$1');
  // A string literal cast to a text type is that literal.
  text = text.replace(/('(?:[^']|'')*')::(?:text|character varying|varchar|bpchar)(?:\(\d+\))?(?!\[)/g, '$1');
  return stripGroupingParentheses(text);
}

/** Applies `fn` to the text outside single-quoted literals. */
function outsideQuotes(sql: string, fn: (part: string) => string): string {
  return sql
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 === 1 ? part : fn(part)))
    .join('');
}
