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
  lockHoldsPoolConnection: true,
  acquireLock: (sequelize, request) => (require('./mysql-lock') as typeof import('./mysql-lock')).acquireMysqlLock(sequelize, request),
  lockHolder: (sequelize, request) => (require('./mysql-lock') as typeof import('./mysql-lock')).mysqlLockHolder(sequelize, request),
  openScratch: (sequelize) => (require('./mysql-scratch') as typeof import('./mysql-scratch')).openMysqlScratch(sequelize),
  ddlFolder: () => (require('./mysql-fold') as typeof import('./mysql-fold')).mysqlFolder,
  statementWatch: () => (require('./mysql-watch') as typeof import('./mysql-watch')).mysqlWatch,
  describeLock: (sequelize, strategy) => (require('./mysql-lock') as typeof import('./mysql-lock')).describeMysqlLock(sequelize, strategy),
  // Loaded on first use: only a failed connection is described.
  describe: (sequelize) => (require('../describe-connection') as typeof import('../describe-connection')).describeServer(sequelize),
  quoteIdentifier: (name) => `\`${name.replace(/`/g, '``')}\``,
  // Standard doubling, and MySQL also treats backslash as an escape.
  sqlString: (value) => `'${value.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`,
  resetDriver: () => (require('./reset') as typeof import('./reset')).mysqlReset,
  renderRules: () => (require('./mysql-render') as typeof import('./mysql-render')).mysqlRenderRules,
  // Loaded on first use: only offline SQL (sql(), upgrade --sql) needs it.
  get offlineScript() {
    return (require('./mysql-offline') as typeof import('./mysql-offline')).mysqlOffline;
  },
};
