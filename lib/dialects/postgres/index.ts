import type { Dialect } from '../dialect';
import { acquirePostgresLock } from './postgres-lock';

type Introspection = { introspectPostgres: Dialect['introspect'] };
type Normalization = { normalizePostgresTable: Dialect['normalizeTable'] };

// Introspection and normalisation load on first use: a boot with nothing pending never needs them.
export const postgresDialect: Dialect = {
  name: 'postgres',
  capabilities: { transactionalDDL: true, alterTable: true, enumTypes: true, columnComments: true },
  introspect: (sequelize, options) => (require('./postgres-introspect') as Introspection).introspectPostgres(sequelize, options),
  normalizeTable: (table) => (require('./postgres-normalize') as Normalization).normalizePostgresTable(table),
  acquireLock: acquirePostgresLock,
  describe: (sequelize) => `postgres database "${sequelize.config.database}" on ${sequelize.config.host}:${sequelize.config.port}`,
};
