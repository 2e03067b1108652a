import { ModelConflictError, ModelNameError } from '../errors';
import type { Table } from '../../types/schema';

/**
 * Models autogenerate cannot turn into one honest Schema, refused before anything is compared
 * (issue 13): names Sequelize cannot write, and two models that describe one table differently.
 */

/** A table as one model describes it. */
export interface ModelTable {
  readonly model: string;
  readonly table: Table;
}

/**
 * Sequelize strips the dialect's quote character from identifiers instead of escaping it
 * (`quoteIdentifier` in each dialect's query-generator.js: `"` on PostgreSQL, a backtick on MySQL
 * and SQLite), so `my"table` is created as `mytable` and the next diff proposes to create
 * `my"table` and drop `mytable`, forever. `quote` is the dialect's quoteIdentifier, forced.
 */
export function assertWritableNames({ model, table }: ModelTable, quote: (name: string) => string): void {
  const names: [string, string][] = [
    ['table', table.name],
    ...(table.schema === null ? [] : [['schema', table.schema] as [string, string]]),
    ...table.columns.map((column): [string, string] => ['column', column.name]),
    ...table.indexes.flatMap((index): [string, string][] => (index.name === null ? [] : [['index', index.name]])),
  ];
  for (const [kind, name] of names) {
    const quoted = quote(name);
    if (quoted.slice(1, -1) === name) continue;
    throw new ModelNameError(
      `Model "${model}" on table ${JSON.stringify(table.name)}: its ${kind} name ${JSON.stringify(name)} cannot be written on this ` +
        `database: Sequelize quotes it as ${quoted}, dropping the ${quoted[0]} character, so the database would hold ` +
        'another name than the model and every diff would propose the change again. Rename it without that character.',
      model,
      table.name,
      name,
    );
  }
}

/**
 * Two models on one table are fine when they describe it alike; otherwise the Schema would keep
 * the first and silently drop what only the second has.
 */
export function assertSameTable(first: ModelTable, second: ModelTable): void {
  const differences = tableDifferences(first, second);
  if (differences.length === 0) return;
  const where = first.table.schema === null ? first.table.name : `${first.table.schema}.${first.table.name}`;
  throw new ModelConflictError(
    `Models "${first.model}" and "${second.model}" both map to table "${where}" but describe it differently ` +
      `(${differences.join('; ')}): autogenerate cannot tell which one the table should follow. Map one model ` +
      'per table, or give both the same attributes, indexes and keys (a belongsToMany `through` given as a ' +
      'string creates a model of its own: pass the model instead).',
    first.table.name,
    [first.model, second.model],
    differences,
  );
}

function tableDifferences(a: ModelTable, b: ModelTable): string[] {
  const differences: string[] = [];
  const columnsOf = (side: ModelTable) => new Map(side.table.columns.map((column) => [column.name, JSON.stringify(column)]));
  const aColumns = columnsOf(a);
  const bColumns = columnsOf(b);
  for (const [name, definition] of aColumns) {
    const other = bColumns.get(name);
    if (other === undefined) differences.push(`column "${name}" only in ${a.model}`);
    else if (other !== definition) differences.push(`column "${name}" defined differently`);
  }
  for (const name of bColumns.keys()) if (!aColumns.has(name)) differences.push(`column "${name}" only in ${b.model}`);
  const same = (pick: (table: Table) => unknown) => JSON.stringify(pick(a.table)) === JSON.stringify(pick(b.table));
  const sorted = (items: readonly unknown[]) => items.map((item) => JSON.stringify(item)).sort();
  if (!same((table) => table.primaryKey)) differences.push('primary key');
  if (!same((table) => sorted(table.indexes))) differences.push('indexes');
  if (!same((table) => sorted(table.foreignKeys))) differences.push('foreign keys');
  if (!same((table) => table.comment)) differences.push('comment');
  return differences;
}
