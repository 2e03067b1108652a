import type { Operation } from '../../types/operations';
import type { TableRef } from '../../types/schema';

const ref = (t: TableRef) => (t.schema ? `${t.schema}.${t.name}` : t.name);

/** One line for a human: what an operation does. Used by drift reports and the CLI. */
export function describeOperation(op: Operation): string {
  switch (op.kind) {
    case 'createTable':
      return `create table ${ref(op.table)}`;
    case 'dropTable':
      return `drop table ${ref(op.table)}`;
    case 'addColumn':
      return `add column ${ref(op.table)}.${op.column.name}`;
    case 'removeColumn':
      return `remove column ${ref(op.table)}.${op.column.name}`;
    case 'changeColumn':
      return `change column ${ref(op.table)}.${op.to.name}`;
    case 'addIndex':
      return `add ${op.index.unique ? 'unique ' : ''}index ${op.index.name ?? `on (${op.index.columns.join(', ')})`} to ${ref(op.table)}`;
    case 'removeIndex':
      return `remove index ${op.index.name ?? `on (${op.index.columns.join(', ')})`} from ${ref(op.table)}`;
    case 'addForeignKey':
      return `add foreign key ${ref(op.table)}(${op.foreignKey.columns.join(', ')}) -> ${op.foreignKey.referencedTable}`;
    case 'removeForeignKey':
      return `remove foreign key ${ref(op.table)}(${op.foreignKey.columns.join(', ')}) -> ${op.foreignKey.referencedTable}`;
    case 'rebuildTable':
      return `rebuild table ${ref(op.to)}`;
    case 'renameTable':
      return `rename table ${ref(op.from)} to ${op.to.name}`;
    case 'renameColumn':
      return `rename column ${ref(op.table)}.${op.from} to ${op.to}`;
    case 'createEnum':
      return `create enum ${op.enum.name}`;
    case 'dropEnum':
      return `drop enum ${op.enum.name}`;
    case 'addEnumValues':
      return `add value(s) ${op.values.map((v) => v.value).join(', ')} to enum ${op.enum.name}`;
    case 'renameEnum':
      return `rename enum ${op.enum.name} to ${op.to}`;
    case 'removeEnumValues':
      return `remove value(s) ${op.values.join(', ')} from enum ${op.enum.name}`;
    default: {
      const never: never = op;
      throw new Error(`unknown operation ${(never as { kind: string }).kind}`);
    }
  }
}
