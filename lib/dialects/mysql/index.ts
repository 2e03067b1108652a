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
  maxIdentifierLength: { max: 64, unit: 'characters' },
  enforcesVarcharLength: true,
  introspect: (sequelize, options) => (require('./mysql-introspect') as Introspection).introspectMysql(sequelize, options),
  normalizeTable: (table) => (require('./mysql-normalize') as Normalization).normalizeMysqlTable(table),
  valueFit: {
    charLength: (column) => `CHAR_LENGTH(${column})`,
    notInteger: (column) => `${column} NOT REGEXP '^[[:space:]]*[-+]?[0-9]+[[:space:]]*$'`,
  },
  acquireLock: (sequelize, request) => (require('./mysql-lock') as typeof import('./mysql-lock')).acquireMysqlLock(sequelize, request),
  openScratch: (sequelize) => (require('./mysql-scratch') as typeof import('./mysql-scratch')).openMysqlScratch(sequelize),
  statementWatch: () => (require('./mysql-watch') as typeof import('./mysql-watch')).mysqlWatch,
  describeLock: (sequelize, strategy) => (require('./mysql-lock') as typeof import('./mysql-lock')).describeMysqlLock(sequelize, strategy),
  describe: (sequelize) => `mysql database "${sequelize.config.database}" on ${sequelize.config.host}:${sequelize.config.port}`,
};
