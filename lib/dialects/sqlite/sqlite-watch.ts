import type { StatementWatch } from '../dialect';

/**
 * SQLite needs no catalog query: a statement sent outside the migration's transaction while it
 * holds the write lock waits `busy_timeout` (Sequelize: 5 s by default) and fails with SQLITE_BUSY,
 * named as the run's own lock. `interrupt()` (node-sqlite3) stops a running statement.
 */
export const sqliteWatch: StatementWatch = {
  connectionId: () => undefined,
  blockedBy: async () => [],
  async cancel(_sequelize, connections) {
    for (const connection of connections) (connection as { interrupt?: () => void } | undefined)?.interrupt?.();
  },
  isLockTimeout: (error) => {
    const e = error as { code?: unknown; original?: { code?: unknown }; parent?: { code?: unknown } } | undefined;
    return [e?.code, e?.original?.code, e?.parent?.code].includes('SQLITE_BUSY');
  },
};
