import type {
  Column,
  ColumnType,
  DefaultValue,
  ForeignKey,
  Index,
  Table,
  TableRef,
} from '../../types/schema';
import { assertNever } from '../errors';

/**
 * Equality of the pieces of a schema, after each dialect's normalisation. Optional fields that
 * are absent, undefined or null mean the same thing here, so one side spelling `length: null`
 * and the other leaving it out never reads as a change.
 */

export function tableKey(table: TableRef): string {
  return `${table.schema ?? ''}\u0000${table.name}`;
}

export function refOf(table: TableRef): TableRef {
  return { name: table.name, schema: table.schema };
}

function present<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

/** Two column types are equal. With named enum types the values live in the type, not the column. */
export function sameType(a: ColumnType, b: ColumnType, enumTypes: boolean): boolean {
  if (a.name !== b.name) return false;
  if (a.name === 'ENUM' && enumTypes) return (a.enumName ?? null) === (b.enumName ?? null);
  if ((a.unsigned === true) !== (b.unsigned === true)) return false;
  const scalars = ['length', 'precision', 'scale', 'variant', 'enumName', 'raw'] as const;
  for (const key of scalars) {
    if ((a[key] ?? null) !== (b[key] ?? null)) return false;
  }
  if (!sameList(a.values ?? null, b.values ?? null)) return false;
  if (present(a.element) || present(b.element)) {
    if (!present(a.element) || !present(b.element)) return false;
    return sameType(a.element, b.element, enumTypes);
  }
  return true;
}

export function sameList<T extends string | null>(a: readonly T[] | null, b: readonly T[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

export function sameDefault(a: DefaultValue | null, b: DefaultValue | null): boolean {
  if (a === null || b === null) return a === b;
  switch (a.kind) {
    case 'value':
      return b.kind === 'value' && a.value === b.value;
    case 'now':
      return b.kind === 'now';
    case 'sql':
      return b.kind === 'sql' && a.sql === b.sql;
    default:
      return assertNever(a, 'default');
  }
}

export interface ColumnComparison {
  readonly enumTypes: boolean;
  readonly columnComments: boolean;
}

export function sameColumn(a: Column, b: Column, how: ColumnComparison): boolean {
  return (
    sameType(a.type, b.type, how.enumTypes) &&
    a.allowNull === b.allowNull &&
    sameDefault(a.defaultValue, b.defaultValue) &&
    a.autoIncrement === b.autoIncrement &&
    (!how.columnComments || (a.comment ?? null) === (b.comment ?? null))
  );
}

/** What an index does, without its name or origin: a UNIQUE constraint is a unique index. */
export function sameIndexDefinition(a: Index, b: Index): boolean {
  return (
    sameList(a.columns, b.columns) &&
    a.unique === b.unique &&
    (a.expression ?? null) === (b.expression ?? null) &&
    (a.where ?? null) === (b.where ?? null) &&
    (a.using ?? null) === (b.using ?? null) &&
    sameList(operatorsOf(a), operatorsOf(b))
  );
}

/** An index's operator classes, null when it names none (absent, null, or all defaults). */
function operatorsOf(index: Index): readonly (string | null)[] | null {
  const operators = index.operators ?? null;
  return operators !== null && operators.some((operator) => operator !== null) ? operators : null;
}

export function isExpressionIndex(index: Index): boolean {
  return present(index.expression) && index.expression !== '';
}

/** What a foreign key points at; its actions are compared separately. */
export function sameForeignKeyTarget(a: ForeignKey, b: ForeignKey): boolean {
  return (
    sameList(a.columns, b.columns) &&
    a.referencedTable === b.referencedTable &&
    (a.referencedSchema ?? null) === (b.referencedSchema ?? null) &&
    sameList(a.referencedColumns, b.referencedColumns)
  );
}

export function sameForeignKey(a: ForeignKey, b: ForeignKey): boolean {
  return sameForeignKeyTarget(a, b) && a.onDelete === b.onDelete && a.onUpdate === b.onUpdate;
}

/** Finds an index by name, or by definition when it has none (as the in-memory state holds it). */
export function sameIndexIdentity(a: Index, b: Index): boolean {
  if (a.name !== null && b.name !== null) return a.name === b.name;
  return sameIndexDefinition(a, b);
}

export function sameForeignKeyIdentity(a: ForeignKey, b: ForeignKey): boolean {
  if (a.name !== null && b.name !== null) return a.name === b.name;
  return sameForeignKeyTarget(a, b);
}

export function findTable(tables: readonly Table[], ref: TableRef): Table | undefined {
  const key = tableKey(ref);
  return tables.find((table) => tableKey(table) === key);
}
