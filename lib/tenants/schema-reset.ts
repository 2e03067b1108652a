/**
 * reset() of a migrator with `schema`: the schema at head with every table the migrations own
 * emptied (counters restarted), in one statement. Simpler than the default-schema reset
 * (lib/reset.ts), which compares table shapes between calls and empties only the tables that
 * hold rows: here a table a test altered is not noticed, and every owned table is emptied.
 * Failures a rebuild cures (a changed or missing migration, one that failed) drop the schema's
 * owned tables, empty its history and run every migration again, as there.
 */
import type { Dialect } from '../dialects/dialect';
import { UnsupportedError } from '../errors';
import type { ResolvedOptions } from '../options';
import { REBUILD_CODES, type Upgrader } from '../reset';
import { progressTableName } from '../runner/history';

export async function resetSchema(migrator: Upgrader, options: ResolvedOptions, dialect: Dialect): Promise<void> {
  const rules = dialect.schemas;
  const schema = options.schema;
  if (!rules || schema === null) throw new UnsupportedError(`reset() of a schema needs ${dialect.displayName} schemas.`, 'schema');
  const { sequelize, tableName, include } = options;
  const owned = async () =>
    (await rules.tables(sequelize, schema)).filter(
      (name) => name !== tableName && name !== progressTableName(tableName) && (include ? include({ kind: 'table', name }) : true),
    );
  try {
    await migrator.upgrade();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !REBUILD_CODES.has(code)) throw error;
    options.logger.info(`reset: ${code} in schema "${schema}"; dropping its tables and running every migration again`);
    const tables = await rules.tables(sequelize, schema);
    await rules.drop(sequelize, schema, tables.filter((name) => name !== tableName && (include ? include({ kind: 'table', name }) : true)));
    if (tables.includes(tableName)) await sequelize.query(`DELETE FROM ${rules.qualify(sequelize, schema, tableName)}`, { transaction: null as never });
    await migrator.upgrade();
  }
  await rules.empty(sequelize, schema, await owned());
}
