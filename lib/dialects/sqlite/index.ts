import type { Dialect } from '../dialect';
import { sqliteStorage } from '../../sequelize-internals';

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
  acquireLock: (sequelize, request) => (require('./sqlite-lock') as typeof import('./sqlite-lock')).acquireSqliteLock(sequelize, request),
  describeLock: async (sequelize, strategy) => (require('./sqlite-lock') as typeof import('./sqlite-lock')).describeSqliteLock(sequelize, strategy),
  migrationTransaction: {
    beforeBegin: (sequelize, id) => transactions().beforeBegin(sequelize, id),
    beforeCommit: (sequelize, transaction) => transactions().beforeCommit(sequelize, transaction),
    afterEnd: (sequelize) => transactions().afterEnd(sequelize),
    endRun: (sequelize) => transactions().endRun(sequelize),
  },
  statementWatch: () => (require('./sqlite-watch') as typeof import('./sqlite-watch')).sqliteWatch,
  openScratch: async (sequelize) => (require('./sqlite-scratch') as typeof import('./sqlite-scratch')).openSqliteScratch(sequelize),
  describe: (sequelize) => `SQLite database ${sqliteStorage(sequelize)}`,
};
