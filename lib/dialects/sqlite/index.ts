import type { Dialect } from '../dialect';
import { forgetFailedSqliteConnection, sqliteStorage } from '../../sequelize-internals';

type Introspection = {
  introspectSqlite: Dialect['introspect'];
};
type Normalization = { normalizeSqliteTable: Dialect['normalizeTable'] };
const transactions = () => (require('./sqlite-transaction') as typeof import('./sqlite-transaction')).sqliteMigrationTransaction;

// Introspection, normalisation, the lock and the transaction helpers load on first use: a boot
// with nothing pending never needs them.
export const sqliteDialect: Dialect = {
  name: 'sqlite',
  displayName: 'SQLite',
  capabilities: { transactionalDDL: true, alterTable: false, enumTypes: false, columnComments: false },
  maxIdentifierLength: null,
  enforcesVarcharLength: false,
  introspect: (sequelize, options) => (require('./sqlite-introspect') as Introspection).introspectSqlite(sequelize, options),
  normalizeTable: (table) => (require('./sqlite-normalize') as Normalization).normalizeSqliteTable(table),
  // Any value fits any column (https://www.sqlite.org/datatype3.html): a rebuild copies it as it is.
  valueFit: null,
  lockHoldsPoolConnection: false,
  acquireLock: (sequelize, request) => (require('./sqlite-lock') as typeof import('./sqlite-lock')).acquireSqliteLock(sequelize, request),
  lockHolder: async (sequelize) => (require('./sqlite-lock') as typeof import('./sqlite-lock')).sqliteLockHolder(sequelize),
  describeLock: async (sequelize, strategy) => (require('./sqlite-lock') as typeof import('./sqlite-lock')).describeSqliteLock(sequelize, strategy),
  migrationTransaction: {
    beforeBegin: (sequelize, id) => transactions().beforeBegin(sequelize, id),
    beforeCommit: (sequelize, transaction) => transactions().beforeCommit(sequelize, transaction),
    afterEnd: (sequelize) => transactions().afterEnd(sequelize),
    endRun: (sequelize) => transactions().endRun(sequelize),
  },
  statementWatch: () => (require('./sqlite-watch') as typeof import('./sqlite-watch')).sqliteWatch,
  describe: (sequelize) => {
    const database = sqliteStorage(sequelize);
    return { database, text: `${sequelize.getDialect()} database ${database}` };
  },
  // Opening the file: Sequelize creates its folder first, and that can fail too.
  isOpenFailure: (error) => typeof (error as NodeJS.ErrnoException)?.syscall === 'string',
  forgetFailedConnection: forgetFailedSqliteConnection,
  quoteIdentifier: (name) => `"${name.replace(/"/g, '""')}"`,
  sqlString: (value) => `'${value.replace(/'/g, "''")}'`,
  resetDriver: () => (require('./reset') as typeof import('./reset')).sqliteReset,
  renderRules: () => (require('./sqlite-render') as typeof import('./sqlite-render')).sqliteRenderRules,
  // Loaded on first use: only offline SQL (sql(), upgrade --sql) needs it.
  get offlineScript() {
    return (require('./sqlite-offline') as typeof import('./sqlite-offline')).sqliteOffline;
  },
  openScratch: async (sequelize) => (require('./sqlite-scratch') as typeof import('./sqlite-scratch')).openSqliteScratch(sequelize),
};
