/**
 * The one description of an operation, machine-readable (a sign and a text), from which the CLI's
 * lines (`migrate`, `status`, `check`), the drift warning of autoMigrate() and DriftError's
 * message are all written: one vocabulary, `+ column users.bio (TEXT, null)`.
 */
import type { Operation } from '../../types/operations';
import type { Column, ColumnType, DefaultValue, ForeignKey, Index, TableRef } from '../../types/schema';
import { assertNever } from '../errors';

/** One line per operation: `+ column users.bio (TEXT, null)`. */
export interface OperationSummary {
  /** '+' adds, '-' removes, '~' changes. */
  readonly sign: '+' | '-' | '~';
  readonly text: string;
}

export function summarizeOperation(op: Operation): OperationSummary {
  switch (op.kind) {
    case 'createTable':
      return { sign: '+', text: `table ${tableName(op.table)} (${columnCount(op.table.columns.length)})` };
    case 'dropTable':
      return { sign: '-', text: `table ${tableName(op.table)}` };
    case 'addColumn':
      return { sign: '+', text: `column ${tableName(op.table)}.${op.column.name} (${formatColumn(op.column)})` };
    case 'removeColumn':
      return { sign: '-', text: `column ${tableName(op.table)}.${op.column.name}` };
    case 'changeColumn':
      return {
        sign: '~',
        text: `column ${tableName(op.table)}.${op.to.name}: ${changeText(op.from, op.to)}`,
      };
    case 'addIndex':
      return { sign: '+', text: indexText(op.table, op.index) };
    case 'removeIndex':
      return { sign: '-', text: indexText(op.table, op.index) };
    case 'addForeignKey':
      return { sign: '+', text: foreignKeyText(op.table, op.foreignKey) };
    case 'removeForeignKey':
      return { sign: '-', text: foreignKeyText(op.table, op.foreignKey) };
    case 'rebuildTable':
      return { sign: '~', text: `table ${tableName(op.to)} (rebuilt: ${rebuildChanges(op.from.columns, op.to.columns)})` };
    case 'alterPrimaryKey':
      return { sign: '~', text: `primary key of ${tableName(op.table)}: (${op.from.join(', ')}) → (${op.to.join(', ')})` };
    case 'renameTable':
      return { sign: '~', text: `table ${tableName(op.from)} renamed to ${op.to.name} (rows kept)` };
    case 'renameColumn':
      return { sign: '~', text: `column ${tableName(op.table)}.${op.from} renamed to ${op.to} (values kept)` };
    case 'createEnum':
      return { sign: '+', text: `enum ${tableName(op.enum)} (${op.enum.values.join(', ')})` };
    case 'dropEnum':
      return { sign: '-', text: `enum ${tableName(op.enum)}` };
    case 'addEnumValues':
      return { sign: '~', text: `enum ${tableName(op.enum)}: add ${op.values.map((v) => v.value).join(', ')}` };
    case 'renameEnum':
      return { sign: '~', text: `enum ${tableName(op.enum)} renamed to ${op.to}` };
    case 'removeEnumValues':
      return { sign: '~', text: `enum ${tableName(op.enum)}: remove ${op.values.join(', ')}` };
    default:
      return assertNever(op, 'operation');
  }
}

export function formatSummary(summary: OperationSummary): string {
  return `${summary.sign} ${summary.text}`;
}

/** One line for a human: what an operation does (drift reports, DriftError, the CLI). */
export function describeOperation(op: Operation): string {
  return formatSummary(summarizeOperation(op));
}

function tableName(ref: TableRef): string {
  return ref.schema ? `${ref.schema}.${ref.name}` : ref.name;
}

function columnCount(count: number): string {
  return `${count} column${count === 1 ? '' : 's'}`;
}

