import type { Operation } from '../../types/operations';
import type { Column, Table, TableRef } from '../../types/schema';
import type { DialectCapabilities } from '../dialects/dialect';
import { applyToTable } from './apply-to-table';
import { refOf, tableKey } from './compare';
import type { DiffStep } from './diff-context';
import { assertNever } from '../errors';

/**
 * Turns the differ's steps into operations the dialect can run, filling in the whole-table
 * states a rebuild carries.
 *
 * Where ALTER TABLE cannot change a table in place (SQLite: https://www.sqlite.org/lang_altertable.html),
 * every step of a table that needs it (changeColumn, removing a column that a key or index uses,
 * adding a NOT NULL column without default or one whose default is an expression, foreign key and
 * primary key changes, dropping a UNIQUE constraint's index) and every other column or key step of
 * that table become ONE rebuildTable at the place of the last of them. Plain addIndex and
 * removeIndex stay: removals before the rebuild, additions after it.
 *
 * Elsewhere every step stays as it is (a primary key change is an alterPrimaryKey).
 *
 * `current` is the database before the steps, normalised like the steps' tables.
 */
export function lowerForDialect(
  steps: readonly DiffStep[],
  capabilities: DialectCapabilities,
  current: readonly Table[],
): Operation[] {
  const items = capabilities.alterTable ? steps.map(single) : foldRebuilds(sqliteShortcuts(steps), current);
  return resolve(items, current);
}

/** A step, or the steps of one table merged into a rebuild. */
type Item =
  | { readonly kind: 'step'; readonly step: DiffStep }
  | { readonly kind: 'rebuild'; readonly table: TableRef; readonly steps: readonly DiffStep[] };

function single(step: DiffStep): Item {
  return { kind: 'step', step };
}

function stepTable(step: DiffStep): TableRef | null {
  switch (step.kind) {
    case 'createTable':
    case 'dropTable':
      return refOf(step.table);
    case 'rebuildTable':
    case 'renameTable':
      return refOf(step.to);
    case 'renameColumn':
    case 'addColumn':
    case 'removeColumn':
    case 'changeColumn':
    case 'addIndex':
    case 'removeIndex':
    case 'addForeignKey':
    case 'removeForeignKey':
    case 'alterPrimaryKey':
      return step.table;
    case 'createEnum':
    case 'dropEnum':
    case 'addEnumValues':
    case 'removeEnumValues':
    case 'renameEnum':
      return null;
    default:
      return assertNever(step, 'step');
  }
}

/**
 * SQLite resolves foreign keys when rows change, not when tables are created
 * (https://www.sqlite.org/foreignkeys.html#fk_schemacommands): a key deferred past a new table's
 * creation (a cycle) goes back into its createTable, and a key removed only to drop its table is
 * dropped with the table. Neither then costs a rebuild.
 */
function sqliteShortcuts(steps: readonly DiffStep[]): DiffStep[] {
  const created = new Map<string, number>();
  const dropped = new Set<string>();
  steps.forEach((step, i) => {
    if (step.kind === 'createTable') created.set(tableKey(step.table), i);
    if (step.kind === 'dropTable') dropped.add(tableKey(step.table));
  });
  const deferred = new Map<string, Extract<DiffStep, { kind: 'addForeignKey' }>[]>();
  const kept: DiffStep[] = [];
  for (const step of steps) {
    if (step.kind === 'addForeignKey' && created.has(tableKey(step.table))) {
      const key = tableKey(step.table);
      deferred.set(key, [...(deferred.get(key) ?? []), step]);
    } else if (!(step.kind === 'removeForeignKey' && dropped.has(tableKey(step.table)))) {
      kept.push(step);
    }
  }
  return kept.map((step) => {
    if (step.kind !== 'createTable') return step;
    const extra = deferred.get(tableKey(step.table)) ?? [];
    if (extra.length === 0) return step;
    return { ...step, table: { ...step.table, foreignKeys: [...step.table.foreignKeys, ...extra.map((s) => s.foreignKey)] } };
  });
}

/** A step SQLite's ALTER TABLE cannot do on this table. */
function needsRebuild(step: DiffStep, table: Table | undefined): boolean {
  switch (step.kind) {
    case 'changeColumn':
    case 'addForeignKey':
    case 'removeForeignKey':
    case 'alterPrimaryKey':
    case 'rebuildTable':
      return true;
    case 'addColumn':
      return cannotAddColumn(step.column);
    case 'removeColumn':
      return table === undefined || isReferenced(table, step.column.name);
    case 'removeIndex':
      // The index behind a UNIQUE constraint (sqlite_autoindex_*) goes only with the constraint.
      return step.index.origin === 'constraint';
    case 'addIndex':
    case 'createTable':
    case 'dropTable':
    case 'renameTable':
    case 'renameColumn':
    case 'createEnum':
    case 'dropEnum':
    case 'addEnumValues':
    case 'removeEnumValues':
    case 'renameEnum':
      return false;
    default:
      return assertNever(step, 'step');
  }
}

/**
 * ADD COLUMN refuses NOT NULL without a default, a PRIMARY KEY, and a default of CURRENT_TIMESTAMP
 * or an expression (https://www.sqlite.org/lang_altertable.html#altertabaddcol).
 */
