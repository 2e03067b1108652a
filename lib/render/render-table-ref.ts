import type { TableRef } from '../../types/schema';
import { obj, str, type Code } from './source-writer';

/** `'users'`, or `{ tableName: 'users', schema: 'app' }`: both are QueryInterface's TableName. */
export function renderTableRef(table: TableRef): Code {
  if (table.schema === null) return str(table.name);
  return obj([
    ['tableName', str(table.name)],
    ['schema', str(table.schema)],
  ]);
}

export function tableRef(table: TableRef): TableRef {
  return { name: table.name, schema: table.schema };
}
