/**
 * The lock's own connection closed mid-run (a server kill, a proxy, an idle timeout): another
 * process could take the lock, so the run stops before its next migration.
 */
import { join } from 'node:path';
import type { Sequelize } from 'sequelize';
import { createMigrator, type MigrationError, type Migrator } from '../../lib';
import type { TestDatabase } from '../helpers/databases';
import { lockName64 } from '../../lib/dialects/lock-key';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

/** Ends the session holding the migration lock of `database`, from another connection. */
async function killLockHolder(killer: Sequelize, dialect: string, database: string): Promise<void> {
  if (dialect === 'postgres') {
    const [rows] = (await killer.query(
      `SELECT pg_terminate_backend(l.pid) AS done FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = x'616d6967'::int
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )) as [{ done: boolean }[], unknown];
    if (!rows.some((r) => r.done)) throw new Error('no advisory lock holder found');
  } else {
    const name = lockName64(`automigrate:${database}:SequelizeMeta`);
    const [rows] = (await killer.query('SELECT IS_USED_LOCK(?) AS id', { replacements: [name] })) as [{ id: number | null }[], unknown];
    if (!rows[0]?.id) throw new Error('no GET_LOCK holder found');
    await killer.query(`KILL CONNECTION ${Number(rows[0].id)}`);
  }
}

/** Runs 001-a (which waits in the middle), kills the lock's connection, lets 001-a finish. */
async function upgradeLosingTheLock(db: TestDatabase, freshInOneTransaction: boolean): Promise<{ migrator: Migrator; running: Promise<unknown> }> {
  const key = `__amLostLock_${db.database}`;
  const gate = globalThis as Record<string, unknown>;
  const folder = writeMigrations(join(db.dir, 'm'), {
    // Signals that it runs, then waits (once per process) until the test has killed the lock.
    '001-a.js': `module.exports = { async up(qi, S) {
      await qi.createTable('a', { id: { type: S.INTEGER, primaryKey: true } });
      if (!global[${JSON.stringify(key)}]) {
        global[${JSON.stringify(key)}] = 'running';
        while (global[${JSON.stringify(key)}] !== 'go') await new Promise((r) => setTimeout(r, 20));
      }
    } };`,
    '002-b.js': createTableMigration('b'),
  });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, freshInOneTransaction });
  const running = migrator.upgrade();
  running.catch(() => undefined);
  const deadline = Date.now() + 60_000;
  while (gate[key] !== 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await killLockHolder(db.connect(), db.dialect, db.database);
  gate[key] = 'go';
  return { migrator, running };
}

eachDialect(
  'a run whose lock connection is killed stops before its next migration with E_LOCK; what ran is recorded; the next run completes',
  async (t, db) => {
    // A commit per migration (freshInOneTransaction: false), so that 001-a is committed alone.
    const { migrator, running } = await upgradeLosingTheLock(db, false);
    const error = await rejectsWith<MigrationError>(t, running, 'E_LOCK');
    t.regex(error.message, new RegExp(`Lost the migration lock on \\w+ database "${db.database}"`));
    t.is(error.subject, db.database);
    t.deepEqual(await historyNames(db.sequelize), ['001-a.js'], '001-a finished and is recorded; 002-b did not start');
    // MySQL's (empty) marker table stays: without the lock, dropping it could drop another
    // process's markers. The next run clears it.
    t.deepEqual(await tableNames(db.sequelize), db.dialect === 'mysql' ? ['SequelizeMeta_progress', 'a'] : ['a']);
    t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['002-b']);
    t.deepEqual(await tableNames(db.sequelize), ['a', 'b']);
  },
  { dialects: ['postgres', 'mysql'] },
);

eachDialect(
  'a fresh database upgraded in one transaction whose lock connection is killed commits nothing (E_LOCK); the next run applies everything',
  async (t, db) => {
    const { migrator, running } = await upgradeLosingTheLock(db, true);
    await rejectsWith<MigrationError>(t, running, 'E_LOCK');
    t.deepEqual(await tableNames(db.sequelize), [], 'nothing committed, not even the history table');
    t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['001-a', '002-b']);
    t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js']);
  },
  { dialects: ['postgres'] },
);
