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
