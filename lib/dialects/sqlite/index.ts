import type { Dialect } from '../dialect';
import { acquireSqliteLock } from './sqlite-lock';
import { sqliteMigrationTransaction } from './sqlite-transaction';
import { sqliteStorage } from '../../sequelize-internals';

type Introspection = {
  introspectSqlite: Dialect['introspect'];
};
type Normalization = { normalizeSqliteTable: Dialect['normalizeTable'] };

// Introspection and normalisation load on first use: a boot with nothing pending never needs them.
export const sqliteDialect: Dialect = {
  name: 'sqlite',
  capabilities: { transactionalDDL: true, alterTable: false, enumTypes: false, columnComments: false },
  introspect: (sequelize, options) => (require('./sqlite-introspect') as Introspection).introspectSqlite(sequelize, options),
  normalizeTable: (table) => (require('./sqlite-normalize') as Normalization).normalizeSqliteTable(table),
  acquireLock: acquireSqliteLock,
  migrationTransaction: sqliteMigrationTransaction,
  describe: (sequelize) => `SQLite database ${sqliteStorage(sequelize)}`,
};
