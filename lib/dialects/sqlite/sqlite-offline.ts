import type { OfflineScriptRules } from '../dialect';

/**
 * SQLite scripts do what the runner's migration transaction does (sqlite-transaction.ts): foreign
 * key enforcement off before BEGIN (a no-op inside a transaction), `PRAGMA foreign_key_check`
 * before COMMIT (it lists violating rows; the sqlite3 shell prints them but does not stop), on again after.
 */
export const sqliteOffline: OfflineScriptRules = {
  begin: ['PRAGMA foreign_keys = OFF;', 'BEGIN;'],
  commit: ['PRAGMA foreign_key_check;', 'COMMIT;', 'PRAGMA foreign_keys = ON;'],
  // The text Sequelize stores for a DATE: `2026-12-03 07:54:33.123 +00:00`.
  now: "strftime('%Y-%m-%d %H:%M:%f +00:00', 'now')",
  assume: () => undefined,
};
