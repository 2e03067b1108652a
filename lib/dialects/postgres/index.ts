import type { Dialect } from '../dialect';

type Introspection = { introspectPostgres: Dialect['introspect'] };
type Normalization = { normalizePostgresTable: Dialect['normalizeTable'] };

// Introspection, normalisation and the lock load on first use: a boot with nothing pending never
// needs them.
export const postgresDialect: Dialect = {
  name: 'postgres',
  displayName: 'PostgreSQL',
  capabilities: { transactionalDDL: true, alterTable: true, enumTypes: true, columnComments: true },
  introspect: (sequelize, options) => (require('./postgres-introspect') as Introspection).introspectPostgres(sequelize, options),
  normalizeTable: (table) => (require('./postgres-normalize') as Normalization).normalizePostgresTable(table),
  acquireLock: (sequelize, request) => (require('./postgres-lock') as typeof import('./postgres-lock')).acquirePostgresLock(sequelize, request),
  describe: (sequelize) => `postgres database "${sequelize.config.database}" on ${sequelize.config.host}:${sequelize.config.port}`,
};
