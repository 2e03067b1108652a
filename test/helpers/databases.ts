/**
 * One test body, every dialect. Each call of `withDatabase` gets a fresh, empty database of its
 * own (a temp SQLite file, or a new PostgreSQL / MariaDB database that is dropped afterwards), so
 * tests run in parallel without seeing each other.
 *
 * Reachability: in CI (CI=true) a dialect whose server cannot be reached fails the suite; on a
 * laptop without MySQL or PostgreSQL its tests are skipped with a visible message.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize, type Options } from 'sequelize';

export type TestDialect = 'sqlite' | 'postgres' | 'mysql';

export const ALL_DIALECTS: readonly TestDialect[] = selectedDialects();

function selectedDialects(): TestDialect[] {
  const all: TestDialect[] = ['sqlite', 'postgres', 'mysql'];
  const only = process.env.DIALECTS;
  if (!only) return all;
  return only.split(',').map((d) => d.trim()).filter((d): d is TestDialect => (all as string[]).includes(d));
}

export const SERVERS = {
  postgres: {
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    username: process.env.PGUSER ?? 'root',
    password: process.env.PGPASSWORD ?? '',
    adminDatabase: process.env.PGDATABASE ?? 'test',
  },
  mysql: {
    host: process.env.MYSQL_HOST ?? '127.0.0.1',
    port: Number(process.env.MYSQL_PORT ?? 3306),
    username: process.env.MYSQL_USER ?? 'root',
    password: process.env.MYSQL_PASSWORD ?? '',
    adminDatabase: process.env.MYSQL_DATABASE ?? 'test',
  },
} as const;

const quiet = { logging: false as const };

/** Options for a Sequelize instance on the given database (a file path for SQLite). */
export function connectionOptions(dialect: TestDialect, database: string): Options {
  if (dialect === 'sqlite') return { dialect: 'sqlite', storage: database, ...quiet };
  const s = SERVERS[dialect];
  return {
    dialect,
    host: s.host,
    port: s.port,
    username: s.username,
    password: s.password,
    database,
    ...quiet,
    pool: { max: 5, min: 0, idle: 1000, acquire: 20000 },
  };
}

const reachability = new Map<TestDialect, Promise<string | null>>();

/** Null when the dialect's server answers, else why not. Cached per process. */
export function unreachable(dialect: TestDialect): Promise<string | null> {
  let cached = reachability.get(dialect);
  if (!cached) {
    cached = probe(dialect);
    reachability.set(dialect, cached);
  }
  return cached;
}

/**
 * A server that answers within three tries of 10 s is reachable: one slow answer on a loaded
 * machine must not fail every test of a file (the answer is cached per process).
 */
async function probe(dialect: TestDialect): Promise<string | null> {
  if (dialect === 'sqlite') return null;
  const s = SERVERS[dialect];
  let why = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const admin = new Sequelize({ ...connectionOptions(dialect, s.adminDatabase), dialectOptions: { connectTimeout: 10_000 } });
    try {
      await admin.query('SELECT 1');
      return null;
    } catch (error) {
      why = (error as Error).message;
    } finally {
      await admin.close().catch(() => undefined);
    }
  }
  return `${dialect} at ${s.host}:${s.port} is unreachable: ${why}`;
}

export interface TestDatabase {
  readonly dialect: TestDialect;
  /** Database name, or the SQLite file path. */
  readonly database: string;
  /** Connection options for more Sequelize instances (or child processes) on this database. */
  readonly options: Options;
  /** A Sequelize instance on the database; closed by `withDatabase`. */
  readonly sequelize: Sequelize;
  /** A scratch folder for this test (migrations, generated files); removed afterwards. */
  readonly dir: string;
  /** Another Sequelize instance on the same database, closed afterwards. */
  connect(extra?: Options): Sequelize;
}

/** Creates a fresh database, runs `fn`, then drops it, even when `fn` throws. */
export async function withDatabase<T>(dialect: TestDialect, fn: (db: TestDatabase) => Promise<T>): Promise<T> {
  const id = `am_${process.pid}_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), `${id}-`));
  const database = dialect === 'sqlite' ? join(dir, 'test.sqlite') : id;
  let admin: Sequelize | undefined;
  if (dialect !== 'sqlite') {
    admin = new Sequelize(connectionOptions(dialect, SERVERS[dialect].adminDatabase));
    await admin.query(dialect === 'postgres' ? `CREATE DATABASE "${id}"` : `CREATE DATABASE \`${id}\``);
  }
  const opened: Sequelize[] = [];
  const connect = (extra: Options = {}) => {
    const s = new Sequelize({ ...connectionOptions(dialect, database), ...extra });
    opened.push(s);
    return s;
  };
  const sequelize = connect();
  try {
    return await fn({ dialect, database, options: connectionOptions(dialect, database), sequelize, dir, connect });
  } finally {
    await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
    if (admin) {
      if (dialect === 'postgres') {
        await admin.query(`DROP DATABASE IF EXISTS "${id}" WITH (FORCE)`).catch(() => undefined);
      } else {
        await admin.query(`DROP DATABASE IF EXISTS \`${id}\``).catch(() => undefined);
      }
      await admin.close().catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
