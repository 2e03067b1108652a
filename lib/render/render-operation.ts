import type { Operation } from '../../types/operations';
import { renderAddColumn, renderChangeColumn, renderRemoveColumn, type RenderContext } from './render-column';
import { renderAddEnumValues, renderCreateEnum, renderDropEnum, renderRemoveEnumValues } from './render-enum';
import { renderAddForeignKey, renderRemoveForeignKey } from './render-foreign-key';
import { renderAddIndex, renderRemoveIndex } from './render-index';
import { renderPrimaryKeyChange } from './render-primary-key';
import { renderRebuildTable } from './render-rebuild';
import { renderRenameColumn, renderRenameTable } from './render-rename';
import { renderCreateTable, renderDropTable } from './render-table';
import { tableRef } from './render-table-ref';
import { assertNever, type Line } from './source-writer';

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
      return ctx.dialect === 'sqlite' ? renderRebuildTable(op.from, op.to, ctx) : renderPrimaryKeyChange(op.from, op.to, ctx);
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
    default:
      return assertNever(op);
  }
}
