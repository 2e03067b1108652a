import { UnsupportedError } from '../errors';
import type { TableRef } from '../../types/schema';
import { dialectNamed } from '../dialects';
import type { RenderContext } from './render-column';
import { quoteIdentifier, quoteTable, rulesOf } from './quote-sql';
import { call, comment, sqlText, statement, type Line } from './source-writer';

/**
 * alterPrimaryKey: ALTER TABLE does it in place, in one statement so MySQL never sees an
 * AUTO_INCREMENT column without a key. Where ALTER TABLE cannot (SQLite) the differ folds the
 * change into the table's rebuildTable; alone there, it is refused.
 */
export function renderAlterPrimaryKey(table: TableRef, from: readonly string[], to: readonly string[], ctx: RenderContext): Line[] {
  const dialect = dialectNamed(ctx.dialect);
  if (!dialect.capabilities.alterTable) {
    throw new UnsupportedError(
      `Cannot change the primary key of ${table.name} in place on ${dialect.displayName}: ` +
        'the table must be rebuilt (a rebuildTable operation carrying the change).',
      table.name,
    );
  }
  if (from.join('\u0000') === to.join('\u0000')) {
    return comment(`The primary key of ${table.name} is unchanged.`);
  }
  const q = (name: string) => quoteIdentifier(ctx.dialect, name);
  const parts: string[] = [];
  if (from.length > 0) parts.push(rulesOf(ctx.dialect).dropPrimaryKeySql(table.name));
  if (to.length > 0) parts.push(`ADD PRIMARY KEY (${to.map(q).join(', ')})`);
  const sql = `ALTER TABLE ${quoteTable(ctx.dialect, table)} ${parts.join(', ')}`;
  return [statement(call('queryInterface.sequelize.query', [sqlText(sql)]))];
}
