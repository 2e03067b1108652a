/**
 * A migration that forgets to `await` a QueryInterface call: the statement still running when
 * up() resolved must not race the next migration nor land outside the migration's transaction.
 */
import { join } from 'node:path';
import { createMigrator, type IncompleteMigrationError, type MigrationFailedError } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

eachDialect('a forgotten await fails the migration naming it and "missing await", after the stray statement finished; the next one does not run', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-ok.js': createTableMigration('ok'),
    // The createTable is not awaited: up() resolves while it is still on its way.
    '002-forgot.js': `module.exports = { async up(qi, Sequelize) {
      qi.createTable('late', { id: { type: Sequelize.INTEGER, primaryKey: true } });
    } };`,
    // Would fail if it ran while 'late' was still being created, or at all.
    '003-next.js': `module.exports = { async up(qi, Sequelize) {
      await qi.createTable('next', { id: { type: Sequelize.INTEGER, primaryKey: true } });
    } };`,
  });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  const error = await rejectsWith<MigrationFailedError>(t, migrator.upgrade(), 'E_MIGRATION_FAILED');
  t.is(error.migration, '002-forgot');
  t.regex(error.message, /"002-forgot\.js" failed \(up\): statements were still running after up\(\) returned \(missing await\?\)/);
  t.deepEqual(await historyNames(db.sequelize), ['001-ok.js'], '002 unrecorded, 003 never ran');
  if (db.dialect === 'mysql') {
    // The stray CREATE TABLE committed by itself: it finished before the error (no race), and the
    // next run names the migration instead of running it again into "table already exists".
    t.false(error.rolledBack);
    t.deepEqual(await tableNames(db.sequelize), ['SequelizeMeta_progress', 'late', 'ok']);
    const stopped = await rejectsWith<IncompleteMigrationError>(t, migrator.upgrade(), 'E_INCOMPLETE_MIGRATION');
    t.is(stopped.migration, '002-forgot');
  } else {
    // It ran inside the migration's transaction (never outside it) and was rolled back with it.
    t.true(error.rolledBack);
    t.deepEqual(await tableNames(db.sequelize), ['ok'], 'the stray statement was rolled back with the migration');
  }
});
