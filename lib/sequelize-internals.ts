import type { Sequelize, Transaction } from 'sequelize';

/**
 * The few Sequelize instance fields the public typings leave out, in one place so a Sequelize
 * upgrade that moves one breaks here and nowhere else.
 */
export interface SequelizeRuntimeOptions {
  storage?: string;
  foreignKeys?: boolean;
  logging?: false | ((sql: string, timing?: unknown) => void);
  pool?: { max?: number };
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

/** The largest number of pooled connections the instance was configured with; undefined: the default. */
export function poolMax(sequelize: Sequelize): number | undefined {
  return runtimeOptions(sequelize)?.pool?.max;
}

/** QueryInterface's identifier quoting (`"name"`, `` `name` ``), which its typings leave out. */
export function identifierQuoter(sequelize: Sequelize): (name: string) => string {
  const queryInterface = sequelize.getQueryInterface() as unknown as { quoteIdentifier(name: string): string };
  return (name) => queryInterface.quoteIdentifier(name);
}

/** The QueryGenerator behind QueryInterface: how Sequelize writes a literal, a name, a WHERE. */
export interface QueryGeneratorInternals {
  handleSequelizeMethod(value: unknown): string;
  quoteIdentifier(identifier: string, force?: boolean): string;
  whereQuery(where: unknown): string;
}

export function queryGeneratorOf(sequelize: Sequelize): QueryGeneratorInternals {
  return (sequelize.getQueryInterface() as unknown as { queryGenerator: QueryGeneratorInternals }).queryGenerator;
}

/**
 * The Sequelize module the instance was made with (its DataTypes, its Transaction class), which
 * may be another copy than the one this library resolves.
 */
export function sequelizeModuleOf(sequelize: Sequelize): typeof import('sequelize') {
  return sequelize.constructor as unknown as typeof import('sequelize');
}

/** A transaction built but not begun (`type: 'IMMEDIATE'` takes SQLite's write lock at BEGIN). */
export function createTransaction(sequelize: Sequelize, options: { readonly type?: string }): Transaction {
  const TransactionClass = sequelizeModuleOf(sequelize).Transaction as unknown as new (s: Sequelize, o: object) => Transaction;
  return new TransactionClass(sequelize, options);
}

/** Whether a transaction has committed or rolled back (`finished`, absent from the typings). */
export function isFinished(transaction: Transaction): boolean {
  return Boolean((transaction as unknown as { finished?: string }).finished);
}

/** The driver-level connection manager, in the shape the dialect that reaches into it declares. */
export function connectionManagerOf<T>(sequelize: Sequelize): T {
  return sequelize.connectionManager as unknown as T;
}

/** A model's definition as Sequelize keeps it (`tableName`, `options`, `_indexes`, attributes). */
export function modelInternals<T>(model: unknown): T {
  return model as T;
}

/** Sequelize's hooks by name, for hooks its typings do not list (`beforeQuery`). */
export function hooksOf(sequelize: Sequelize): {
  addHook(name: string, key: string, fn: (options: unknown, query: { connection?: unknown }) => void): void;
  removeHook(name: string, key: string): void;
} {
  return sequelize as unknown as ReturnType<typeof hooksOf>;
}

/** An object's methods by name, to wrap in place and put back (query tracking, savepoints). */
export function methodsOf(target: object): Record<string, unknown> {
  return target as Record<string, unknown>;
}

/**
 * SQL as Sequelize would send it, with `replacements` and `bind` parameters written in (its own
 * `injectReplacements` and `formatBindParameters`, so the quoting is the dialect's): for offline scripts.
 */
export function inlineParameters(sequelize: Sequelize, text: string, replacements: unknown, bind: unknown): string {
  let sql = text;
  if (replacements !== undefined) {
    const { injectReplacements } = require('sequelize/lib/utils/sql') as { injectReplacements(s: string, d: unknown, r: unknown): string };
    sql = injectReplacements(sql, (sequelize as unknown as { dialect: unknown }).dialect, replacements);
  }
  if (bind !== undefined) {
    const { AbstractQuery } = require('sequelize/lib/dialects/abstract/query') as {
      AbstractQuery: { formatBindParameters(s: string, v: unknown, d: string): [string, unknown[]] };
    };
    sql = AbstractQuery.formatBindParameters(sql, bind, (sequelize as unknown as { options: { dialect: string } }).options.dialect)[0];
  }
  return sql;
}

/** The driver module the application gave Sequelize (`dialectModule`), if any: a scratch instance must use the same. */
export function dialectModuleOf(sequelize: Sequelize): unknown {
  return (sequelize as unknown as { options: { dialectModule?: unknown } }).options.dialectModule;
}
