import type { DialectName, TableRef } from '../../types/schema';
import { dialectNamed } from '../dialects';
import type { RenderRules } from '../dialects/render-rules';

/** The render rules of a dialect (lib/dialects/<dialect>/<dialect>-render.ts). */
export function rulesOf(dialect: DialectName): RenderRules {
  return dialectNamed(dialect).renderRules();
}

/**
 * Quoting for the few raw SQL statements a generated migration carries (enum types, the copy
 * step of a SQLite rebuild, composite foreign keys). Everything else goes through QueryInterface.
 */
export function quoteIdentifier(dialect: DialectName, name: string): string {
  return dialectNamed(dialect).quoteIdentifier(name);
}

export function quoteTable(dialect: DialectName, table: TableRef): string {
  const name = quoteIdentifier(dialect, table.name);
  return table.schema ? `${quoteIdentifier(dialect, table.schema)}.${name}` : name;
}

/** A SQL string literal, as the dialect escapes it. */
export function sqlString(dialect: DialectName, value: string): string {
  return dialectNamed(dialect).sqlString(value);
}
