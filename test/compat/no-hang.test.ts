/**
 * Issue #12 item 4: never a silent hang. A migration blocked by its own run fails with
 * E_SELF_DEADLOCK (always on), and `stepTimeoutMs` bounds a step: E_STEP_TIMEOUT naming the
 * statements still running, which are cancelled. Deadlines below are "does not hang" bounds with
 * wide margins, not timing assertions.
 */
import { join } from 'node:path';
import { createMigrator, type SelfDeadlockError, type StepTimeoutError } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

const items = createTableMigration('items', "await queryInterface.bulkInsert('items', [{ id: 1, title: 'a' }]);");

/** sequelize-cli's managed-transaction pattern: `body` runs with `t` open, committed or rolled back. */
function ownTransaction(body: string): string {
  return `module.exports = { async up(qi, Sequelize) {
    const t = await qi.sequelize.transaction();
    try {
      ${body}
      await t.commit();
    } catch (error) {
      await t.rollback();
      throw error;
    }
  } };`;
}

async function columnsOf(db: { sequelize: import('sequelize').Sequelize }): Promise<string[]> {
  return Object.keys(await db.sequelize.getQueryInterface().describeTable('items')).sort();
}

eachDialect('a statement sent outside the runner\'s transaction and blocked by it fails with E_SELF_DEADLOCK, cancelled and rolled back', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-items.js': items,
    // The ALTER holds the table's lock in the runner's transaction; the UPDATE on another connection waits for it.
    '002-blocked.js': `module.exports = { async up(qi, Sequelize) {
      await qi.addColumn('items', 'flag', { type: Sequelize.BOOLEAN, allowNull: true });
      await qi.sequelize.query("UPDATE items SET title = 'b'", { transaction: null });
    } };`,
  });
  // 001 commits before 002 runs (a fresh database would run both in one transaction: runner/fresh.ts).
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, freshInOneTransaction: false });
  const started = Date.now();
  const error = await rejectsWith<SelfDeadlockError>(t, migrator.upgrade(), 'E_SELF_DEADLOCK');
  t.true(Date.now() - started < 30_000, 'detected long before any server-side timeout');
  t.is(error.migration, '002-blocked');
  t.regex(error.message, /"002-blocked\.js" \(up\) is blocked by its own run/);
  t.regex(error.waitsOn, /UPDATE items SET title = 'b'/);
  t.true(error.rolledBack);
  t.deepEqual(await historyNames(db.sequelize), ['001-items.js']);
  t.deepEqual(await columnsOf(db), ['id', 'title'], 'the ALTER was rolled back');
  const titles = (await db.sequelize.query('SELECT title FROM items', { type: 'SELECT' as never })) as unknown as { title: string }[];
  t.deepEqual(titles.map((r) => r.title), ['a'], 'the blocked UPDATE never ran');
}, { dialects: ['sqlite', 'postgres'] });

eachDialect("a statement blocked by the migration's own transaction: a savepoint where the runner has a transaction, E_SELF_DEADLOCK on MySQL", async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-items.js': items,
    '002-own.js': ownTransaction(`
      await qi.sequelize.query("UPDATE items SET title = 'in t' WHERE id = 1", { transaction: t });
      // Forgets { transaction: t }: on its own connection, it waits for t's row lock.
      await qi.sequelize.query("UPDATE items SET title = 'outside' WHERE id = 1");`),
  });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  if (db.dialect !== 'mysql') {
    // Both statements land in the runner's transaction (t is a savepoint of it): no wait at all.
    await migrator.upgrade();
    const titles = (await db.sequelize.query('SELECT title FROM items', { type: 'SELECT' as never })) as unknown as { title: string }[];
    t.deepEqual(titles.map((r) => r.title), ['outside']);
    t.deepEqual(await historyNames(db.sequelize), ['001-items.js', '002-own.js']);
    return;
  }
  const started = Date.now();
  const error = await rejectsWith<SelfDeadlockError>(t, migrator.upgrade(), 'E_SELF_DEADLOCK');
  t.true(Date.now() - started < 30_000, 'long before innodb_lock_wait_timeout (50 s)');
  t.is(error.migration, '002-own');
  t.regex(error.waitsOn, /UPDATE items SET title = 'outside'.* waits on a row lock/);
  t.deepEqual(await historyNames(db.sequelize), ['001-items.js']);
  const titles = (await db.sequelize.query('SELECT title FROM items', { type: 'SELECT' as never })) as unknown as { title: string }[];
  t.deepEqual(titles.map((r) => r.title), ['a'], "the migration's transaction was rolled back by its catch");
}, { serial: false });

