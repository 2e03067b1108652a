import type { Operation } from '../../types/operations';
import { renderAddColumn, renderChangeColumn, renderRemoveColumn, type RenderContext } from './render-column';
import { renderAddEnumValues, renderCreateEnum, renderDropEnum, renderRemoveEnumValues, renderRenameEnum } from './render-enum';
import { renderAddForeignKey, renderRemoveForeignKey } from './render-foreign-key';
import { renderAddIndex, renderRemoveIndex } from './render-index';
import { renderPrimaryKeyChange } from './render-primary-key';
import { renderRebuildTable } from './render-rebuild';
import { renderRenameColumn, renderRenameTable } from './render-rename';
import { renderCreateTable, renderDropTable } from './render-table';
import { tableRef } from './render-table-ref';
import { MigrationError } from '../errors';
import { assertNever, BLANK, comment, printLines, type Line } from './source-writer';

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
    case 'rebuildTable':
      // Only SQLite rebuilds tables; elsewhere the differ sends a rebuild for a primary key change.
      return ctx.dialect === 'sqlite' ? renderPortableRebuild(op, ctx) : renderPrimaryKeyChange(op.from, op.to, ctx);
    case 'renameTable':
      return renderRenameTable(op.from, op.to);
    case 'renameColumn':
      return renderRenameColumn(op.table, op.from, op.to);
    case 'createEnum':
      return renderCreateEnum(op.enum);
    case 'dropEnum':
      return renderDropEnum(op.enum);
    case 'addEnumValues':
      return renderAddEnumValues(op.enum, op.values);
    case 'removeEnumValues':
      return renderRemoveEnumValues(op.enum, op.values);
    case 'renameEnum':
      return renderRenameEnum(op.enum, op.to);
    default:
      return assertNever(op);
  }
}

const ON_SQLITE = "queryInterface.sequelize.getDialect() === 'sqlite'";
const ON_MYSQL = "['mysql', 'mariadb'].includes(queryInterface.sequelize.getDialect())";

/**
 * A SQLite rebuild, and beside it the same change as plain ALTERs for the dialects that have them
 * (Alembic's batch mode, as a branch of the generated file): generated on SQLite in development,
 * the migration also applies on PostgreSQL and MySQL. One branch for both where they read the
 * same. A change the ALTER renderers refuse (a foreign key SQLite reports without a name) leaves
 * the rebuild for SQLite alone, saying so.
 */
function renderPortableRebuild(op: Extract<Operation, { kind: 'rebuildTable' }>, ctx: RenderContext): Line[] {
  const rebuild = renderRebuildTable(op.from, op.to, ctx);
  if (op.alter === undefined || op.alter.length === 0) return rebuild;
  const elsewhere = (dialect: 'postgres' | 'mysql'): Line[] =>
    op.alter!.flatMap((step, i) => [...(i === 0 ? [] : [BLANK]), ...renderOperation(step, { dialect })]);
  let postgres: Line[];
  let mysql: Line[];
  try {
    postgres = elsewhere('postgres');
    mysql = elsewhere('mysql');
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error;
    return [...comment(`This rebuild runs on SQLite only: ${error.message}`), ...rebuild];
  }
  const same = printLines(postgres, 0).join('\n') === printLines(mysql, 0).join('\n');
  const branches = same
    ? [{ condition: null, body: postgres }]
    : [
        { condition: ON_MYSQL, body: mysql },
        { condition: null, body: postgres },
      ];
  return [{ kind: 'if', branches: [{ condition: ON_SQLITE, body: rebuild }, ...branches] }];
}
