import type { Column, Table } from '../../types/schema';
import type { RenderContext } from './render-column';
import { defaultSql } from './render-default';
import { quoteIdentifier, quoteTable } from './quote-sql';
import { renderCreateTable, renderTableIndexes } from './render-table';
import { renderTableRef, tableRef } from './render-table-ref';
import { call, comment, sqlText, statement, type Line } from './source-writer';

/** The temporary name of the new table while a SQLite rebuild copies the rows over. */
export const REBUILD_SUFFIX = '__automigrate_new';

/**
 * SQLite's documented way to make any change to a table
 * (https://www.sqlite.org/lang_altertable.html#otheralter): create the new table, copy the
 * rows, drop the old table, rename the new one, re-create the indexes. Foreign keys are off
 * meanwhile (the runner's doing), so dropping the old table neither fails nor cascades into the
 * rows of tables that reference it.
 */
export function renderRebuildTable(from: Table, to: Table, ctx: RenderContext): Line[] {
  const target = tableRef(to);
  const temporary = { name: `${to.name}${REBUILD_SUFFIX}`, schema: to.schema };
  const lines: Line[] = [
    ...comment(
      `Rebuild ${to.name}: SQLite cannot make this change in place\n` +
        '(https://www.sqlite.org/lang_altertable.html#otheralter).\n' +
        'Do not toggle PRAGMA foreign_keys here: the runner turns foreign key\n' +
        'enforcement off for the migration and runs PRAGMA foreign_key_check\n' +
        'before it commits.',
    ),
    ...renderCreateTable(to, ctx, temporary),
  ];
  const previous = new Map(from.columns.map((column) => [column.name, column]));
  const copied = to.columns.filter((column) => previous.has(column.name));
  for (const column of to.columns) {
    if (!previous.has(column.name) && needsValue(column, to)) {
      lines.push(
        ...comment(
          `NOTE: new column ${column.name} is NOT NULL without a default: the copy below fails\n` +
            `if ${from.name} has rows. Give it a default, or select a value for it.`,
        ),
      );
    }
  }
  if (copied.length > 0) {
    const q = (name: string) => quoteIdentifier(ctx.dialect, name);
    const targets = copied.map((column) => q(column.name)).join(', ');
    const sources = copied.map((column) => sourceExpression(column, previous.get(column.name), ctx)).join(', ');
    const sql =
      `INSERT INTO ${quoteTable(ctx.dialect, temporary)} (${targets}) ` +
      `SELECT ${sources} FROM ${quoteTable(ctx.dialect, tableRef(from))}`;
    lines.push(statement(call('queryInterface.sequelize.query', [sqlText(sql)])));
  }
  lines.push(
    statement(call('queryInterface.dropTable', [renderTableRef(tableRef(from))])),
    statement(call('queryInterface.renameTable', [renderTableRef(temporary), renderTableRef(target)])),
    ...renderTableIndexes(to, ctx),
  );
  return lines;
}

/** A NOT NULL column the copy must fill: no default, not the rowid alias SQLite numbers itself. */
function needsValue(column: Column, table: Table): boolean {
  if (column.allowNull || column.defaultValue !== null || column.autoIncrement) return false;
  const rowid = table.primaryKey.length === 1 && table.primaryKey[0] === column.name && column.type.name === 'INTEGER';
  return !rowid;
}

/** A column that becomes NOT NULL takes its new default where the old rows hold NULL. */
function sourceExpression(column: Column, before: Column | undefined, ctx: RenderContext): string {
  const name = quoteIdentifier(ctx.dialect, column.name);
  if (!before || !before.allowNull || column.allowNull || column.defaultValue === null) return name;
  return `COALESCE(${name}, ${defaultSql(column.defaultValue, column.type, ctx.dialect)})`;
}
