/**
 * Migrations that run outside a transaction (every migration on MySQL; `transaction: 'none'` on
 * PostgreSQL and SQLite) and fail or die half-way: the next run names them instead of failing
 * later on "table already exists", `stamp` records the operator's resolution, and a failure
 * that changed nothing leaves nothing to resolve.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMigrator, type IncompleteMigrationError, type MigrationFailedError } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

const quiet = { logger: false as const };


/** 002-b: creates b1 and b2; FAIL_UP / FAIL_DOWN in the file make it fail half-way. */
function halfway(fail: { up?: 'after-change' | 'before-change'; down?: 'after-change' | 'before-change' }): string {
  const failUp =
    fail.up === 'before-change'
      ? `throw new Error('boom before any change');`
      : '';
  const failUpLate = fail.up === 'after-change' ? `throw new Error('boom after b1');` : '';
  const failDown = fail.down === 'before-change' ? `throw new Error('boom before any change');` : '';
  const failDownLate = fail.down === 'after-change' ? `throw new Error('boom after dropping b2');` : '';
  return `module.exports = {
  async up(qi, S) {
    await qi.sequelize.query('SELECT 1');
    ${failUp}
    await qi.createTable('b1', { id: { type: S.INTEGER, primaryKey: true } });
    ${failUpLate}
    await qi.createTable('b2', { id: { type: S.INTEGER, primaryKey: true } });
  },
  async down(qi) {
    ${failDown}
    await qi.dropTable('b2');
    ${failDownLate}
    await qi.dropTable('b1');
  },
};`;
}

eachDialect('an up that fails after changing something outside a transaction blocks every run, naming it, until stamp', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), {
    '001-a.js': createTableMigration('a'),
    '002-b.js': halfway({ up: 'after-change' }),
    '003-c.js': createTableMigration('c'),
  });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, transaction: 'none', ...quiet });
  const failed = await rejectsWith<MigrationFailedError>(t, migrator.upgrade(), 'E_MIGRATION_FAILED');
  t.is(failed.migration, '002-b');
  t.false(failed.rolledBack);
  t.regex(failed.message, /may be partly applied.*E_INCOMPLETE_MIGRATION/);
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js']);

  const started = Date.now();
  for (const attempt of [() => migrator.upgrade(), () => migrator.downgrade(), () => createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet }).upgrade()]) {
    const error = await rejectsWith<IncompleteMigrationError>(t, attempt(), 'E_INCOMPLETE_MIGRATION');
    t.is(error.migration, '002-b');
    t.is(error.direction, 'up');
    t.is(error.steps.length, 1);
    t.true(Math.abs(error.steps[0].startedAt!.getTime() - started) < 60_000, String(error.steps[0].startedAt));
    t.regex(error.steps[0].by!, new RegExp(`pid ${process.pid}$`));
    t.regex(error.message, /finish its up\(\) by hand and run `automigrate stamp 002-b`, or undo what it did and run `automigrate stamp 001-a`/);
  }
  t.deepEqual(await tableNames(db.sequelize), ['SequelizeMeta_progress', 'a', 'b1'], 'nothing ran while blocked');
  const status = await migrator.status();
  t.deepEqual(status.incomplete.map((s) => [s.migration, s.direction]), [['002-b', 'up']]);
  t.deepEqual(status.pending, ['002-b', '003-c']);

  // The operator undoes the half, fixes the file, and records that 001-a is the schema's state.
  await db.sequelize.getQueryInterface().dropTable('b1');
  writeFileSync(join(folder, '002-b.js'), halfway({}));
  await migrator.stamp('001-a');
  t.deepEqual((await migrator.status()).incomplete, []);
  t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['002-b', '003-c']);
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b1', 'b2', 'c'], 'a completed run leaves no marker table');
});

eachDialect('a failure before any change outside a transaction leaves nothing to resolve: the fixed file simply runs', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a'), '002-b.js': halfway({ up: 'before-change' }) });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, transaction: 'none', ...quiet });
  const failed = await rejectsWith<MigrationFailedError>(t, migrator.upgrade(), 'E_MIGRATION_FAILED');
  t.true(failed.rolledBack, 'nothing of it is applied');
  t.regex(failed.message, /failed before changing anything/);
  t.deepEqual(await tableNames(db.sequelize), ['a'], 'no marker table either');
  t.deepEqual((await migrator.status()).incomplete, []);
  writeFileSync(join(folder, '002-b.js'), halfway({}));
  t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['002-b']);
});

eachDialect('a down that fails half-way outside a transaction is named with its direction; stamp resolves it', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a'), '002-b.js': halfway({ down: 'after-change' }) });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, transaction: 'none', ...quiet });
  await migrator.upgrade();
  const failed = await rejectsWith<MigrationFailedError>(t, migrator.downgrade(), 'E_MIGRATION_FAILED');
  t.is(failed.direction, 'down');
  t.false(failed.rolledBack);
  const error = await rejectsWith<IncompleteMigrationError>(t, migrator.upgrade(), 'E_INCOMPLETE_MIGRATION');
  t.is(error.direction, 'down');
  t.regex(error.message, /finish its down\(\) by hand and run `automigrate stamp 001-a`, or undo what it did and run `automigrate stamp 002-b`/);
  t.deepEqual(await tableNames(db.sequelize), ['SequelizeMeta_progress', 'a', 'b1']);
  // Finished by hand: b1 dropped, then recorded.
  await db.sequelize.getQueryInterface().dropTable('b1');
  await migrator.stamp('001-a');
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js']);
  writeFileSync(join(folder, '002-b.js'), halfway({}));
  t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['002-b']);
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b1', 'b2']);
});

eachDialect('a down that fails before any change outside a transaction keeps its history row as it was', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a'), '002-b.js': halfway({ down: 'before-change' }) });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, transaction: 'none', ...quiet });
  await migrator.upgrade();
  const before = (await migrator.status()).applied;
  const failed = await rejectsWith<MigrationFailedError>(t, migrator.downgrade(), 'E_MIGRATION_FAILED');
  t.true(failed.rolledBack);
  const after = (await migrator.status()).applied;
  t.deepEqual(after.map((a) => [a.storedName, a.checksum, a.durationMs]), before.map((a) => [a.storedName, a.checksum, a.durationMs]));
  t.is(after[1].appliedAt?.getTime(), before[1].appliedAt?.getTime(), 'applied_at restored');
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b1', 'b2']);
  t.deepEqual(await migrator.upgrade(), []);
});

eachDialect('a marker whose migration has a history row (an older run, a hand edit) is harmless and cleared', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a'), '002-b.js': createTableMigration('b') });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet, transaction: 'none' });
  await migrator.upgrade({ to: '001-a' });
  // A marker for 001-a, which is recorded: nothing of it is half done.
  const qi = db.sequelize.getQueryInterface();
  await qi.createTable('SequelizeMeta_progress', {
    name: { type: 'VARCHAR(255)', primaryKey: true },
    direction: { type: 'VARCHAR(4)' },
    started_at: { type: 'VARCHAR(40)', allowNull: true },
    started_by: { type: 'VARCHAR(255)', allowNull: true },
  });
  await qi.bulkInsert('SequelizeMeta_progress', [{ name: '001-a.js', direction: 'up', started_at: null, started_by: null }]);
  t.deepEqual((await migrator.status()).incomplete, [], 'status does not report it');
  t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['002-b']);
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b'], 'the marker table is gone');
});
