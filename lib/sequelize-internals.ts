import type { Sequelize } from 'sequelize';

/**
 * The few Sequelize instance fields the public typings leave out, in one place so a Sequelize
 * upgrade that moves one breaks here and nowhere else.
 */
export interface SequelizeRuntimeOptions {
  storage?: string;
  foreignKeys?: boolean;
  logging?: false | ((sql: string, timing?: unknown) => void);
}

export function runtimeOptions(sequelize: Sequelize): SequelizeRuntimeOptions {
  return (sequelize as unknown as { options: SequelizeRuntimeOptions }).options;
}

/** SQLite storage path; ':memory:' for in-memory databases. */
export function sqliteStorage(sequelize: Sequelize): string {
  const storage = runtimeOptions(sequelize).storage;
  return storage === undefined || storage === '' ? ':memory:' : storage;
}

/**
 * Sequelize's SQLite connection manager caches the connection object before it has opened; when
 * opening fails, the cached object stays, and every later query waits on it forever. Forget it,
 * so the next call tries again (and fails again, promptly, if the file is still unreachable).
 */
export function forgetFailedSqliteConnection(sequelize: Sequelize): void {
  const connections = (sequelize.connectionManager as unknown as { connections?: Record<string, { open?: boolean }> }).connections;
  if (connections?.default && connections.default.open === false) delete connections.default;
}
