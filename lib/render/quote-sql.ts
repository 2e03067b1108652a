import type { DialectName, TableRef } from '../../types/schema';

/**
 * Quoting for the few raw SQL statements a generated migration carries (enum types, the copy
 * step of a SQLite rebuild, composite foreign keys). Everything else goes through QueryInterface.
 */
export function quoteIdentifier(dialect: DialectName, name: string): string {
  if (dialect === 'mysql' || dialect === 'mariadb') return `\`${name.replace(/`/g, '``')}\``;
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteTable(dialect: DialectName, table: TableRef): string {
  const name = quoteIdentifier(dialect, table.name);
  return table.schema ? `${quoteIdentifier(dialect, table.schema)}.${name}` : name;
}

/** A SQL string literal. Standard SQL doubling; MySQL also treats backslash as an escape. */
export function sqlString(dialect: DialectName, value: string): string {
  const doubled = value.replace(/'/g, "''");
  return dialect === 'mysql' || dialect === 'mariadb' ? `'${doubled.replace(/\\/g, '\\\\')}'` : `'${doubled}'`;
}
