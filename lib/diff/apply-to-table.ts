import type { Table } from '../../types/schema';
import { sameForeignKeyIdentity, sameIndexIdentity } from './compare';
import type { DiffStep } from './diff-context';
import { assertNever } from '../errors';

/**
 * One table-level step applied to a table, in memory: what the table looks like after it.
 * Lowering uses it to know the whole table before and after a rebuild. Schema-level steps
 * (createTable, dropTable, enums) leave the table as it is.
 */
export function applyToTable(table: Table, step: DiffStep): Table {
  switch (step.kind) {
    case 'addColumn':
      return { ...table, columns: [...table.columns, step.column] };
    case 'removeColumn':
      return { ...table, columns: table.columns.filter((column) => column.name !== step.column.name) };
    case 'changeColumn':
      return {
        ...table,
        columns: table.columns.map((column) => (column.name === step.from.name ? step.to : column)),
      };
    case 'addIndex':
      return { ...table, indexes: [...table.indexes, step.index] };
    case 'removeIndex': {
      const at = table.indexes.findIndex((index) => sameIndexIdentity(index, step.index));
      return at < 0 ? table : { ...table, indexes: table.indexes.filter((_, i) => i !== at) };
    }
    case 'addForeignKey':
      return { ...table, foreignKeys: [...table.foreignKeys, step.foreignKey] };
    case 'removeForeignKey': {
      const at = table.foreignKeys.findIndex((fk) => sameForeignKeyIdentity(fk, step.foreignKey));
      return at < 0 ? table : { ...table, foreignKeys: table.foreignKeys.filter((_, i) => i !== at) };
    }
    case 'renameColumn': {
      const swap = (names: readonly string[]) => names.map((name) => (name === step.from ? step.to : name));
      return {
        ...table,
        columns: table.columns.map((column) => (column.name === step.from ? { ...column, name: step.to } : column)),
        primaryKey: swap(table.primaryKey),
        indexes: table.indexes.map((index) => ({ ...index, columns: swap(index.columns) })),
        foreignKeys: table.foreignKeys.map((fk) => ({ ...fk, columns: swap(fk.columns) })),
      };
    }
    case 'renameTable':
      return { ...table, name: step.to.name, schema: step.to.schema };
    case 'alterPrimaryKey':
      return { ...table, primaryKey: step.to };
    case 'rebuildTable':
      return step.to;
    case 'createTable':
    case 'dropTable':
    case 'createEnum':
    case 'dropEnum':
    case 'addEnumValues':
    case 'removeEnumValues':
    case 'renameEnum':
      return table;
    default:
      return assertNever(step, 'step');
  }
}
