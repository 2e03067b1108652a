import { join } from 'node:path';
import { createMigrator, MigrationFailedError } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

// Creates a table and inserts a row without passing { transaction } (sequelize-cli style), then fails.
const failing = `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('half', { id: { type: Sequelize.INTEGER, primaryKey: true } });
    await queryInterface.sequelize.query('INSERT INTO half (id) VALUES (1)');
    throw new Error('boom in the middle');
  },
  async down() {},
};
`;

eachDialect('a failing migration names itself; with transactional DDL it leaves no table and no history row', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-ok.js': createTableMigration('ok'),
    '002-half.js': failing,
  });
  // Per-migration transactions: a fresh database would run all in one (fresh-database.test.ts).
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, freshInOneTransaction: false });
  const error = await t.throwsAsync(migrator.upgrade(), { instanceOf: MigrationFailedError });
  t.is(error!.code, 'E_MIGRATION_FAILED');
  t.is(error!.migration, '002-half');
  t.regex(error!.message, /002-half\.js/);
  t.regex(error!.message, /boom in the middle/);
  t.deepEqual(await historyNames(db.sequelize), ['001-ok.js'], 'the migration before it stays applied');
  if (db.dialect === 'mysql') {
    t.false(error!.rolledBack);
    t.regex(error!.message, /partly applied/);
    t.true((await tableNames(db.sequelize)).includes('half'), 'MySQL committed the CREATE TABLE implicitly');
  } else {
    t.true(error!.rolledBack);
    t.deepEqual(await tableNames(db.sequelize), ['ok'], 'no trace of the failed migration');
  }
});

eachDialect("transaction: 'all' rolls the whole upgrade back where DDL is transactional", async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-ok.js': createTableMigration('ok'),
    '002-half.js': failing,
  });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, transaction: 'all', freshInOneTransaction: false });
  await t.throwsAsync(migrator.upgrade(), { code: 'E_MIGRATION_FAILED' } as never);
  if (db.dialect === 'mysql') {
    t.deepEqual(await historyNames(db.sequelize), ['001-ok.js'], "'all' cannot undo DDL on MySQL");
  } else {
    t.deepEqual(await tableNames(db.sequelize), []);
    t.deepEqual(await historyNames(db.sequelize), []);
  }
});

eachDialect("transaction: 'none' and a migration opting out both run outside a transaction", async (t, db) => {
  const optOut = failing.replace("'use strict';", "'use strict';\nmodule.exports.transaction = false;").replace('module.exports = {', 'Object.assign(module.exports, {').replace(/};\n$/, '});\n');
  const folder = writeMigrations(join(db.dir, 'migrations'), { '001-half.js': optOut });
  // Per-migration transactions: a fresh database would run all in one (fresh-database.test.ts).
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, freshInOneTransaction: false });
  const error = await t.throwsAsync(migrator.upgrade(), { instanceOf: MigrationFailedError });
  t.false(error!.rolledBack);
  t.deepEqual(await tableNames(db.sequelize), ['SequelizeMeta_progress', 'half'], 'statements before the failure stay applied, and are marked');
  t.deepEqual(await historyNames(db.sequelize), []);
  t.is(((await t.throwsAsync(migrator.upgrade(), { code: 'E_INCOMPLETE_MIGRATION' } as never)) as { subject?: string }).subject, '001-half');
});

eachDialect('statements of a migration join its transaction without { transaction }, and a data migration commits with it', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-table.js': createTableMigration('items'),
    '002-data.js': `module.exports = { async up(qi) { await qi.bulkInsert('items', [{ title: 'a' }, { title: 'b' }]); await qi.sequelize.query("UPDATE items SET title = 'c' WHERE title = 'b'"); } };`,
  });
  await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade();
  const rows = (await db.sequelize.query('SELECT title FROM items ORDER BY title', { type: 'SELECT' as never })) as unknown as { title: string }[];
  t.deepEqual(rows.map((r) => r.title), ['a', 'c']);
});

eachDialect('SQLite rebuild pattern: dropping a parent inside a migration does not cascade into its children', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-tables.js': `module.exports = { async up(qi, S) {
      await qi.createTable('parents', { id: { type: S.INTEGER, primaryKey: true } });
      await qi.createTable('children', { id: { type: S.INTEGER, primaryKey: true }, parent_id: { type: S.INTEGER, references: { model: 'parents', key: 'id' }, onDelete: 'CASCADE' } });
      await qi.bulkInsert('parents', [{ id: 1 }]);
      await qi.bulkInsert('children', [{ id: 1, parent_id: 1 }]);
    } };`,
    '002-rebuild.js': `module.exports = { async up(qi, S) {
      await qi.createTable('parents_new', { id: { type: S.INTEGER, primaryKey: true }, name: { type: S.STRING, allowNull: true } });
      await qi.sequelize.query('INSERT INTO parents_new (id) SELECT id FROM parents');
      await qi.dropTable('parents');
      await qi.renameTable('parents_new', 'parents');
    } };`,
  });
  await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade();
  const children = (await db.sequelize.query('SELECT id FROM children', { type: 'SELECT' as never })) as unknown[];
  t.is(children.length, 1, 'the child row survived');
}, { dialects: ['sqlite'] });

eachDialect('SQLite: a migration that leaves a dangling reference is rolled back by the foreign key check', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-bad.js': `module.exports = { async up(qi, S) {
      await qi.createTable('parents', { id: { type: S.INTEGER, primaryKey: true } });
      await qi.createTable('children', { id: { type: S.INTEGER, primaryKey: true }, parent_id: { type: S.INTEGER, references: { model: 'parents', key: 'id' } } });
      await qi.bulkInsert('children', [{ id: 1, parent_id: 42 }]);
    } };`,
  });
  const error = await t.throwsAsync(createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade(), {
    instanceOf: MigrationFailedError,
  });
  t.regex(error!.message, /violating foreign keys/);
  t.deepEqual(await tableNames(db.sequelize), []);
}, { dialects: ['sqlite'] });

eachDialect('sql() prints what an upgrade would run and changes nothing', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), { '001-users.js': createTableMigration('users') });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  // Offline on every dialect, MySQL included (runner/offline-sql.ts).
  const sql = await migrator.sql();
  t.regex(sql, /CREATE TABLE[^;]*users/i);
  t.regex(sql, /INSERT INTO[^;]*SequelizeMeta/i);
  t.deepEqual(await tableNames(db.sequelize), []);
  t.deepEqual((await migrator.status()).pending, ['001-users']);
  t.is((await migrator.upgrade()).length, 1, 'the real upgrade still runs afterwards');
});
