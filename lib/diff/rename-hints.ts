import type { Operation, OperationNote } from '../../types/operations';
import type { Column, ColumnType, Table } from '../../types/schema';
import { sameType, tableKey } from './compare';

/**
 * Renames are never guessed into operations (drizzle-kit's habit: the decision is the user's).
 * A column removed and one of the same type added in the same table, or a table dropped and one
 * created with the same columns, get a note saying how to turn the pair into a rename that keeps
 * the data. Notes point at the addColumn / createTable / rebuildTable they are about.
 */
export function renameHints(operations: readonly Operation[]): OperationNote[] {
  return [...columnHints(operations), ...rebuildHints(operations), ...tableHints(operations)].sort(
    (a, b) => a.operation - b.operation,
  );
}

/** Types compared without the enum type name, which follows the table and column names. */
function similarType(a: ColumnType, b: ColumnType): boolean {
  const plain = (type: ColumnType): ColumnType => ({
    ...type,
    enumName: null,
    ...(type.element ? { element: plain(type.element) } : {}),
  });
  return sameType(plain(a), plain(b), false);
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function columnNote(table: string, candidates: readonly string[], added: string, where: string): string {
  const calls = candidates.map((old) => `queryInterface.renameColumn(${quote(table)}, ${quote(old)}, ${quote(added)})`);
  return (
    `"${added}" may be a rename of ${candidates.map((c) => `"${c}"`).join(' or ')} (same type). ` +
    `If it is, replace ${where} with ${calls.join(' or ')} in up, and the opposite rename in down, to keep the data.`
  );
}

function columnHints(operations: readonly Operation[]): OperationNote[] {
  const removed = operations.flatMap((op) => (op.kind === 'removeColumn' ? [op] : []));
  const notes: OperationNote[] = [];
  operations.forEach((op, index) => {
    if (op.kind !== 'addColumn') return;
    const candidates = removed
      .filter((r) => tableKey(r.table) === tableKey(op.table) && similarType(r.column.type, op.column.type))
      .map((r) => r.column.name);
    if (candidates.length === 0) return;
    notes.push({
      operation: index,
      text: columnNote(op.table.name, candidates, op.column.name, 'this addColumn and the matching removeColumn'),
    });
  });
  return notes;
}

function rebuildHints(operations: readonly Operation[]): OperationNote[] {
  const notes: OperationNote[] = [];
  operations.forEach((op, index) => {
    if (op.kind !== 'rebuildTable') return;
    const before = new Set(op.from.columns.map((c) => c.name));
    const after = new Set(op.to.columns.map((c) => c.name));
    const gone = op.from.columns.filter((c) => !after.has(c.name));
    for (const column of op.to.columns.filter((c) => !before.has(c.name))) {
      const candidates = gone.filter((g) => similarType(g.type, column.type)).map((g) => g.name);
      if (candidates.length === 0) continue;
      notes.push({
        operation: index,
        text: columnNote(op.to.name, candidates, column.name, 'this table rebuild (run the rename, then generate again)'),
      });
    }
  });
  return notes;
}

function sameColumns(a: readonly Column[], b: readonly Column[]): boolean {
  return (
    a.length === b.length &&
    a.every((column, i) => {
      const other = b[i];
      return (
        other !== undefined &&
        column.name === other.name &&
        column.allowNull === other.allowNull &&
        similarType(column.type, other.type)
      );
    })
  );
}

function tableHints(operations: readonly Operation[]): OperationNote[] {
  const dropped: Table[] = operations.flatMap((op) => (op.kind === 'dropTable' ? [op.table] : []));
  const notes: OperationNote[] = [];
  operations.forEach((op, index) => {
    if (op.kind !== 'createTable') return;
    const candidates = dropped.filter((d) => sameColumns(d.columns, op.table.columns)).map((d) => d.name);
    if (candidates.length === 0) return;
    const calls = candidates.map((old) => `queryInterface.renameTable(${quote(old)}, ${quote(op.table.name)})`);
    notes.push({
      operation: index,
      text:
        `Table "${op.table.name}" may be a rename of ${candidates.map((c) => `"${c}"`).join(' or ')} (same columns). ` +
        `If it is, replace this createTable and the matching dropTable with ${calls.join(' or ')} in up, ` +
        'and the opposite rename in down, to keep the data.',
    });
  });
  return notes;
}

/** A dropped and an added column of one table, or a dropped and a created table: maybe one rename. */
export type RenameCandidate =
  | { readonly kind: 'column'; readonly table: string; readonly from: string; readonly to: string; readonly sameType: boolean }
  | { readonly kind: 'table'; readonly from: string; readonly to: string; readonly sameType: boolean };

/**
 * Every pair a person may want to call a rename (drizzle-kit asks about each), same-typed pairs
 * first; `sameType` says whether the columns (or the tables' columns) match. For the CLI prompts
 * and summary; the differ itself never acts on them.
 */
export function renameCandidates(operations: readonly Operation[]): RenameCandidate[] {
  const columns: RenameCandidate[] = [];
  const removed = operations.flatMap((op) => (op.kind === 'removeColumn' ? [op] : []));
  for (const op of operations) {
    if (op.kind === 'addColumn') {
      for (const r of removed.filter((r) => tableKey(r.table) === tableKey(op.table))) {
        columns.push({ kind: 'column', table: op.table.name, from: r.column.name, to: op.column.name, sameType: similarType(r.column.type, op.column.type) });
      }
    }
    if (op.kind === 'rebuildTable') {
      const after = new Set(op.to.columns.map((c) => c.name));
      const before = new Set(op.from.columns.map((c) => c.name));
      for (const added of op.to.columns.filter((c) => !before.has(c.name))) {
        for (const gone of op.from.columns.filter((c) => !after.has(c.name))) {
          columns.push({ kind: 'column', table: op.to.name, from: gone.name, to: added.name, sameType: similarType(gone.type, added.type) });
        }
      }
    }
  }
  const dropped: Table[] = operations.flatMap((op) => (op.kind === 'dropTable' ? [op.table] : []));
  const tables: RenameCandidate[] = operations.flatMap((op) =>
    op.kind === 'createTable'
      ? dropped.map((d) => ({ kind: 'table' as const, from: d.name, to: op.table.name, sameType: sameColumns(d.columns, op.table.columns) }))
      : [],
  );
  const bySameType = (a: RenameCandidate, b: RenameCandidate) => Number(b.sameType) - Number(a.sameType);
  return [...tables.sort(bySameType), ...columns.sort(bySameType)];
}
