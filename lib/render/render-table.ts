import type { Column, ForeignKey, Index, Table, TableRef } from '../../types/schema';
import { columnAttributes, type RenderContext } from './render-column';
import { renderAddForeignKey } from './render-foreign-key';
import { renderAddIndex, uniqueConstraintName, uniqueConstraintOptions } from './render-index';
import { quoteTable, rulesOf, sqlString } from './quote-sql';
import { renderTableRef, tableRef } from './render-table-ref';
import { arr, call, comment, obj, propertyKey, sqlText, statement, str, type Line, type ObjectEntry } from './source-writer';

/**
 * How createTable spreads a table over QueryInterface calls. Single-column foreign keys and
 * uniques the database names itself go on the column (`references`, `unique: true`), like a
 * hand-written migration; the rest follows as addConstraint / addIndex.
 */
interface TablePlan {
  readonly inlineForeignKeys: ReadonlyMap<string, ForeignKey>;
  readonly inlineUniques: ReadonlySet<string>;
  /** createTable's `uniqueKeys` option: key name -> columns. */
  readonly uniqueKeys: readonly (readonly [string, readonly string[]])[];
  readonly laterUniques: readonly Index[];
  readonly laterForeignKeys: readonly ForeignKey[];
  readonly indexes: readonly Index[];
}

function planTable(table: Table, ctx: RenderContext): TablePlan {
  const rules = rulesOf(ctx.dialect);
  const inlineForeignKeys = new Map<string, ForeignKey>();
  const laterForeignKeys: ForeignKey[] = [];
  for (const fk of table.foreignKeys) {
    // SQLite reports no foreign key names: declaring them inline loses nothing.
    const column = fk.columns.length === 1 && (fk.name === null || !rules.foreignKeyNames) ? fk.columns[0] : undefined;
    if (column !== undefined && !inlineForeignKeys.has(column)) inlineForeignKeys.set(column, fk);
    else laterForeignKeys.push(fk);
  }
  const inlineUniques = new Set<string>();
  const uniqueKeys: [string, readonly string[]][] = [];
  const laterUniques: Index[] = [];
  for (const index of table.indexes) {
    if (index.origin !== 'constraint') continue;
    // SQLite's constraint indexes are all `sqlite_autoindex_<table>_<n>`: the name cannot be chosen.
    const unnamed = index.name === null || rules.uniqueConstraintsAsIndexes;
    const column = index.columns.length === 1 ? index.columns[0] : undefined;
    if (unnamed && column !== undefined && !inlineUniques.has(column)) {
      inlineUniques.add(column);
    } else if (unnamed || rules.uniqueKeysNamed) {
      // MySQL names the index after the `uniqueKeys` key; PostgreSQL and SQLite let the database name it.
      const named = rules.uniqueConstraintsAsIndexes ? { ...index, name: null } : index;
      uniqueKeys.push([uniqueConstraintName(table, named), index.columns]);
    } else {
      laterUniques.push(index);
    }
  }
  const indexes = table.indexes.filter((index) => index.origin === 'index');
  return { inlineForeignKeys, inlineUniques, uniqueKeys, laterUniques, laterForeignKeys, indexes };
}

/**
 * createTable with every column, key and index of `table`. `as` creates it under another name
 * (the new table of a SQLite rebuild); indexes then belong to the caller, which adds them once
 * the table has its final name.
 */
export function renderCreateTable(table: Table, ctx: RenderContext, as?: TableRef): Line[] {
  const ref = as ?? tableRef(table);
  const plan = planTable(table, ctx);
  const pk = new Set(table.primaryKey);
  const columns: ObjectEntry[] = inKeyOrder(table).map((column) => [
    propertyKey(column.name),
    columnAttributes(column, ref, ctx, {
      primaryKey: pk.has(column.name),
      unique: plan.inlineUniques.has(column.name),
      references: plan.inlineForeignKeys.get(column.name),
    }),
  ]);
  const args = [renderTableRef(ref), obj(columns, { broken: true })];
  if (plan.uniqueKeys.length > 0) {
    const keys = plan.uniqueKeys.map(([name, fields]): ObjectEntry => [propertyKey(name), obj([['fields', arr(fields.map(str))]])]);
    args.push(obj([['uniqueKeys', obj(keys, { broken: true })]]));
  }
  const lines: Line[] = [statement(call('queryInterface.createTable', args))];
  const commentLine = table.comment === null ? null : tableComment(ref, table.comment, ctx);
  if (commentLine !== null) lines.push(commentLine);
  for (const index of plan.laterUniques) {
    lines.push(statement(call('queryInterface.addConstraint', [renderTableRef(ref), uniqueConstraintOptions(ref, index)])));
  }
  // Foreign keys before indexes: SQLite's addConstraint copies the table and loses its indexes.
  for (const fk of plan.laterForeignKeys) lines.push(...renderAddForeignKey(ref, fk, ctx));
  if (as === undefined) lines.push(...renderTableIndexes(table, ctx));
  return lines;
}

/**
 * The columns with the primary key's columns in key order, in the places they take. Sequelize's
 * createTable writes `PRIMARY KEY (...)` in attribute order (createTableQuery of every dialect's
 * query-generator.js) and has no option for another order, so a key (b, a) over columns (a, b)
 * would come back as (a, b): a SQLite rebuild would change the key and never converge (issue 12).
 * Other columns keep their places; the differ does not compare column order.
 */
function inKeyOrder(table: Table): readonly Column[] {
  if (table.primaryKey.length < 2) return table.columns;
  const byName = new Map(table.columns.map((column) => [column.name, column]));
  const keyColumns = table.primaryKey.map((name) => byName.get(name)).filter((column) => column !== undefined);
  if (keyColumns.length !== table.primaryKey.length) return table.columns;
  let next = 0;
  return table.columns.map((column) => (table.primaryKey.includes(column.name) ? (keyColumns[next++] as Column) : column));
}

export function renderTableIndexes(table: Table, ctx: RenderContext): Line[] {
  return planTable(table, ctx).indexes.flatMap((index) => renderAddIndex(tableRef(table), index, ctx));
}

/**
 * Table comments go through SQL: createTable's `comment` option works, but Sequelize's
 * TypeScript declarations do not list it, and a TypeScript migration must compile.
 */
function tableComment(table: TableRef, text: string, ctx: RenderContext): Line | null {
  const sql = rulesOf(ctx.dialect).tableCommentSql(quoteTable(ctx.dialect, table), sqlString(ctx.dialect, text));
  return sql === null ? null : statement(call('queryInterface.sequelize.query', [sqlText(sql)]));
}

/**
 * On PostgreSQL with an options object, even empty: when a model with an ENUM attribute is
 * registered under the table's name, Sequelize's PostgreSQL dropTable also drops its enum types
 * and, without options, throws a TypeError instead
 * (https://github.com/sequelize/sequelize/issues/13337).
 */
export function renderDropTable(table: TableRef, ctx: RenderContext): Line[] {
  if (!rulesOf(ctx.dialect).dropTableNeedsOptions) return [statement(call('queryInterface.dropTable', [renderTableRef(table)]))];
  return [
    ...comment('{} on purpose: PostgreSQL dropTable needs options (sequelize#13337).'),
    statement(call('queryInterface.dropTable', [renderTableRef(table), obj([])])),
  ];
}
