import { join } from 'node:path';
import { createMigrator, MigrationFailedError } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

const failing = `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('half', { id: { type: Sequelize.INTEGER, primaryKey: true } });
    await queryInterface.sequelize.query('INSERT INTO half (id) VALUES (1)');
    throw new Error('boom half-way');
  },
  async down() {},
};
`;

const FILES = {
  '001-a.js': createTableMigration('a'),
  '002-b.js': createTableMigration('b'),
  '003-half.js': failing,
  '004-d.js': createTableMigration('d'),
};

/** Every table, the history table included. */
const allTables = (sequelize: import('sequelize').Sequelize) => tableNames(sequelize, '');

eachDialect('a fresh-database upgrade that fails half-way leaves nothing with transactional DDL; MySQL keeps what committed', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), FILES);
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  const error = await t.throwsAsync(migrator.upgrade(), { instanceOf: MigrationFailedError });
  t.is(error!.migration, '003-half');
  t.regex(error!.message, /003-half\.js[\s\S]*boom half-way/);
  if (db.dialect === 'mysql') {
    // As before: no transactional DDL, each migration commits; the half-applied one is marked.
    t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js']);
    t.deepEqual(await allTables(db.sequelize), ['SequelizeMeta', 'SequelizeMeta_progress', 'a', 'b', 'half']);
    return;
  }
  t.deepEqual(await allTables(db.sequelize), [], 'no table, no history table');
  // Fixed, the next upgrade starts from the empty database and completes.
  writeMigrations(folder, { '003-half.js': createTableMigration('half') });
  t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['001-a', '002-b', '003-half', '004-d']);
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js', '003-half.js', '004-d.js']);
  t.deepEqual(await allTables(db.sequelize), ['SequelizeMeta', 'a', 'b', 'd', 'half']);
});

eachDialect('freshInOneTransaction: false keeps a commit per migration on a fresh database', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), FILES);
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, freshInOneTransaction: false });
  await t.throwsAsync(migrator.upgrade(), { instanceOf: MigrationFailedError });
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js']);
  const tables = await allTables(db.sequelize);
  t.deepEqual(
    tables.filter((name) => ['a', 'b', 'half', 'SequelizeMeta'].includes(name)),
    db.dialect === 'mysql' ? ['SequelizeMeta', 'a', 'b', 'half'] : ['SequelizeMeta', 'a', 'b'],
  );
});

eachDialect('a database with a table of its own is not fresh: each migration commits', async (t, db) => {
  await db.sequelize.getQueryInterface().createTable('legacy', { id: { type: 'INTEGER', primaryKey: true } });
  const folder = writeMigrations(join(db.dir, 'migrations'), FILES);
  await t.throwsAsync(createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade(), { instanceOf: MigrationFailedError });
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js']);
});

eachDialect('a migration opting out of transactions runs a fresh database one migration at a time', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    ...FILES,
    '002-b.js': createTableMigration('b').replace("'use strict';\nmodule.exports = {", "'use strict';\nmodule.exports = {\n  transaction: false,"),
  });
  await t.throwsAsync(createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade(), { instanceOf: MigrationFailedError });
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js']);
});

eachDialect('a fresh upgrade in one transaction applies, records and reports every migration, and hooks see each', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), { '001-a.js': FILES['001-a.js'], '002-b.js': FILES['002-b.js'] });
  const after: string[] = [];
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, hooks: { afterStep: (s) => void after.push(s.name) } });
  t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['001-a', '002-b']);
  t.deepEqual(after, ['001-a', '002-b']);
  const status = await migrator.status();
  t.deepEqual(status.pending, []);
  t.true(status.applied.every((a) => a.checksum !== null && a.durationMs !== null));
  t.deepEqual(await allTables(db.sequelize), ['SequelizeMeta', 'a', 'b']);
});
