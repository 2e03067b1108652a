import { UnsupportedError } from '../errors';
import type { Table } from '../../types/schema';
import type { RenderContext } from './render-column';
import { quoteIdentifier, quoteTable, rulesOf } from './quote-sql';
import { call, comment, sqlText, statement, type Line } from './source-writer';

/**
 * A rebuildTable outside SQLite: the differ sends one only for a primary key change (no
 * Operation kind alters a primary key), which ALTER TABLE does in place, in one statement so
 * MySQL never sees an AUTO_INCREMENT column without a key. Anything else would be silently
 * lost here, so it is refused.
 */
export function renderPrimaryKeyChange(from: Table, to: Table, ctx: RenderContext): Line[] {
  if (canonical({ ...from, primaryKey: [] }) !== canonical({ ...to, primaryKey: [] })) {
    throw new UnsupportedError(
      `Cannot render the rebuild of ${to.name} on ${ctx.dialect}: only its primary key may change there; ` +
        'other changes must come as their own operations.',
      to.name,
    );
  }
  if (from.primaryKey.join('\u0000') === to.primaryKey.join('\u0000')) {
    return comment(`The primary key of ${to.name} is unchanged.`);
  }
  const q = (name: string) => quoteIdentifier(ctx.dialect, name);
  const parts: string[] = [];
  if (from.primaryKey.length > 0) {
    parts.push(rulesOf(ctx.dialect).dropPrimaryKeySql(from.name));
  }
  if (to.primaryKey.length > 0) parts.push(`ADD PRIMARY KEY (${to.primaryKey.map(q).join(', ')})`);
  const sql = `ALTER TABLE ${quoteTable(ctx.dialect, to)} ${parts.join(', ')}`;
  return [statement(call('queryInterface.sequelize.query', [sqlText(sql)]))];
}

/** JSON with object keys sorted, so two equal tables built in different orders compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