const LONG_STATEMENT = {
  postgres: 'SELECT pg_sleep(120)',
  mysql: 'SELECT SLEEP(120)',
  // Never ends by itself: only interrupt() stops it.
  sqlite: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
} as const;

eachDialect('stepTimeoutMs: a migration running longer fails with E_STEP_TIMEOUT naming its running statement, which is cancelled', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-items.js': items,
    '002-slow.js': `module.exports = { async up(qi, Sequelize) {
      await qi.addColumn('items', 'flag', { type: Sequelize.BOOLEAN, allowNull: true });
      await qi.sequelize.query(${JSON.stringify(LONG_STATEMENT[db.dialect])});
    } };`,
  });
  // 001 commits before 002 runs (a fresh database would run both in one transaction: runner/fresh.ts).
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, stepTimeoutMs: 1500, freshInOneTransaction: false });
  const started = Date.now();
  const error = await rejectsWith<StepTimeoutError>(t, migrator.upgrade(), 'E_STEP_TIMEOUT');
  t.true(Date.now() - started < 60_000, 'well before the statement would end (120 s, or never)');
  t.is(error.migration, '002-slow');
  t.deepEqual(error.running.map((r) => r.replace(/ \(at .*\)$/, '')), [LONG_STATEMENT[db.dialect]]);
  t.regex(error.message, /ran longer than stepTimeoutMs \(1500 ms\)/);
  t.deepEqual(await historyNames(db.sequelize), ['001-items.js']);
  if (db.dialect === 'mysql') {
    t.false(error.rolledBack, 'the ALTER committed implicitly');
    t.deepEqual(await columnsOf(db), ['flag', 'id', 'title']);
  } else {
    t.true(error.rolledBack);
    t.deepEqual(await columnsOf(db), ['id', 'title']);
    t.deepEqual(await tableNames(db.sequelize), ['items']);
  }
});

eachDialect('stepTimeoutMs is validated with the other options', async (t, db) => {
  for (const stepTimeoutMs of [0, -5, Number.NaN, '1000']) {
    const error = await rejectsWith(
      t,
      (async () => createMigrator({ sequelize: db.sequelize, migrations: db.dir, stepTimeoutMs: stepTimeoutMs as number }))(),
      'E_OPTIONS',
    );
    t.is(error.subject, 'stepTimeoutMs');
  }
}, { dialects: ['sqlite'] });

eachDialect("an ALTER sent outside the migration's own transaction waits for its metadata lock: E_SELF_DEADLOCK on MySQL, a savepoint elsewhere", async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-items.js': items,
    '002-mdl.js': ownTransaction(`
      await qi.sequelize.query('SELECT * FROM items', { transaction: t });
      // Without { transaction: t }: MariaDB's ALTER waits for t's metadata lock (lock_wait_timeout: a year).
      await qi.addColumn('items', 'flag', { type: Sequelize.BOOLEAN, allowNull: true });`),
  });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  if (db.dialect !== 'mysql') {
    await migrator.upgrade();
    t.deepEqual(await columnsOf(db), ['flag', 'id', 'title']);
    return;
  }
  const started = Date.now();
  const error = await rejectsWith<SelfDeadlockError>(t, migrator.upgrade(), 'E_SELF_DEADLOCK');
  t.true(Date.now() - started < 30_000);
  t.is(error.migration, '002-mdl');
  t.regex(error.waitsOn, /ALTER TABLE .*items.* waits on a metadata lock/);
  t.deepEqual(await historyNames(db.sequelize), ['001-items.js']);
  t.deepEqual(await columnsOf(db), ['id', 'title'], 'the ALTER was cancelled before it changed anything');
  t.true(error.rolledBack, 'nothing of it remains, so no progress marker blocks the next run');
  t.deepEqual((await migrator.status()).incomplete, []);
});
