import type { Dialect } from '../dialect';

type Introspection = { introspectPostgres: Dialect['introspect'] };
type Normalization = { normalizePostgresTable: Dialect['normalizeTable'] };

/**
 * SQLSTATE 25001 active_sql_transaction: "CREATE INDEX CONCURRENTLY cannot run inside a transaction
 * block" (also DROP INDEX CONCURRENTLY, VACUUM, CREATE DATABASE, ALTER SYSTEM, REINDEX CONCURRENTLY).
 * The error aborts the transaction, which the runner then rolls back: nothing of the step remains.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const ACTIVE_SQL_TRANSACTION = '25001';

/** The SQLSTATE of a pg error, through Sequelize's wrapper (`original`/`parent`) and our `cause`s. */
function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; original?: unknown; parent?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    const original = (e.original ?? e.parent) as { code?: unknown } | undefined;
    if (typeof original?.code === 'string') return original.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

// Introspection, normalisation and the lock load on first use: a boot with nothing pending never
// needs them.
export const postgresDialect: Dialect = {
  name: 'postgres',
  displayName: 'PostgreSQL',
  capabilities: { transactionalDDL: true, alterTable: true, enumTypes: true, columnComments: true },
  maxIdentifierLength: { max: 63, unit: 'bytes' },
  enforcesVarcharLength: true,
  introspect: (sequelize, options) => (require('./postgres-introspect') as Introspection).introspectPostgres(sequelize, options),
  normalizeTable: (table) => (require('./postgres-normalize') as Normalization).normalizePostgresTable(table),
  valueFit: {
    charLength: (column) => `char_length(${column}::text)`,
    notInteger: (column) => `${column}::text !~ '^\\s*[-+]?[0-9]+\\s*$'`,
  },
  lockHoldsPoolConnection: true,
  acquireLock: (sequelize, request) => (require('./postgres-lock') as typeof import('./postgres-lock')).acquirePostgresLock(sequelize, request),
  lockHolder: (sequelize, request) => (require('./postgres-lock') as typeof import('./postgres-lock')).postgresLockHolder(sequelize, request),
  refusedInTransaction: (error) => sqlState(error) === ACTIVE_SQL_TRANSACTION,
  openScratch: (sequelize) => {
    const { scratchName, serverScratch } = require('../scratch') as typeof import('../scratch');
    return serverScratch(sequelize, scratchName(String(sequelize.config.database), 63));
  },
  ddlFolder: () => (require('./postgres-fold') as typeof import('./postgres-fold')).postgresFolder,
  statementWatch: () => (require('./postgres-watch') as typeof import('./postgres-watch')).postgresWatch,
  describeLock: async (_sequelize, strategy) => {
    const lock = require('./postgres-lock') as typeof import('./postgres-lock');
    if (strategy === 'lease') throw lock.leaseUnsupported();
    return lock.POSTGRES_LOCK_DESCRIPTION;
  },
  // Loaded on first use: only a failed connection is described.
  describe: (sequelize) => (require('../describe-connection') as typeof import('../describe-connection')).describeServer(sequelize),
  quoteIdentifier: (name) => `"${name.replace(/"/g, '""')}"`,
  sqlString: (value) => `'${value.replace(/'/g, "''")}'`,
  resetDriver: () => (require('./reset') as typeof import('./reset')).postgresReset,
  renderRules: () => (require('./postgres-render') as typeof import('./postgres-render')).postgresRenderRules,
  // Loaded on first use: only offline SQL (sql(), upgrade --sql) needs it.
  get offlineScript() {
    return (require('./postgres-offline') as typeof import('./postgres-offline')).postgresOffline;
  },
  get schemas() {
    return (require('./postgres-schema') as typeof import('./postgres-schema')).postgresSchemas;
  },
};
