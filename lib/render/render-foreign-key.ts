import { UnsupportedError } from '../errors';
import type { ForeignKey, TableRef } from '../../types/schema';
import type { RenderContext } from './render-column';
import { quoteIdentifier, quoteTable } from './quote-sql';
import { dialectNamed } from '../dialects';
import { renderTableRef } from './render-table-ref';
import { arr, call, obj, sqlText, statement, str, type Code, type Line } from './source-writer';

/**
 * The name to give a foreign key the models leave unnamed: Sequelize's own convention for
 * `addConstraint({ type: 'foreign key' })`, written out so the migration shows it.
 */
export function foreignKeyName(table: TableRef, fk: ForeignKey): string {
  return fk.name ?? `${table.name}_${fk.columns.join('_')}_${fk.referencedTable}_fk`;
}

export function renderAddForeignKey(table: TableRef, fk: ForeignKey, ctx: RenderContext): Line[] {
  // Composite keys by ALTER TABLE where there is one; SQLite's addConstraint rebuilds the table.
  if (fk.columns.length > 1 && dialectNamed(ctx.dialect).capabilities.alterTable) return [compositeForeignKey(table, fk, ctx)];
  return [statement(call('queryInterface.addConstraint', [renderTableRef(table), foreignKeyOptions(table, fk)]))];
}

function foreignKeyOptions(table: TableRef, fk: ForeignKey): Code {
  const referenced = renderTableRef({ name: fk.referencedTable, schema: fk.referencedSchema });
  const columns =
    fk.referencedColumns.length === 1
      ? (['field', str(fk.referencedColumns[0] ?? 'id')] as const)
      : (['fields', arr(fk.referencedColumns.map(str))] as const);
  return obj([
    ['type', str('foreign key')],
    ['fields', arr(fk.columns.map(str))],
    ['name', str(foreignKeyName(table, fk))],
    ['references', obj([['table', referenced], columns])],
    ['onDelete', str(fk.onDelete)],
    ['onUpdate', str(fk.onUpdate)],
  ]);
}

/**
 * Sequelize's addConstraint builds composite references from `references.fields`, which its
 * TypeScript declarations do not list; plain SQL keeps a TypeScript migration compiling.
 */
function compositeForeignKey(table: TableRef, fk: ForeignKey, ctx: RenderContext): Line {
  const q = (name: string) => quoteIdentifier(ctx.dialect, name);
  const referenced = quoteTable(ctx.dialect, { name: fk.referencedTable, schema: fk.referencedSchema });
  const sql =
    `ALTER TABLE ${quoteTable(ctx.dialect, table)} ADD CONSTRAINT ${q(foreignKeyName(table, fk))} ` +
    `FOREIGN KEY (${fk.columns.map(q).join(', ')}) REFERENCES ${referenced} (${fk.referencedColumns.map(q).join(', ')}) ` +
    `ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`;
  return statement(call('queryInterface.sequelize.query', [sqlText(sql)]));
}

export function renderRemoveForeignKey(table: TableRef, fk: ForeignKey): Line[] {
  if (fk.name === null) {
    throw new UnsupportedError(
      `Cannot render the removal of an unnamed foreign key on ${table.name} (${fk.columns.join(', ')}): ` +
        'removeConstraint needs the name the database gave it. Introspect the database for it.',
      table.name,
    );
  }
  return [statement(call('queryInterface.removeConstraint', [renderTableRef(table), str(fk.name)]))];
}
