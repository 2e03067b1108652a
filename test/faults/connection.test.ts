/**
 * Connection faults: the server ends the migration's session mid-upgrade; the database cannot be
 * reached, refuses the credentials, or accepts the connection and never answers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { Sequelize, type Options } from 'sequelize';
import { createMigrator, type MigrationFailedError, type Migrator } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

const quiet = { logger: false as const };


/** The server-side session running a statement tagged 'am-kill-me', ended from another connection. */
async function killTaggedSession(killer: Sequelize, dialect: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (dialect === 'postgres') {
      const [rows] = (await killer.query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE query LIKE '%am-kill' || '-me%' AND pid <> pg_backend_pid()`,
      )) as [{ done: boolean }[], unknown];
      if (rows.some((r) => r.done)) return;
    } else {
      const [rows] = (await killer.query(
        `SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE CONCAT('%am-kill', '-me%') AND ID <> CONNECTION_ID()`,
      )) as [{ id: number }[], unknown];
      if (rows.length > 0) {
        await killer.query(`KILL CONNECTION ${Number(rows[0].id)}`);
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the migration never reached its tagged statement');
}

eachDialect(
  'the server ends the migration\'s session mid-upgrade: a clear error naming it, history matching what ran, then recovery',
  async (t, db) => {
    const sleep = db.dialect === 'postgres' ? `SELECT pg_sleep(60), 'am-kill-me'` : `SELECT SLEEP(60), 'am-kill-me'`;
    const folder = writeMigrations(join(db.dir, 'm'), {
      '001-a.js': createTableMigration('a'),
      // Sleeps (once per process) between its two tables: that session is the one killed.
      '002-b.js': `module.exports = { async up(qi, S) {
        await qi.createTable('b1', { id: { type: S.INTEGER, primaryKey: true } });
        if (!global[${JSON.stringify(db.database)}]) { global[${JSON.stringify(db.database)}] = true; await qi.sequelize.query(${JSON.stringify(sleep)}); }
        await qi.createTable('b2', { id: { type: S.INTEGER, primaryKey: true } });
      }, async down(qi) { await qi.dropTable('b2'); await qi.dropTable('b1'); } };`,
      '003-c.js': createTableMigration('c'),
    });
    const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet, freshInOneTransaction: false });
    const running = migrator.upgrade();
    running.catch(() => undefined);
    await killTaggedSession(db.connect(), db.dialect);
    const error = (await rejectsWith(t, running, 'E_MIGRATION_FAILED')) as MigrationFailedError;
    t.is(error.migration, '002-b');
    t.regex(error.message, /"002-b\.js" failed \(up\)/);
    t.deepEqual(await historyNames(db.sequelize), ['001-a.js'], '001-a recorded, 002-b not');

    if (db.dialect === 'postgres') {
      t.true(error.rolledBack);
      t.deepEqual(await tableNames(db.sequelize), ['a'], 'the killed session\'s transaction left nothing');
      t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['002-b', '003-c']);
    } else {
      // MySQL committed b1: the error says so, and the next run names the migration.
      t.false(error.rolledBack);
      t.regex(error.message, /may be partly applied/);
      t.deepEqual(await tableNames(db.sequelize), ['SequelizeMeta_progress', 'a', 'b1']);
      const stopped = await rejectsWith(t, migrator.upgrade(), 'E_INCOMPLETE_MIGRATION');
      t.is(stopped.subject, '002-b');
      // The operator finishes the migration by hand and records it.
      await db.sequelize.getQueryInterface().createTable('b2', { id: { type: 'INTEGER', primaryKey: true } });
      await migrator.stamp('002-b');
      t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['003-c']);
    }
    t.deepEqual(await tableNames(db.sequelize), ['a', 'b1', 'b2', 'c']);
    t.deepEqual((await migrator.status()).pending, []);
  },
  { dialects: ['postgres', 'mysql'] },
);

/** Every entry point that touches the database fails with E_CONNECTION, fast. */
async function assertUnreachable(t: ExecutionContext, options: Options, mention: RegExp, withinMs: number): Promise<void> {
  const sequelize = new Sequelize({ logging: false, ...options });
  try {
    const migrator: Migrator = createMigrator({ sequelize, migrations: [{ name: '001-a', up: async () => undefined }], ...quiet });
    for (const [what, call] of [
      ['upgrade', () => migrator.upgrade()],
      ['downgrade', () => migrator.downgrade()],
      ['status', () => migrator.status()],
      ['stamp', () => migrator.stamp('head')],
    ] as const) {
      const started = Date.now();
      const error = await rejectsWith(t, call(), 'E_CONNECTION');
      t.regex(error.message, mention, `${what}: ${error.message}`);
      const took = Date.now() - started;
      t.true(took < withinMs, `${what} took ${took} ms`);
    }
  } finally {
    await sequelize.close().catch(() => undefined);
  }
}

eachDialect('an unreachable database or refused credentials fail with E_CONNECTION naming it, within the connect timeout', async (t, db) => {
  if (db.dialect === 'sqlite') {
    // A file that must exist (read-only mode), and a folder that cannot be created (a file is in the way).
    await assertUnreachable(t, { dialect: 'sqlite', storage: join(db.dir, 'missing.sqlite'), dialectOptions: { mode: 1 } }, /missing\.sqlite.*SQLITE_CANTOPEN/, 10_000);
    writeFileSync(join(db.dir, 'a-file'), '');
    await assertUnreachable(t, { dialect: 'sqlite', storage: join(db.dir, 'a-file', 'x.sqlite') }, /a-file/, 10_000);
    return;
  }
  const { host, port, username, password } = db.options as { host: string; port: number; username: string; password: string };
  // Nothing listens on port 1: refused.
  await assertUnreachable(t, { dialect: db.dialect, host, port: 1, username, password, database: db.database }, /127\.0\.0\.1:1\b/, 15_000);
  if (db.dialect === 'postgres') {
    // This server trusts every local user it knows: an unknown role is its refusal.
    await assertUnreachable(t, { dialect: 'postgres', host, port, username: 'am_no_such_role', database: db.database }, /am_no_such_role/, 15_000);
  } else {
    await assertUnreachable(t, { dialect: 'mysql', host, port, username, password: 'wrong-password', database: db.database }, /Access denied/, 15_000);
  }
});

/** A TCP server that accepts connections and never says a word (a hung server, a black hole). */
async function silentServer(): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

eachDialect(
  'a server that accepts the connection and never answers fails within the configured connect timeout, not never',
  async (t, db) => {
    const silent = await silentServer();
    try {
      // The application's own bounds: the pool's acquire timeout (every dialect) and the driver's.
      const bounded: Options = {
        dialect: db.dialect as 'postgres' | 'mysql',
        host: '127.0.0.1',
        port: silent.port,
        username: 'root',
        database: 'x',
        pool: { max: 5, acquire: 3000 },
        dialectOptions: db.dialect === 'mysql' ? { connectTimeout: 2000 } : { connectionTimeoutMillis: 2000 },
      };
      await assertUnreachable(t, bounded, new RegExp(`127\\.0\\.0\\.1:${silent.port}`), 12_000);
    } finally {
      await silent.close();
    }
  },
  { dialects: ['postgres', 'mysql'] },
);
