import type { OfflineScriptRules } from '../dialect';

/**
 * MySQL/MariaDB scripts: DDL commits implicitly (https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html),
 * so no BEGIN/COMMIT pretends a migration is atomic; the script says so per migration instead.
 * `removeColumn` first looks up foreign keys of other tables that reference the column, to drop
 * them: offline there are assumed to be none (if there is one, the DROP COLUMN fails, loudly).
 */
export const mysqlOffline: OfflineScriptRules = {
  begin: [],
  commit: [],
  // Sequelize writes DATETIME in UTC (its default timezone '+00:00'); the client's session may not be.
  now: 'UTC_TIMESTAMP()',
  assume(sql, call) {
    if (call?.method !== 'removeColumn' || !/INFORMATION_SCHEMA\.KEY_COLUMN_USAGE/i.test(sql)) return undefined;
    const column = /REFERENCED_COLUMN_NAME = '([^']+)'/i.exec(sql)?.[1] ?? 'the dropped column';
    return { value: [[], []], note: `no foreign key references column ${column} (queryInterface.removeColumn() looks them up online and drops them first)` };
  },
};
