/**
 * reset(): the database at head with every table the migrations own empty, for test suites.
 * First call: upgrade. Later calls: one query lists the tables; if the set changed (a test dropped
 * or added a table) or a migration is pending, rebuild from scratch; else empty the tables with
 * the dialect's fastest correct statement and restart auto-increment counters.
 */
import type { Sequelize } from 'sequelize';
import type { Dialect } from './dialects/dialect';
import type { MigratorImpl } from './migrator';
import type { ResolvedOptions } from './options';

const known = new WeakMap<MigratorImpl, string>();

export async function resetDatabase(migrator: MigratorImpl, options: ResolvedOptions, dialect: Dialect): Promise<void> {
  const { sequelize, tableName } = options;
  const previous = known.get(migrator);
  if (previous !== undefined) {
    const tables = await ownedTables(sequelize, dialect, options);
    const status = await migrator.status();
    if (status.pending.length === 0 && tables.join('\n') === previous) {
      await emptyTables(sequelize, dialect, tables);
      return;
    }
    // Something changed under us: start from an empty database.
    await dropAll(sequelize, [...tables, tableName]);
  }
  await migrator.upgrade();
  const tables = await ownedTables(sequelize, dialect, options);
  await emptyTables(sequelize, dialect, tables);
  known.set(migrator, tables.join('\n'));
}

async function ownedTables(sequelize: Sequelize, dialect: Dialect, options: ResolvedOptions): Promise<string[]> {
  const all = (await sequelize.getQueryInterface().showAllTables()) as unknown[];
  return all
    .map((t) => (typeof t === 'string' ? t : String((t as { tableName: string }).tableName)))
    .filter((name) => name !== options.tableName && !name.startsWith('sqlite_'))
    .filter((name) => (options.include ? options.include({ kind: 'table', name }) : true))
    .sort();
  void dialect;
}

async function emptyTables(sequelize: Sequelize, dialect: Dialect, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  const qi = sequelize.getQueryInterface() as unknown as { quoteIdentifier(n: string): string };
  const q = (n: string) => qi.quoteIdentifier(n);
  switch (dialect.name) {
    case 'postgres':
      await sequelize.query(`TRUNCATE ${tables.map(q).join(', ')} RESTART IDENTITY CASCADE`);
      return;
    case 'mysql':
    case 'mariadb':
      // The FOREIGN_KEY_CHECKS setting is per session: a transaction pins one connection.
      await sequelize.transaction(async (transaction) => {
        await sequelize.query('SET FOREIGN_KEY_CHECKS = 0', { transaction });
        try {
          for (const table of tables) await sequelize.query(`TRUNCATE TABLE ${q(table)}`, { transaction });
        } finally {
          await sequelize.query('SET FOREIGN_KEY_CHECKS = 1', { transaction });
        }
      });
      return;
    case 'sqlite':
      // Deferred checks: every table is empty by COMMIT, so no reference is left dangling.
      await sequelize.transaction(async (transaction) => {
        await sequelize.query('PRAGMA defer_foreign_keys = ON', { transaction });
        for (const table of tables) await sequelize.query(`DELETE FROM ${q(table)}`, { transaction });
        const [seq] = await sequelize.query("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'", { transaction });
        if ((seq as unknown[]).length > 0) await sequelize.query('DELETE FROM sqlite_sequence', { transaction });
      });
      return;
    default:
      throw new Error(`reset() does not know how to empty tables on ${dialect.name}`);
  }
}

async function dropAll(sequelize: Sequelize, tables: readonly string[]): Promise<void> {
  const qi = sequelize.getQueryInterface();
  const dialect = sequelize.getDialect();
  if (dialect === 'mysql' || dialect === 'mariadb') {
    await sequelize.transaction(async (transaction) => {
      await sequelize.query('SET FOREIGN_KEY_CHECKS = 0', { transaction });
      for (const table of tables) await qi.dropTable(table, { transaction });
      await sequelize.query('SET FOREIGN_KEY_CHECKS = 1', { transaction });
    });
    return;
  }
  if (dialect === 'postgres') {
    for (const table of tables) await qi.dropTable(table, { cascade: true });
    return;
  }
  await sequelize.query('PRAGMA foreign_keys = OFF');
  try {
    for (const table of tables) await qi.dropTable(table);
  } finally {
    await sequelize.query('PRAGMA foreign_keys = ON');
  }
}
