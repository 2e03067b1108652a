/**
 * A schema as a Mermaid `erDiagram` (https://mermaid.js.org/syntax/entityRelationshipDiagram.html),
 * which GitHub renders in a README or a pull request: one entity per table with its columns
 * (type, name, PK / FK / UK), one relationship per foreign key with its cardinality. Pure and
 * deterministic (tables by name, relations by child table and key columns), so the models and the database give the same text.
 */
import type { Column, ColumnType, ForeignKey, Schema, Table } from '../../types/schema';
import { formatType } from './describe-operation';

/** The whole diagram, starting `erDiagram`, ending with a newline. */
export function mermaidDiagram(schema: Schema): string {
  const tables = [...schema.tables].sort((a, b) => compare(qualified(a), qualified(b)));
  const lines = ['erDiagram'];
  for (const table of tables) {
    lines.push(`  ${entityName(qualified(table))} {`);
    for (const column of table.columns) lines.push(`    ${attribute(table, column)}`);
    lines.push('  }');
  }
  // In the child tables' order, each table's keys by their columns: the same for both sources.
  for (const table of tables) {
    const keys = [...table.foreignKeys].sort((a, b) => compare(a.columns.join(','), b.columns.join(',')));
    for (const fk of keys) lines.push(`  ${relation(table, fk, tables)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `parent ||--o{ child : "userId"`. The parent end is exactly one when every key column is NOT
 * NULL, else zero or one; the child end is zero or one when the key columns are unique in the
 * child (a one-to-one), else zero or more. Identifying (solid line) when the key is part of the
 * child's primary key, otherwise dashed.
 */
function relation(child: Table, fk: ForeignKey, tables: readonly Table[]): string {
  const parent =
    tables.find((t) => t.name === fk.referencedTable && (fk.referencedSchema === null || t.schema === fk.referencedSchema)) ?? null;
  const parentName = parent ? qualified(parent) : fk.referencedSchema ? `${fk.referencedSchema}.${fk.referencedTable}` : fk.referencedTable;
  const required = fk.columns.every((name) => child.columns.find((c) => c.name === name)?.allowNull === false);
  const unique = isUnique(child, fk.columns);
  const identifying = fk.columns.every((name) => child.primaryKey.includes(name));
  const line = identifying ? '--' : '..';
  return `${entityName(parentName)} ${required ? '||' : '|o'}${line}${unique ? 'o|' : 'o{'} ${entityName(qualified(child))} : "${fk.columns.join(', ')}"`;
}

/** True when `columns` (in any order) are the primary key or a unique index of `table`. */
function isUnique(table: Table, columns: readonly string[]): boolean {
  const same = (key: readonly string[]) => key.length === columns.length && key.every((c) => columns.includes(c));
  return same(table.primaryKey) || table.indexes.some((index) => index.unique && !index.where && same(index.columns));
}

/** `STRING(100) email UK "..."`: Mermaid's attribute is `type name [PK, FK, UK] ["comment"]`. */
function attribute(table: Table, column: Column): string {
  const keys: string[] = [];
  if (table.primaryKey.includes(column.name)) keys.push('PK');
  if (table.foreignKeys.some((fk) => fk.columns.includes(column.name))) keys.push('FK');
  if (table.indexes.some((index) => index.unique && !index.where && index.columns.length === 1 && index.columns[0] === column.name)) keys.push('UK');
  const notes = [column.allowNull || table.primaryKey.includes(column.name) ? null : 'not null', enumValues(column.type), column.comment].filter((n): n is string => !!n);
  const comment = notes.length > 0 ? ` "${notes.join('; ').replace(/"/g, "'")}"` : '';
  return `${typeToken(column.type)} ${attributeName(column.name)}${keys.length > 0 ? ` ${keys.join(', ')}` : ''}${comment}`;
}

/**
 * The type as one Mermaid token: it must start with a letter and may hold letters, digits, `-`,
 * `_`, parentheses and square brackets; so `DECIMAL(10,2)` is written `DECIMAL(10-2)` and an
 * enum's values go to the comment.
 */
function typeToken(type: ColumnType): string {
  const text = type.name === 'ENUM' ? 'ENUM' : formatType(type);
  const token = text.replace(/,/g, '-').replace(/\s+/g, '_').replace(/[^\w\-()[\]]/g, '_');
  return /^[A-Za-z]/.test(token) ? token : `T_${token}`;
}

function enumValues(type: ColumnType): string | null {
  const values = type.name === 'ENUM' ? type.values : type.name === 'ARRAY' && type.element?.name === 'ENUM' ? type.element.values : undefined;
  return values && values.length > 0 ? `values: ${values.join(', ')}` : null;
}

/** An attribute name is one word in Mermaid: other characters become `_`. */
function attributeName(name: string): string {
  const word = name.replace(/[^\w-]/g, '_');
  return /^[A-Za-z_]/.test(word) ? word : `_${word}`;
}

/** Entity names in double quotes unless they are plain words (quoted names need Mermaid 10). */
function entityName(name: string): string {
  return /^[A-Za-z_][\w-]*$/.test(name) ? name : `"${name.replace(/"/g, "'")}"`;
}

function qualified(table: Table): string {
  return table.schema ? `${table.schema}.${table.name}` : table.name;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
