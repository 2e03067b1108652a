import type { Operation, OperationNote } from '../../types/operations';
import type { IncludeObject } from '../../types/options';
import type { ColumnType, Schema, Table } from '../../types/schema';
import type { DialectCapabilities } from '../dialects/dialect';
import { tableKey } from './compare';
import { includesColumn, includesTable, type DiffContext } from './diff-context';
import { diffEnums, enumKey } from './diff-enums';
import { diffTables, dropServerIndexes, withModelTypes } from './diff-tables';
import { lowerForDialect } from './lower-for-dialect';
import { orderOperations } from './order-operations';
import { renameHints } from './rename-hints';
import type { Renames } from './apply-renames';

export interface DiffOptions {
  readonly capabilities: DialectCapabilities;
  /** The dialect's normalisation, applied to the tables of both sides before comparing. */
  readonly normalize: (table: Table) => Table;
  /** Autogenerate filter: false leaves that object alone (never created, dropped or changed). Default: all. */
  readonly include?: (object: IncludeObject) => boolean;
  /** Renames the caller decided; they run first, and the differ compares the renamed tables. */
  readonly renames?: Renames;
}

export interface DiffResult {
  readonly operations: Operation[];
  readonly notes: OperationNote[];
}

/**
 * The operations that bring `current` (the live database, introspected) to `desired` (the models),
 * in dependency order, lowered for the dialect (table rebuilds where ALTER TABLE cannot), each
 * carrying the prior state its reverse needs. Pure: the inputs are never modified.
 */
export function diffSchemas(current: Schema, desired: Schema, options: DiffOptions): DiffResult {
  const ctx: DiffContext = { capabilities: options.capabilities, include: options.include ?? (() => true) };
  const desiredTables = desired.tables.map((table) => options.normalize(table));
  const normalized = current.tables.map((table) => options.normalize(table));
  // Loaded only when renames are given (generate): diff() and the drift check never need it.
  const renamed =
    Object.keys(options.renames ?? {}).length === 0
      ? { current: normalized, enums: current.enums, operations: [] }
      : (require('./apply-renames') as typeof import('./apply-renames')).applyRenames(normalized, desiredTables, options.renames ?? {}, current.enums);
  const currentTables = renamed.current;
  const tables = dropServerIndexes(
    withModelTypes(diffTables(currentTables, desiredTables, ctx), desired.tables),
    current.tables,
    desiredTables,
    options.normalize,
  );
  const enums = diffEnums({ ...current, enums: renamed.enums }, desired, ctx, enumsStillUsed(currentTables, desiredTables, ctx));
  const operations = [
    ...renamed.operations,
    ...lowerForDialect(orderOperations(tables, enums), options.capabilities, currentTables),
  ];
  return { operations, notes: renameHints(operations) };
}

function enumKeysOf(type: ColumnType, schema: string | null): string[] {
  if (type.name === 'ENUM' && type.enumName) return [enumKey({ name: type.enumName, schema })];
  return type.element ? enumKeysOf(type.element, schema) : [];
}

/** Enum types some column uses once the migration ran: the models' columns, and what the filter keeps. */
function enumsStillUsed(current: readonly Table[], desired: readonly Table[], ctx: DiffContext): Set<string> {
  const used = new Set<string>();
  const desiredKeys = new Set(desired.filter((table) => includesTable(ctx, table)).map(tableKey));
  for (const table of desired) {
    if (!includesTable(ctx, table)) continue;
    for (const column of table.columns) {
      if (includesColumn(ctx, table, column.name)) enumKeysOf(column.type, table.schema).forEach((key) => used.add(key));
    }
  }
  for (const table of current) {
    const untouched = !includesTable(ctx, table);
    const altered = desiredKeys.has(tableKey(table));
    for (const column of table.columns) {
      if (untouched || (altered && !includesColumn(ctx, table, column.name))) {
        enumKeysOf(column.type, table.schema).forEach((key) => used.add(key));
      }
    }
  }
  return used;
}
