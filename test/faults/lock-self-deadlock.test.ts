/**
 * The run's own connections include the migration lock's (issue #15 leftover): on PostgreSQL the
 * lock is a transaction-scoped advisory lock held by a transaction that stays open for the whole
 * run, so a migration statement waiting on a lock of that transaction waits on its own run and
 * would never end. The statement watch names it (E_SELF_DEADLOCK) instead of hanging. MySQL's
 * GET_LOCK connection holds no transaction and SQLite's lock is a file lock: there is nothing of
 * the lock's for a migration to wait on, so the test is PostgreSQL's.
 */
import { join } from 'node:path';
import { createMigrator, type SelfDeadlockError } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

/** The advisory locks of the test's database, granted or waited for. */
const ADVISORY = `SELECT classid::text AS c, objid::text AS o FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

eachDialect("a migration statement waiting on the migration lock's own transaction fails with E_SELF_DEADLOCK naming it, and the lock is freed", async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-items.js': createTableMigration('items'),
    // Takes the run's own lock key a second time, in the migration's transaction: it waits for the
    // lock's transaction, which ends only when the run does.
    '002-relock.js': `module.exports = { async up(qi) {
      await qi.createTable('relocked', { id: { type: qi.sequelize.constructor.INTEGER, primaryKey: true } });
      const rows = await qi.sequelize.query(${JSON.stringify(ADVISORY)}, { type: 'SELECT' });
      if (rows.length !== 1) throw new Error('expected the run to hold one advisory lock, found ' + rows.length);
      await qi.sequelize.query('SELECT pg_advisory_xact_lock(' + (Number(rows[0].c) | 0) + ', ' + (Number(rows[0].o) | 0) + ')');
    } };`,
  });
  // stepTimeoutMs only so that a missed detection fails this test (E_STEP_TIMEOUT) instead of hanging it.
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, stepTimeoutMs: 90_000, freshInOneTransaction: false });
  const error = await rejectsWith<SelfDeadlockError>(t, migrator.upgrade(), 'E_SELF_DEADLOCK');
  t.is(error.migration, '002-relock');
  t.regex(error.waitsOn, /SELECT pg_advisory_xact_lock\(.* waits on .*held by backend \d+ of this run.*the migration lock's own connection/s);
  t.true(error.rolledBack);
  t.deepEqual(await historyNames(db.sequelize), ['001-items.js']);
  t.deepEqual(await tableNames(db.sequelize), ['items'], '002-relock was rolled back');
  const left = (await db.sequelize.query(ADVISORY, { type: 'SELECT' as never })) as unknown as unknown[];
  t.is(left.length, 0, 'the lock was released with the failed run');
  t.deepEqual((await migrator.status()).incomplete, []);
}, { dialects: ['postgres'] });
