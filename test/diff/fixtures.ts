/** Small literal schemas for differ tests, in the canonical (already normalised) form. */
import type { Operation } from '../../types/operations';
import type { Column, ColumnType, EnumType, ForeignKey, Index, Schema, Table } from '../../types/schema';
import type { DialectCapabilities } from '../../lib/dialects/dialect';
import { diffSchemas, type DiffOptions, type DiffResult } from '../../lib/diff/diff-schemas';
import { reverseOperations } from '../../lib/diff/reverse-operation';
import { applyOperations } from './apply';

export const POSTGRES: DialectCapabilities = { transactionalDDL: true, alterTable: true, enumTypes: true, columnComments: true };
export const MYSQL: DialectCapabilities = { transactionalDDL: false, alterTable: true, enumTypes: false, columnComments: true };
export const SQLITE: DialectCapabilities = { transactionalDDL: true, alterTable: false, enumTypes: false, columnComments: false };

export const INT: ColumnType = { name: 'INTEGER' };
export const TEXT: ColumnType = { name: 'TEXT', variant: null };
export const string = (length = 255): ColumnType => ({ name: 'STRING', length });

export function col(name: string, type: ColumnType = string(), extra: Partial<Column> = {}): Column {
  return { name, type, allowNull: true, defaultValue: null, autoIncrement: false, comment: null, ...extra };
}

export const id = (name = 'id'): Column => col(name, INT, { allowNull: false, autoIncrement: true });

export function idx(name: string | null, columns: readonly string[], extra: Partial<Index> = {}): Index {
  return { name, columns, unique: false, origin: 'index', expression: null, where: null, using: null, ...extra };
}

export function uq(name: string | null, columns: readonly string[]): Index {
  return idx(name, columns, { unique: true, origin: 'constraint' });
}

export function fk(columns: readonly string[], referencedTable: string, extra: Partial<ForeignKey> = {}): ForeignKey {
  return {
    name: null,
    columns,
    referencedTable,
    referencedSchema: null,
    referencedColumns: ['id'],
    onDelete: 'NO ACTION',
    onUpdate: 'NO ACTION',
    ...extra,
  };
}

export function table(name: string, columns: readonly Column[], extra: Partial<Table> = {}): Table {
  return {
    name,
    schema: null,
    columns: [id(), ...columns],
    primaryKey: ['id'],
    indexes: [],
    foreignKeys: [],
    comment: null,
    ...extra,
  };
}

export function schema(tables: readonly Table[], enums: readonly EnumType[] = [], dialect: Schema['dialect'] = 'postgres'): Schema {
  return { dialect, tables, enums };
}

const identity = (t: Table): Table => t;

export function diff(
  current: Schema,
  desired: Schema,
  capabilities: DialectCapabilities = POSTGRES,
  extra: Partial<DiffOptions> = {},
): DiffResult {
  return diffSchemas(current, desired, { capabilities, normalize: identity, ...extra });
}

export function kinds(ops: readonly Operation[]): string[] {
  return ops.map((op) => op.kind);
}

/** `kind table[.detail]` per operation: compact enough to assert a whole plan at once. */
export function summary(ops: readonly Operation[]): string[] {
  return ops.map((op) => {
    switch (op.kind) {
      case 'createTable':
      case 'dropTable':
        return `${op.kind} ${op.table.name}`;
      case 'addColumn':
      case 'removeColumn':
        return `${op.kind} ${op.table.name}.${op.column.name}`;
      case 'changeColumn':
        return `${op.kind} ${op.table.name}.${op.to.name}`;
      case 'addIndex':
      case 'removeIndex':
        return `${op.kind} ${op.table.name}.${op.index.name ?? op.index.columns.join(',')}`;
      case 'addForeignKey':
      case 'removeForeignKey':
        return `${op.kind} ${op.table.name}.${op.foreignKey.columns.join(',')}->${op.foreignKey.referencedTable}`;
      case 'rebuildTable':
        return `${op.kind} ${op.to.name}`;
      case 'alterPrimaryKey':
        return `${op.kind} ${op.table.name}:${op.from.join(',')}->${op.to.join(',')}`;
      case 'renameTable':
        return `${op.kind} ${op.from.name}->${op.to.name}`;
      case 'renameColumn':
        return `${op.kind} ${op.table.name}.${op.from}->${op.to}`;
      case 'createEnum':
      case 'dropEnum':
        return `${op.kind} ${op.enum.name}`;
      case 'renameEnum':
        return `${op.kind} ${op.enum.name}->${op.to}`;
      case 'removeEnumValues':
        return `${op.kind} ${op.enum.name}:${op.values.join(',')}`;
      case 'addEnumValues':
        return `${op.kind} ${op.enum.name}:${op.values.map((v) => `${v.value}@${v.after ?? '^'}`).join(',')}`;
      default: {
        const never: never = op;
        return String(never);
      }
    }
  });
}

/** Applies with the checks a database of these capabilities would make. */
export function apply(current: Schema, ops: readonly Operation[], capabilities: DialectCapabilities): Schema {
  return applyOperations(current, ops, { checkReferences: capabilities.alterTable, checkEnums: capabilities.enumTypes });
}

/**
 * The two properties every diff must have: applying the operations to `current` leaves nothing
 * to do against `desired`, and applying their reverse afterwards leaves nothing against `current`.
 * Returns the remaining operations of each (both empty when the diff is right).
 */
export function roundTrip(
  current: Schema,
  desired: Schema,
  capabilities: DialectCapabilities = POSTGRES,
  extra: Partial<DiffOptions> = {},
): { readonly up: Operation[]; readonly afterUp: Operation[]; readonly afterDown: Operation[] } {
  const up = diff(current, desired, capabilities, extra).operations;
  const upgraded = apply(current, up, capabilities);
  const afterUp = diff(upgraded, desired, capabilities, extra).operations;
  const downgraded = apply(upgraded, reverseOperations(up), capabilities);
  const afterDown = diff(downgraded, current, capabilities, extra).operations;
  return { up, afterUp, afterDown };
}
