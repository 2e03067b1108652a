import type { Operation } from '../../types/operations';
import { renderAddColumn, renderChangeColumn, renderRemoveColumn, type RenderContext } from './render-column';
import { renderAddEnumValues, renderCreateEnum, renderDropEnum, renderRemoveEnumValues, renderRenameEnum } from './render-enum';
import { renderAddForeignKey, renderRemoveForeignKey } from './render-foreign-key';
import { renderAddIndex, renderRemoveIndex } from './render-index';
import { renderAlterPrimaryKey } from './render-primary-key';
import { renderRebuildTable } from './render-rebuild';
import { renderRenameColumn, renderRenameTable } from './render-rename';
import { renderCreateTable, renderDropTable } from './render-table';
import { tableRef } from './render-table-ref';
import { dialectNamed, otherDialects } from '../dialects';
import { assertNever, MigrationError, UnsupportedError } from '../errors';
import { BLANK, comment, printLines, type Line } from './source-writer';

/** One operation -> the statements of a migration body that perform it. */
export function renderOperation(op: Operation, ctx: RenderContext): Line[] {
  switch (op.kind) {
    case 'createTable':
      return renderCreateTable(op.table, ctx);
    case 'dropTable':
      return renderDropTable(tableRef(op.table), ctx);
    case 'addColumn':
      return renderAddColumn(op.table, op.column, ctx);
    case 'removeColumn':
      return renderRemoveColumn(op.table, op.column, ctx);
    case 'changeColumn':
      return renderChangeColumn(op.table, op.from, op.to, ctx);
    case 'addIndex':
      return renderAddIndex(op.table, op.index, ctx);
    case 'removeIndex':
      return renderRemoveIndex(op.table, op.index, ctx);
    case 'addForeignKey':
      return renderAddForeignKey(op.table, op.foreignKey, ctx);
    case 'removeForeignKey':
      return renderRemoveForeignKey(op.table, op.foreignKey);
    case 'alterPrimaryKey':
      return renderAlterPrimaryKey(op.table, op.from, op.to, ctx);
    case 'rebuildTable':
      return renderPortableRebuild(op, ctx);
    case 'renameTable':
      return renderRenameTable(op.from, op.to);
    case 'renameColumn':
      return renderRenameColumn(op.table, op.from, op.to);
    case 'createEnum':
      return renderCreateEnum(op.enum, ctx);
    case 'dropEnum':
      return renderDropEnum(op.enum, ctx);
    case 'addEnumValues':
      return renderAddEnumValues(op.enum, op.values, ctx);
    case 'removeEnumValues':
      return renderRemoveEnumValues(op.enum, op.values);
    case 'renameEnum':
      return renderRenameEnum(op.enum, op.to, ctx);
    default:
      return assertNever(op);
  }
}

/**
 * A SQLite rebuild, and beside it the same change as plain ALTERs for the dialects that have them
 * (Alembic's batch mode, as a branch of the generated file): generated on SQLite in development,
 * the migration also applies on PostgreSQL and MySQL. One branch for both where they read the
 * same. A change the ALTER renderers refuse (a foreign key SQLite reports without a name) leaves
 * the rebuild for SQLite alone, saying so.
 */
function renderPortableRebuild(op: Extract<Operation, { kind: 'rebuildTable' }>, ctx: RenderContext): Line[] {
  const own = dialectNamed(ctx.dialect);
  if (own.capabilities.alterTable) {
    throw new UnsupportedError(
      `Cannot render the rebuild of ${op.to.name} on ${own.displayName}: tables are rebuilt only where ALTER TABLE ` +
        'cannot change them (SQLite); here each change comes as its own operation.',
      op.to.name,
    );
  }
  const rebuild = renderRebuildTable(op.from, op.to, ctx);
  const alter = op.alter;
  if (alter === undefined || alter.length === 0) return rebuild;
  let elsewhere: { condition: string; body: Line[] }[];
  try {
    elsewhere = otherDialects(ctx.dialect)
      .filter((dialect) => dialect.capabilities.alterTable)
      .map((dialect) => ({
        condition: dialect.renderRules().runsHere,
        body: alter.flatMap((step, i) => [...(i === 0 ? [] : [BLANK]), ...renderOperation(step, { dialect: dialect.name })]),
      }));
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error;
    return [...comment(`This rebuild runs on ${own.displayName} only: ${error.message}`), ...rebuild];
  }
  const texts = new Set(elsewhere.map((branch) => printLines(branch.body, 0).join('\n')));
  // One branch for all where they read the same; otherwise one each, the last as the `else`.
  const last = elsewhere.length - 1;
  const branches = (texts.size <= 1 ? elsewhere.slice(last) : elsewhere).map((branch) =>
    branch === elsewhere[last] ? { ...branch, condition: null } : branch,
  );
  return [{ kind: 'if', branches: [{ condition: own.renderRules().runsHere, body: rebuild }, ...branches] }];
}
