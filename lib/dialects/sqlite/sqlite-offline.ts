import type { Sequelize } from 'sequelize';
import type { OfflineScriptRules } from '../dialect';
import { dialectModuleOf, sequelizeModuleOf } from '../../sequelize-internals';

/** Sequelize's query types that only read the schema; `PRAGMA` and `sqlite_master` reads are such too. */
const SCHEMA_READS = /^(DESCRIBE|SHOWINDEXES|FOREIGNKEYS|SHOWTABLES)$/i;

/**
 * SQLite scripts do what the runner's migration transaction does (sqlite-transaction.ts): foreign
 * key enforcement off before BEGIN (a no-op inside a transaction), `PRAGMA foreign_key_check`
 * before COMMIT (it lists violating rows; the sqlite3 shell prints them but does not stop), on again after.
 * Table rebuilds (removeColumn, changeColumn, renameColumn, constraints) read the table first:
 * the capture runs every statement on an in-memory database too, which answers those reads
 * exactly for the schema the script builds (never data: rows a migration reads stay unanswered).
 */
export const sqliteOffline: OfflineScriptRules = {
  begin: ['PRAGMA foreign_keys = OFF;', 'BEGIN;'],
  commit: ['PRAGMA foreign_key_check;', 'COMMIT;', 'PRAGMA foreign_keys = ON;'],
  // The text Sequelize stores for a DATE: `2026-12-03 07:54:33.123 +00:00`.
  now: "strftime('%Y-%m-%d %H:%M:%f +00:00', 'now')",
  assume: () => undefined,
  shadow(sequelize: Sequelize) {
    const S = sequelizeModuleOf(sequelize).Sequelize;
    const dialectModule = dialectModuleOf(sequelize);
    const scratch = new S({ dialect: 'sqlite', storage: ':memory:', logging: false, ...(dialectModule ? { dialectModule } : {}) });
    return {
      answers: (sql, type) => (type !== undefined && SCHEMA_READS.test(type)) || /^\s*PRAGMA\b|\bsqlite_master\b/i.test(sql),
      query: (sql, options) => scratch.query(sql, options),
      close: () => scratch.close(),
    };
  },
};
