/**
 * A migration that forgets to `await` a QueryInterface call or a query (issue #12): sequelize-cli and
 * umzug run such files, so the runner waits for the stray statement, keeps it in the migration's
 * transaction, and warns naming the migration and the statement. A stray statement that fails
 * fails the migration, naming it; nothing of it races the next migration.
 */
import { join } from 'node:path';
import { createMigrator, type IncompleteMigrationError, type MigrationFailedError } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

function recording() {
  const warnings: string[] = [];
  return { warnings, logger: { info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) } };
}

eachDialect('a forgotten await: the stray statement is waited for, applied with its migration, and named in a warning', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-ok.js': createTableMigration('ok'),
    // The createTable is not awaited: up() resolves while it is still on its way.
    '002-forgot.js': `module.exports = { async up(qi, Sequelize) {
      qi.createTable('late', { id: { type: Sequelize.INTEGER, primaryKey: true } });
    } };`,
    // Would fail if it ran before 'late' exists.
    '003-next.js': `module.exports = { async up(qi, Sequelize) {
      await qi.sequelize.query('INSERT INTO late (id) VALUES (1)');
    } };`,
  });
  const { warnings, logger } = recording();
  const applied = await createMigrator({ sequelize: db.sequelize, migrations: folder, logger }).upgrade();
  t.deepEqual(applied.map((s) => s.name), ['001-ok', '002-forgot', '003-next']);
  t.deepEqual(await historyNames(db.sequelize), ['001-ok.js', '002-forgot.js', '003-next.js']);
  t.deepEqual(await tableNames(db.sequelize), ['late', 'ok'], 'no progress table left either');
  t.is(warnings.length, 1, warnings.join('\n'));
  t.regex(warnings[0], /Migration "002-forgot\.js" did not await 1 call\(s\): queryInterface\.createTable\(\) \(at .*002-forgot\.js:2:\d+\)/);
});

eachDialect('a stray statement that fails fails its migration, naming it; with transactional DDL nothing of it remains', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-ok.js': createTableMigration('ok'),
    '002-stray-fails.js': `module.exports = { async up(qi, Sequelize) {
      await qi.createTable('half', { id: { type: Sequelize.INTEGER, primaryKey: true } });
      qi.sequelize.query('INSERT INTO no_such_table (id) VALUES (1)');
    } };`,
    '003-next.js': createTableMigration('next'),
  });
  const { logger } = recording();
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger, freshInOneTransaction: false });
  const error = await rejectsWith<MigrationFailedError>(t, migrator.upgrade(), 'E_MIGRATION_FAILED');
  t.is(error.migration, '002-stray-fails');
  t.regex(error.message, /"002-stray-fails\.js" failed \(up\): a call it did not await failed \(INSERT INTO no_such_table \(id\) VALUES \(1\) \(at .*002-stray-fails\.js:3:\d+\)\)/);
  t.deepEqual(await historyNames(db.sequelize), ['001-ok.js'], '002 unrecorded, 003 never ran');
  if (db.dialect === 'mysql') {
    t.false(error.rolledBack);
    t.deepEqual(await tableNames(db.sequelize), ['SequelizeMeta_progress', 'half', 'ok']);
    const stopped = await rejectsWith<IncompleteMigrationError>(t, migrator.upgrade(), 'E_INCOMPLETE_MIGRATION');
    t.is(stopped.migration, '002-stray-fails');
  } else {
    t.true(error.rolledBack);
    t.deepEqual(await tableNames(db.sequelize), ['ok'], 'rolled back with the migration');
  }
});

eachDialect('an un-awaited QueryInterface call that fails before up() returns fails the migration instead of the process', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-fails-early.js': `module.exports = { async up(qi) {
      qi.bulkInsert('no_such_table', [{ id: 1 }]);
      await new Promise((resolve) => setTimeout(resolve, 200));
    } };`,
  });
  const { logger } = recording();
  const error = await rejectsWith<MigrationFailedError>(t, createMigrator({ sequelize: db.sequelize, migrations: folder, logger, freshInOneTransaction: false }).upgrade(), 'E_MIGRATION_FAILED');
  t.is(error.migration, '001-fails-early');
  t.regex(error.message, /a call it did not await failed \(queryInterface\.bulkInsert\(\) \(at .*001-fails-early\.js:2:\d+\)\): .*no_such_table/);
  t.true(error.rolledBack, 'it wrote nothing');
  t.deepEqual(await historyNames(db.sequelize), []);
  t.deepEqual(await tableNames(db.sequelize), []);
});
