/**
 * Models against the live database, as operations: what `diff()` and the boot-time drift check
 * need, without the renderer and file writing of autogenerate (which loads this too).
 */
import type { OperationNote, Operation } from '../../types/operations';
import type { IncludeObject } from '../../types/options';
import type { Table } from '../../types/schema';
import type { Dialect } from '../dialects/dialect';
import type { Renames } from '../diff/apply-renames';
import { diffSchemas } from '../diff/diff-schemas';
import type { ResolvedOptions } from '../options';
import { progressTableName } from '../runner/history';
import { leaseTableName } from '../dialects/lock-key';
import { schemaFromModels } from '../schema/from-models';

export interface ComputedDiff {
  readonly operations: Operation[];
  readonly notes: OperationNote[];
}

/**
 * The history table, its progress markers and the Galera lease table: never the models' business,
 * whatever the include filter says.
 */
export function ownTables(tableName: string): string[] {
  return [tableName, progressTableName(tableName), leaseTableName(tableName)];
}

export async function computeDiff(options: ResolvedOptions, dialect: Dialect, renames: Renames = {}): Promise<ComputedDiff> {
  const { sequelize, tableName } = options;
  const desired = schemaFromModels(sequelize);
  const ours = ownTables(tableName);
  // A tenant's schema stands in for the default one: its tables compare with unqualified models.
  const { schema } = options;
  const current = await dialect.introspect(sequelize, schema === null ? { excludeTables: ours } : { excludeTables: ours, schema, schemaIsDefault: true });
  const userInclude = options.include;
  const include = (object: IncludeObject) =>
    !(object.kind === 'table' && ours.includes(object.name)) && (userInclude ? userInclude(object) : true);
  const result = diffSchemas(current, { ...desired, tables: desired.tables.filter((t: Table) => !ours.includes(t.name)) }, {
    capabilities: dialect.capabilities,
    normalize: (table: Table) => dialect.normalizeTable(table),
    include,
    renames,
  });
  return { operations: [...result.operations], notes: [...result.notes] };
}
