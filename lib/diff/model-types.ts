import type { Operation } from '../../types/operations';
import type { Column, Table } from '../../types/schema';
import { tableKey } from './compare';
import type { TableChanges } from './diff-tables';

/**
 * The differ compares normalised tables, where a dialect drops what it cannot store (SQLite keeps
 * an ENUM as TEXT, no UNSIGNED, no DATE precision). A migration must still say what the models say,
 * so that generated against SQLite it creates an ENUM on PostgreSQL and MySQL: the columns that
 * operations create or change take back the models' own types.
 */
export function withModelTypes(changes: TableChanges, models: readonly Table[]): TableChanges {
  const byKey = new Map(models.map((table) => [tableKey(table), table]));
  const typed = (table: Table | undefined, column: Column): Column => {
    const model = table?.columns.find((candidate) => candidate.name === column.name);
    return model === undefined ? column : { ...column, type: model.type };
  };
  const operation = (op: Operation): Operation => {
    const model = 'table' in op && op.kind !== 'createTable' && op.kind !== 'dropTable' ? byKey.get(tableKey(op.table)) : undefined;
    if (op.kind === 'addColumn') return { ...op, column: typed(model, op.column) };
    if (op.kind === 'changeColumn') return { ...op, to: typed(model, op.to) };
    return op;
  };
  return {
    ...changes,
    created: changes.created.map((table) => ({ ...table, columns: table.columns.map((column) => typed(byKey.get(tableKey(table)), column)) })),
    altered: changes.altered.map((altered) => ({
      ...altered,
      columns: {
        added: altered.columns.added.map(operation),
        changed: altered.columns.changed.map(operation),
        removed: altered.columns.removed,
      },
    })),
  };
}
