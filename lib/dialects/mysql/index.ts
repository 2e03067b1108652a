import type { Dialect } from '../dialect';

type Introspection = { introspectMysql: Dialect['introspect'] };
type Normalization = { normalizeMysqlTable: Dialect['normalizeTable'] };

// Introspection, normalisation and the lock load on first use: a boot with nothing pending never
// needs them.
export const mysqlDialect: Dialect = {
  name: 'mysql',
  // One dialect serves both (Sequelize's mysql and mariadb): messages name both.
  displayName: 'MySQL/MariaDB',
  capabilities: { transactionalDDL: false, alterTable: true, enumTypes: false, columnComments: true },
  introspect: (sequelize, options) => (require('./mysql-introspect') as Introspection).introspectMysql(sequelize, options),
  normalizeTable: (table) => (require('./mysql-normalize') as Normalization).normalizeMysqlTable(table),
  acquireLock: (sequelize, request) => (require('./mysql-lock') as typeof import('./mysql-lock')).acquireMysqlLock(sequelize, request),
  describe: (sequelize) => `mysql database "${sequelize.config.database}" on ${sequelize.config.host}:${sequelize.config.port}`,
};
