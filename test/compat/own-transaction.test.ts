/**
 * Issue #12 item 1: a migration that opens its own transaction gets a savepoint of the runner's
 * (SQLite, PostgreSQL), whatever form it uses; where the runner has no transaction (MySQL) its
 * transaction is its own, as under sequelize-cli. Failures inside it are the migration's to catch;
 * one that propagates fails the migration as a whole.
 */
import { createMigrator, type MigrationFailedError } from '../../lib';
import { withDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { historyNames, tableNames } from '../helpers/migrations';
import { bareLoop, fixture, recordingLogger, runsOf, schemaOf } from './helpers';

eachDialect("a migration's own transactions become savepoints of the runner's transaction: rolled back to, released on commit", async (t, db) => {
  const statements: string[] = [];
  const sequelize = db.connect({ logging: (sql: string) => statements.push(sql) });
  await createMigrator({ sequelize, migrations: fixture('own-transaction'), logger: false }).upgrade();
  const lines = statements.map((s) => /^Executing \(([^)]*)\): (.*)$/s.exec(s)).filter((m): m is RegExpExecArray => m !== null);
  const of = (re: RegExp) => lines.filter((m) => re.test(m[2]));
  if (db.dialect === 'mysql') {
    // DDL commits implicitly there: the runner has no transaction, the migration's is its own.
    t.is(of(/SAVEPOINT/).length, 0);
    // One per own transaction() (002-007); the runner's bookkeeping is single statements (the
    // history row, then the marker's move), none in a transaction.
    t.is(of(/^START TRANSACTION/).length, 6);
    return;
  }
  // 002, 003, 007 (callback form) and 004, 005, 006 (managed form) each opened one.
  t.is(of(/^SAVEPOINT/).length, 6);
  t.is(of(/^ROLLBACK TO SAVEPOINT/).length, 2, '006 rolled back by hand, 007 by a failing callback');
  t.is(of(/^RELEASE SAVEPOINT/).length, 4, 'the four commits released theirs');
  const runnerTransactions = new Set(of(/^(BEGIN|START TRANSACTION)/).map((m) => m[1]));
  t.true(of(/SAVEPOINT/).every((m) => runnerTransactions.has(m[1])), 'every savepoint was taken in a transaction the runner began');
  t.is(runnerTransactions.size, of(/^(BEGIN|START TRANSACTION)/).length, 'no second BEGIN in any transaction');
});

eachDialect('a failure that propagates out of the migration\'s own transaction (managed form) fails the migration as a whole', async (t, db) => {
  // 001 commits before 002 runs (a fresh database would run both in one transaction: runner/fresh.ts).
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: fixture('propagates'), logger: false, freshInOneTransaction: false });
  const error = await rejectsWith<MigrationFailedError>(t, migrator.upgrade(), 'E_MIGRATION_FAILED');
  t.is(error.migration, '002-managed-failure');
  t.regex(error.message, /no_such_table/);
  t.deepEqual(await historyNames(db.sequelize), ['001-counter.js']);
  const columns = Object.keys(await db.sequelize.getQueryInterface().describeTable('compat_runs')).sort();
  if (db.dialect === 'mysql') {
    // As under sequelize-cli: ADD COLUMN committed the migration's transaction implicitly.
    t.false(error.rolledBack);
    t.deepEqual(columns, ['extra', 'id', 'name']);
    t.deepEqual(await runsOf(db.sequelize), ['002-managed-failure']);
  } else {
    t.true(error.rolledBack);
    t.deepEqual(columns, ['id', 'name'], 'the savepoint and the runner transaction were rolled back');
    t.deepEqual(await runsOf(db.sequelize), []);
    t.deepEqual(await tableNames(db.sequelize), ['compat_runs']);
  }
  const runnerSchema = await schemaOf(db.sequelize);
  await withDatabase(db.dialect, async (bare) => {
    await t.throwsAsync(bareLoop(bare.sequelize, 'propagates'), { message: /no_such_table/ });
    t.deepEqual(await schemaOf(bare.sequelize), runnerSchema, "the bare loop leaves what the runner leaves (its own transaction's rollback)");
  });
});

eachDialect('a failure that propagates out of the callback form fails the migration, rolled back, on every dialect', async (t, db) => {
  const log = recordingLogger();
  // 001 commits before 002 runs (a fresh database would run both in one transaction: runner/fresh.ts).
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: fixture('propagates-callback'), logger: log, freshInOneTransaction: false });
  const error = await rejectsWith<MigrationFailedError>(t, migrator.upgrade(), 'E_MIGRATION_FAILED');
  t.is(error.migration, '002-callback-failure');
  t.true(error.rolledBack, 'it changed nothing, on MySQL too (its own transaction rolled back)');
  t.deepEqual(await historyNames(db.sequelize), ['001-counter.js']);
  t.deepEqual(await tableNames(db.sequelize), ['compat_runs'], 'no progress marker left');
  t.deepEqual((await migrator.status()).pending, ['002-callback-failure'], 'a fixed file simply runs next time');
});

eachDialect("without a runner transaction (transaction: 'none') a migration's own transaction is its own, as under sequelize-cli", async (t, db) => {
  const statements: string[] = [];
  const sequelize = db.connect({ logging: (sql: string) => statements.push(sql) });
  await createMigrator({ sequelize, migrations: fixture('own-transaction'), logger: false, transaction: 'none' }).upgrade();
  t.false(statements.some((s) => /SAVEPOINT/.test(s)), 'no savepoint: there is no outer transaction');
  t.deepEqual(await runsOf(db.sequelize), ['002-callback-with-t', '003-callback-without-t', '004-managed-commit', '005-managed-without-t', '006-managed-rollback', '007-caught-failure']);
  const bios = (await db.sequelize.query('SELECT bio FROM profiles ORDER BY bio', { type: 'SELECT' as never })) as unknown as { bio: string }[];
  t.deepEqual(bios.map((r) => r.bio), ['after rollback', 'kept', 'one', 'three', 'two'], 'its rollbacks undid only its own rows');
  t.deepEqual(await tableNames(db.sequelize), ['accounts', 'compat_runs', 'profiles']);
});

eachDialect("transaction: 'all': the migrations' own transactions are savepoints of the one transaction of the upgrade", async (t, db) => {
  await createMigrator({ sequelize: db.sequelize, migrations: fixture('own-transaction'), logger: false, transaction: 'all' }).upgrade();
  t.is((await runsOf(db.sequelize)).length, 6);
  const bios = (await db.sequelize.query('SELECT bio FROM profiles ORDER BY bio', { type: 'SELECT' as never })) as unknown as { bio: string }[];
  t.deepEqual(bios.map((r) => r.bio), ['after rollback', 'kept', 'one', 'three', 'two']);
  t.is((await historyNames(db.sequelize)).length, 7);
});
