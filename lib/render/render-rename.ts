import type { TableRef } from '../../types/schema';
import { renderTableRef, tableRef } from './render-table-ref';
import { call, comment, quoteString, raw, statement, type Line } from './source-writer';

/**
 * `ALTER TABLE ... RENAME TO` on every dialect (Sequelize's renameTable): keys, indexes and rows
 * stay, and SQLite rewrites the foreign keys of other tables that point at it
 * (https://www.sqlite.org/lang_altertable.html#altertabrename).
 */
export function renderRenameTable(from: TableRef, to: TableRef): Line[] {
  return [statement(call('queryInterface.renameTable', [renderTableRef(tableRef(from)), renderTableRef(tableRef(to))]))];
}

/**
 * `ALTER TABLE ... RENAME COLUMN`, which SQLite (3.25+), PostgreSQL, MariaDB (10.5+) and MySQL (8.0+)
 * all run in place, keeping every key, index, default and AUTOINCREMENT, with the quoting of the
 * dialect the migration runs on. Not `queryInterface.renameColumn`: on SQLite it rebuilds the table
 * without AUTOINCREMENT and ON DELETE actions, on MySQL it re-declares the column from
 * describeTable and loses AUTO_INCREMENT and the comment.
 */
export function renderRenameColumn(table: TableRef, from: string, to: string): Line[] {
  const q = (name: string) => `\${queryInterface.quoteIdentifier(${quoteString(name)})}`;
  const target = table.schema === null ? q(table.name) : `${q(table.schema)}.${q(table.name)}`;
  const sql = `\`ALTER TABLE ${target} RENAME COLUMN ${q(from)} TO ${q(to)}\``;
  return [
    ...comment(`Rename ${table.name}.${from} to ${to} in place: its values, keys and indexes stay.`),
    statement(call('queryInterface.sequelize.query', [raw(sql)])),
  ];
}