/** `STRING(255)`, `DECIMAL(10,2)`, `ENUM('a','b')`, `INTEGER[]`, the raw spelling for RAW. */
export function formatType(type: ColumnType): string {
  if (type.name === 'RAW') return type.raw ?? 'RAW';
  if (type.name === 'ARRAY') return `${type.element ? formatType(type.element) : '?'}[]`;
  if (type.name === 'ENUM') return `ENUM(${(type.values ?? []).map((v) => `'${v}'`).join(',')})`;
  const args: number[] = [];
  if (type.length != null) args.push(type.length);
  if (type.precision != null) args.push(type.precision);
  if (type.scale != null) args.push(type.scale);
  const variant = type.variant ? `${type.variant.toUpperCase()} ` : '';
  const size = args.length > 0 ? `(${args.join(',')})` : '';
  return `${variant}${type.name}${size}${type.unsigned ? ' UNSIGNED' : ''}`;
}

function formatDefault(value: DefaultValue | null): string {
  if (value === null) return 'none';
  switch (value.kind) {
    case 'value':
      return typeof value.value === 'string' ? `'${value.value}'` : String(value.value);
    case 'now':
      return 'now';
    case 'sql':
      return value.sql;
    default:
      return assertNever(value, 'default');
  }
}

function formatColumn(column: Column): string {
  const parts = [formatType(column.type), column.allowNull ? 'null' : 'not null'];
  if (column.defaultValue !== null) parts.push(`default ${formatDefault(column.defaultValue)}`);
  return parts.join(', ');
}

/** What differs between two versions of a column, e.g. `type STRING(100) → TEXT, null → not null`. */
function columnChanges(from: Column, to: Column): string[] {
  const changes: string[] = [];
  const fromType = formatType(from.type);
  const toType = formatType(to.type);
  if (fromType !== toType) changes.push(`type ${fromType} → ${toType}`);
  if (from.allowNull !== to.allowNull) {
    changes.push(`${from.allowNull ? 'null' : 'not null'} → ${to.allowNull ? 'null' : 'not null'}`);
  }
  const fromDefault = formatDefault(from.defaultValue);
  const toDefault = formatDefault(to.defaultValue);
  if (fromDefault !== toDefault) changes.push(`default ${fromDefault} → ${toDefault}`);
  if (from.autoIncrement !== to.autoIncrement) changes.push(to.autoIncrement ? 'auto-increment' : 'no auto-increment');
  if (from.comment !== to.comment) changes.push('comment');
  if (from.name !== to.name) changes.push(`renamed from ${from.name}`);
  return changes;
}

/**
 * The differ only emits a change when something differs; 'definition' keeps the line readable
 * when the difference is in a detail this summary does not spell out.
 */
function changeText(from: Column, to: Column): string {
  const changes = columnChanges(from, to);
  return changes.length > 0 ? changes.join(', ') : 'definition';
}

function rebuildChanges(from: readonly Column[], to: readonly Column[]): string {
  const before = new Map(from.map((c) => [c.name, c]));
  const after = new Map(to.map((c) => [c.name, c]));
  const changes: string[] = [];
  for (const column of to) {
    const old = before.get(column.name);
    if (!old) changes.push(`+${column.name}`);
    else if (columnChanges(old, column).length > 0) changes.push(`~${column.name}`);
  }
  for (const column of from) if (!after.has(column.name)) changes.push(`-${column.name}`);
  return changes.length > 0 ? changes.join(' ') : 'constraints';
}

function indexText(table: TableRef, index: Index): string {
  const kind = index.unique ? 'unique index' : 'index';
  const what = index.expression ? index.expression : index.columns.join(', ');
  const name = index.name ? `${index.name} ` : '';
  return `${kind} ${name}on ${tableName(table)} (${what})`;
}

function foreignKeyText(table: TableRef, fk: ForeignKey): string {
  const target = fk.referencedSchema ? `${fk.referencedSchema}.${fk.referencedTable}` : fk.referencedTable;
  return (
    `foreign key ${tableName(table)}(${fk.columns.join(', ')}) → ${target}(${fk.referencedColumns.join(', ')})` +
    (fk.onDelete !== 'NO ACTION' ? ` on delete ${fk.onDelete.toLowerCase()}` : '')
  );
}
