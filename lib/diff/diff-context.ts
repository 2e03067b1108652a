import type { Operation } from '../../types/operations';
import type { IncludeObject } from '../../types/options';
import type { EnumType, ForeignKey, Index, Table, TableRef } from '../../types/schema';
import type { DialectCapabilities } from '../dialects/dialect';

/** What every comparator receives: the dialect's abilities and the user's include filter. */
export interface DiffContext {
  readonly capabilities: DialectCapabilities;
  readonly include: (object: IncludeObject) => boolean;
}

/** A primary key change (folded into a rebuild on SQLite by lowering). */
export type AlterPrimaryKey = Extract<Operation, { kind: 'alterPrimaryKey' }>;

/** One step of the differ's output before lowering. */
export type DiffStep = Operation;

/** The include-filter names of objects the models may leave unnamed. */
export function indexLabel(index: Index): string {
  return index.name ?? (index.expression || index.columns.join(','));
}

export function foreignKeyLabel(fk: ForeignKey): string {
  return fk.name ?? `${fk.columns.join(',')}->${fk.referencedTable}`;
}

export function includesTable(ctx: DiffContext, table: TableRef): boolean {
  return ctx.include({ kind: 'table', name: table.name });
}

export function includesColumn(ctx: DiffContext, table: TableRef, column: string): boolean {
  return ctx.include({ kind: 'column', name: column, table: table.name });
}

export function includesIndex(ctx: DiffContext, table: TableRef, index: Index): boolean {
  return ctx.include({ kind: 'index', name: indexLabel(index), table: table.name });
}

export function includesForeignKey(ctx: DiffContext, table: TableRef, fk: ForeignKey): boolean {
  return ctx.include({ kind: 'foreignKey', name: foreignKeyLabel(fk), table: table.name });
}

export function includesEnum(ctx: DiffContext, enumType: EnumType): boolean {
  return ctx.include({ kind: 'enum', name: enumType.name });
}

/** A new table keeps only what the filter lets through (its primary key columns always). */
export function filterTable(ctx: DiffContext, table: Table): Table {
  return {
    ...table,
    columns: table.columns.filter(
      (column) => table.primaryKey.includes(column.name) || includesColumn(ctx, table, column.name),
    ),
    indexes: table.indexes.filter((index) => includesIndex(ctx, table, index)),
    foreignKeys: table.foreignKeys.filter((fk) => includesForeignKey(ctx, table, fk)),
  };
}