function cannotAddColumn(column: Column): boolean {
  if (column.autoIncrement) return true;
  if (column.defaultValue === null) return !column.allowNull;
  return column.defaultValue.kind !== 'value';
}

/** DROP COLUMN refuses a column a key, an index or a foreign key uses (same page, altertabdropcol). */
function isReferenced(table: Table, column: string): boolean {
  return (
    table.primaryKey.includes(column) ||
    table.indexes.some((index) => index.columns.includes(column) || (index.expression ?? '') !== '' || (index.where ?? '') !== '') ||
    table.foreignKeys.some((fk) => fk.columns.includes(column))
  );
}

/** Plain steps SQLite runs as they are, even on a table that is rebuilt. */
function staysPlain(step: DiffStep): boolean {
  return step.kind === 'addIndex' || (step.kind === 'removeIndex' && step.index.origin !== 'constraint');
}

function foldRebuilds(steps: readonly DiffStep[], current: readonly Table[]): Item[] {
  const currentByKey = new Map(current.map((table) => [tableKey(table), table]));
  const rebuilt = new Set<string>();
  for (const step of steps) {
    const table = stepTable(step);
    if (table !== null && needsRebuild(step, currentByKey.get(tableKey(table)))) rebuilt.add(tableKey(table));
  }
  const folded = (step: DiffStep): string | null => {
    const table = stepTable(step);
    if (table === null || step.kind === 'createTable' || step.kind === 'dropTable' || staysPlain(step)) return null;
    return rebuilt.has(tableKey(table)) ? tableKey(table) : null;
  };
  const lastFolded = new Map<string, number>();
  steps.forEach((step, i) => {
    const key = folded(step);
    if (key !== null) lastFolded.set(key, i);
  });
  const groups = new Map<string, DiffStep[]>();
  const movedIndexes = new Map<string, DiffStep[]>();
  const items: Item[] = [];
  steps.forEach((step, i) => {
    const table = stepTable(step);
    const key = table === null ? null : tableKey(table);
    if (key !== null && folded(step) === key) {
      const group = [...(groups.get(key) ?? []), step];
      groups.set(key, group);
      if (lastFolded.get(key) === i) {
        items.push({ kind: 'rebuild', table: table!, steps: group });
        items.push(...(movedIndexes.get(key) ?? []).map(single));
      }
      return;
    }
    // An index added to a table before its rebuild could name a column the rebuild adds.
    if (key !== null && step.kind === 'addIndex' && rebuilt.has(key) && (lastFolded.get(key) ?? -1) > i) {
      movedIndexes.set(key, [...(movedIndexes.get(key) ?? []), step]);
      return;
    }
    items.push(single(step));
  });
  return items;
}

/** Walks the items over an in-memory copy of the tables, so each rebuild knows its whole table. */
function resolve(items: readonly Item[], current: readonly Table[]): Operation[] {
  const state = new Map(current.map((table) => [tableKey(table), table]));
  const operations: Operation[] = [];
  const tableState = (ref: TableRef): Table =>
    state.get(tableKey(ref)) ?? { name: ref.name, schema: ref.schema, columns: [], primaryKey: [], indexes: [], foreignKeys: [], comment: null };
  for (const item of items) {
    if (item.kind === 'rebuild') {
      const from = tableState(item.table);
      let to = from;
      const alter: Operation[] = [];
      for (const step of item.steps) {
        const next = applyToTable(to, step);
        alter.push(step);
        to = next;
      }
      operations.push({ kind: 'rebuildTable', from, to, alter });
      state.set(tableKey(item.table), to);
      continue;
    }
    const step = item.step;
    switch (step.kind) {
      case 'createTable':
        operations.push(step);
        state.set(tableKey(step.table), step.table);
        break;
      case 'dropTable':
        // The table as it is when dropped: keys a cycle removed earlier are no longer on it.
        operations.push({ kind: 'dropTable', table: state.get(tableKey(step.table)) ?? step.table });
        state.delete(tableKey(step.table));
        break;
      case 'rebuildTable':
        operations.push(step);
        state.set(tableKey(step.to), step.to);
        break;
      case 'renameTable': {
        operations.push(step);
        const table = state.get(tableKey(step.from));
        state.delete(tableKey(step.from));
        if (table !== undefined) state.set(tableKey(step.to), applyToTable(table, step));
        break;
      }
      case 'renameColumn':
      case 'addColumn':
      case 'removeColumn':
      case 'changeColumn':
      case 'addIndex':
      case 'removeIndex':
      case 'addForeignKey':
      case 'removeForeignKey':
      case 'alterPrimaryKey': {
        operations.push(step);
        const table = state.get(tableKey(step.table));
        if (table !== undefined) state.set(tableKey(step.table), applyToTable(table, step));
        break;
      }
      case 'createEnum':
      case 'dropEnum':
      case 'addEnumValues':
      case 'removeEnumValues':
      case 'renameEnum':
        operations.push(step);
        break;
      default:
        return assertNever(step, 'step');
    }
  }
  return operations;
}
