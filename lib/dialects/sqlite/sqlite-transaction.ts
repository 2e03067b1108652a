import type { Sequelize, Transaction } from 'sequelize';
import { connectionManagerOf, runtimeOptions, sqliteStorage } from '../../sequelize-internals';

interface SqliteConnection {
  run(sql: string, callback: (error: Error | null) => void): void;
  get(sql: string, callback: (error: Error | null, row: Record<string, unknown>) => void): void;
  close(callback?: (error: Error | null) => void): void;
}

function manager(sequelize: Sequelize) {
  return connectionManagerOf<{
    getConnection(options: { uuid: string }): Promise<SqliteConnection>;
    connections: Record<string, SqliteConnection | undefined>;
  }>(sequelize);
}

/**
 * The connection a run's migration transactions share (file databases). Sequelize opens a new
 * SQLite connection for every transaction and closes it after: each open parses the whole schema
 * again (3-6 ms at 200 tables, measured), so a run of many migrations spent more on connections
 * than on its DDL. The first migration's connection is kept for the next ones (its `close` is
 * held back until the run ends, endRun), still with enforcement off.
 */
const kept = new WeakMap<Sequelize, { readonly connection: SqliteConnection; readonly close: SqliteConnection['close'] }>();

function keep(sequelize: Sequelize, connection: SqliteConnection): void {
  const close = connection.close.bind(connection);
  connection.close = (callback) => callback?.(null);
  kept.set(sequelize, { connection, close });
}

const run = (c: SqliteConnection, sql: string) => new Promise<void>((resolve, reject) => c.run(sql, (e) => (e ? reject(e) : resolve())));
const get = (c: SqliteConnection, sql: string) =>
  new Promise<Record<string, unknown>>((resolve, reject) => c.get(sql, (e, row) => (e ? reject(e) : resolve(row))));

/**
 * SQLite's documented way to change a table's shape (create new, copy, drop, rename:
 * https://www.sqlite.org/lang_altertable.html#otheralter) needs foreign key enforcement off, or
 * dropping the old table cascades into its children. `PRAGMA foreign_keys` is a no-op inside a
 * transaction, so it is switched off on the migration transaction's connection before BEGIN
 * (Sequelize opens one connection per transaction and caches it by transaction id), and
 * `PRAGMA foreign_key_check` runs before COMMIT, so a migration that breaks a reference fails and
 * rolls back instead.
 */
export const sqliteMigrationTransaction = {
  async beforeBegin(sequelize: Sequelize, transactionId: string): Promise<void> {
    const connections = manager(sequelize);
    const file = sqliteStorage(sequelize) !== ':memory:';
    const reused = file ? kept.get(sequelize) : undefined;
    if (reused) {
      // Sequelize's cache is keyed by transaction id: the next transaction finds the kept one.
      connections.connections[transactionId] = reused.connection;
      return;
    }
    const connection = await connections.getConnection({ uuid: transactionId });
    // getConnection queued `PRAGMA FOREIGN_KEYS=ON` on a new connection without waiting for it:
    // set it off and read it back until it reads off.
    for (let attempt = 0; attempt < 5; attempt++) {
      await run(connection, 'PRAGMA foreign_keys = OFF');
      const row = await get(connection, 'PRAGMA foreign_keys');
      if (Number(row?.foreign_keys) !== 0) continue;
      if (file) keep(sequelize, connection);
      return;
    }
    throw new Error('SQLite did not switch foreign key enforcement off for the migration transaction');
  },

  async beforeCommit(sequelize: Sequelize, transaction: Transaction): Promise<void> {
    const violations = await sequelize.query<Record<string, unknown>>('PRAGMA foreign_key_check', { transaction, type: 'SELECT' as never });
    if (violations.length > 0) {
      const sample = violations
        .slice(0, 3)
        .map((v) => `${v.table} row ${v.rowid} -> ${v.parent}`)
        .join('; ');
      throw new Error(`the migration leaves ${violations.length} row(s) violating foreign keys (${sample})`);
    }
  },

  /** The run is over: the kept connection closes. */
  async endRun(sequelize: Sequelize): Promise<void> {
    const held = kept.get(sequelize);
    if (!held) return;
    kept.delete(sequelize);
    held.connection.close = held.close;
    await new Promise<void>((resolve) => held.close(() => resolve()));
  },

  async afterEnd(sequelize: Sequelize): Promise<void> {
    // In-memory databases share one connection with the application: give enforcement back.
    if (sqliteStorage(sequelize) === ':memory:' && runtimeOptions(sequelize).foreignKeys !== false) {
      const connection = await manager(sequelize).getConnection({ uuid: 'default' });
      await run(connection, 'PRAGMA foreign_keys = ON');
    }
  },
};
