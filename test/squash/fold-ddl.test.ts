/**
 * A squashed baseline's DDL goes in fewer statements (runner/fold-ddl.ts, the dialects' folders):
 * on MySQL each index and foreign key folds into its CREATE TABLE, on PostgreSQL a run of DDL is
 * one multi-statement query. The folders are checked on whole statements; the runner on each
 * database, counting what reached it, with a read and a data write in the middle, a foreign key
 * to a table created later, and a folded statement that fails.
 */
import test from 'ava';
import { join } from 'node:path';
import { createMigrator } from '../../lib';
import { mysqlFolder } from '../../lib/dialects/mysql/mysql-fold';
import { postgresFolder } from '../../lib/dialects/postgres/postgres-fold';
import { withDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { historyNames, tableNames, writeMigrations } from '../helpers/migrations';
import { schemaDiff } from './fixtures';

const CREATE_A = 'CREATE TABLE IF NOT EXISTS `a` (`id` INTEGER NOT NULL auto_increment , `b_id` INTEGER, `name` VARCHAR(80), PRIMARY KEY (`id`)) ENGINE=InnoDB;';

test('mysql: indexes and constraints fold into their CREATE TABLE, never across another one nor with options', (t) => {
  let state = mysqlFolder.fold([], CREATE_A);
  t.deepEqual(state, { send: [], hold: [CREATE_A] });
  state = mysqlFolder.fold(state!.hold, 'ALTER TABLE `a` ADD INDEX `a_name` (`name`)');
  state = mysqlFolder.fold(state!.hold, 'ALTER TABLE `a` ADD UNIQUE INDEX `a_u` (`name`, `id`);');
  state = mysqlFolder.fold(state!.hold, 'ALTER TABLE `a` ADD CONSTRAINT `a_self` FOREIGN KEY (`b_id`) REFERENCES `a` (`id`) ON DELETE SET NULL ON UPDATE CASCADE;');
  t.deepEqual(state!.hold, [
    'CREATE TABLE IF NOT EXISTS `a` (`id` INTEGER NOT NULL auto_increment , `b_id` INTEGER, `name` VARCHAR(80), PRIMARY KEY (`id`), INDEX `a_name` (`name`), ' +
      'UNIQUE INDEX `a_u` (`name`, `id`), CONSTRAINT `a_self` FOREIGN KEY (`b_id`) REFERENCES `a` (`id`) ON DELETE SET NULL ON UPDATE CASCADE) ENGINE=InnoDB;',
  ]);
  // The next CREATE TABLE sends the held one; a definition for `a` no longer folds into `b`'s.
  const next = mysqlFolder.fold(state!.hold, 'CREATE TABLE IF NOT EXISTS `b` (`id` INTEGER, PRIMARY KEY (`id`)) ENGINE=InnoDB;');
  t.deepEqual(next!.send, state!.hold);
  t.is(mysqlFolder.fold(next!.hold, 'ALTER TABLE `a` ADD CONSTRAINT `a_b` FOREIGN KEY (`b_id`) REFERENCES `b` (`id`);'), null);
  for (const sql of [
    'ALTER TABLE `a` ADD INDEX `x` (`name`), ALGORITHM=INPLACE',
    'ALTER TABLE `a` ADD INDEX `x` (`name`), ADD INDEX `y` (`id`)',
    'ALTER TABLE `a` ADD COLUMN `c` INTEGER',
    'ALTER TABLE `a` ADD INDEX `x` (`name`) /* hint */',
    'INSERT INTO `a` (`name`) VALUES (\'x\')',
  ]) {
    t.is(mysqlFolder.fold([CREATE_A], sql), null, sql);
  }
  t.is(mysqlFolder.fold([], 'ALTER TABLE `a` ADD INDEX `x` (`name`)'), null, 'nothing held to fold into');
  t.deepEqual(mysqlFolder.flush([CREATE_A]), [CREATE_A]);
});

test('postgres: a run of DDL is held and sent as one multi-statement query; CONCURRENTLY and anything else are not', (t) => {
  const statements = ['CREATE TABLE IF NOT EXISTS "a" ("id" SERIAL, PRIMARY KEY ("id"));', 'ALTER TABLE "a" ADD CONSTRAINT "a_fk" FOREIGN KEY ("id") REFERENCES "a" ("id");', 'CREATE INDEX "a_id" ON "a" ("id")'];
  let held: readonly string[] = [];
  for (const sql of statements) {
    const state = postgresFolder.fold(held, sql);
    t.deepEqual(state?.send, []);
    held = state!.hold;
  }
  t.deepEqual(postgresFolder.flush(held), [
    'CREATE TABLE IF NOT EXISTS "a" ("id" SERIAL, PRIMARY KEY ("id"));\nALTER TABLE "a" ADD CONSTRAINT "a_fk" FOREIGN KEY ("id") REFERENCES "a" ("id");\nCREATE INDEX "a_id" ON "a" ("id");',
  ]);
  t.deepEqual(postgresFolder.flush([]), []);
  for (const sql of ['CREATE INDEX CONCURRENTLY "x" ON "a" ("id")', 'SELECT 1', 'INSERT INTO "a" DEFAULT VALUES', 'ALTER TABLE "a" ADD COLUMN "c" INTEGER']) {
    t.is(postgresFolder.fold(held, sql), null, sql);
  }
});

/**
 * A baseline by hand: `child` before `parent` (its foreign key added after both), a read and a seed
 * row between; `badIndex`: the child's first index names a column that does not exist.
 */
const baseline = (badIndex = false) => `'use strict';
module.exports = {
  replaces: ["001-parent.js", "002-child.js"],
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('child', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      parentId: { type: Sequelize.INTEGER, allowNull: true },
      label: { type: Sequelize.STRING(40), allowNull: false },
    });
    await queryInterface.addIndex('child', [${badIndex ? "'missing'" : "'label'"}], { name: 'child_label' });
    await queryInterface.addIndex('child', ['parentId', 'label'], { name: 'child_parent_label', unique: true });
    await queryInterface.createTable('parent', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      name: { type: Sequelize.STRING(40), allowNull: false },
    });
    await queryInterface.addConstraint('child', { type: 'foreign key', fields: ['parentId'], name: 'child_parent_fk', references: { table: 'parent', field: 'id' }, onDelete: 'CASCADE' });
    const columns = await queryInterface.describeTable('parent');
    if (!columns.name) throw new Error('the read did not see the table');
    await queryInterface.bulkInsert('parent', [{ name: 'root' }]);
    await queryInterface.addIndex('parent', ['name'], { name: 'parent_name' });
  },
  async down(queryInterface) {
    await queryInterface.dropTable('child');
    await queryInterface.dropTable('parent');
  },
};
`;

/** The same schema as the original migrations write it, one statement at a time. */
const ORIGINALS = {
  '001-parent.js': `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('parent', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      name: { type: Sequelize.STRING(40), allowNull: false },
    });
    await queryInterface.bulkInsert('parent', [{ name: 'root' }]);
    await queryInterface.addIndex('parent', ['name'], { name: 'parent_name' });
  },
  async down(queryInterface) { await queryInterface.dropTable('parent'); },
};
`,
  '002-child.js': `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('child', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      parentId: { type: Sequelize.INTEGER, allowNull: true },
      label: { type: Sequelize.STRING(40), allowNull: false },
    });
    await queryInterface.addIndex('child', ['label'], { name: 'child_label' });
    await queryInterface.addIndex('child', ['parentId', 'label'], { name: 'child_parent_label', unique: true });
    await queryInterface.addConstraint('child', { type: 'foreign key', fields: ['parentId'], name: 'child_parent_fk', references: { table: 'parent', field: 'id' }, onDelete: 'CASCADE' });
  },
  async down(queryInterface) { await queryInterface.dropTable('child'); },
};
`,
};

function countStatements(sequelize: import('sequelize').Sequelize): { ddl: string[]; stop(): void } {
  const ddl: string[] = [];
  const options = (sequelize as unknown as { options: { logging: unknown } }).options;
  const before = options.logging;
  options.logging = (sql: string) => {
    const text = sql.replace(/^Executing \([^)]*\): /, '');
    if (/^(CREATE|ALTER)/.test(text) && !/SequelizeMeta/.test(text)) ddl.push(text);
  };
  return { ddl, stop: () => (options.logging = before) };
}

eachDialect('a baseline runs in fewer statements and reaches the schema the originals build, reads and data writes in order', async (t, db) => {
  const originals = writeMigrations(join(db.dir, 'originals'), ORIGINALS);
  await createMigrator({ sequelize: db.sequelize, migrations: originals, logger: false }).upgrade();
  await withDatabase(db.dialect, async (fresh) => {
    const folder = writeMigrations(join(fresh.dir, 'baseline'), { '002-child_squashed.js': baseline() });
    const seen = countStatements(fresh.sequelize);
    const applied = await createMigrator({ sequelize: fresh.sequelize, migrations: folder, logger: false }).upgrade();
    seen.stop();
    t.deepEqual(applied.map((r) => r.name), ['002-child_squashed']);
    t.deepEqual(await historyNames(fresh.sequelize), ['001-parent.js', '002-child.js', '002-child_squashed.js']);
    t.deepEqual(await schemaDiff(fresh.sequelize, db.sequelize), [], 'the folded baseline builds what the originals built');
    const [rows] = await fresh.sequelize.query('SELECT name FROM parent');
    t.deepEqual(rows, [{ name: 'root' }], 'the seed row went in after its table, before the index after it');
    // What reached the database: MySQL one CREATE TABLE per table (the child's foreign key to the
    // table created after it stays an ALTER, as does the index after the read and the seed row);
    // PostgreSQL two multi-statement queries (cut by the read); SQLite as written (its
    // addConstraint rebuilds the table: two statements).
    const expected = { mysql: 4, postgres: 2, sqlite: 7 }[db.dialect];
    t.is(seen.ddl.length, expected, seen.ddl.join('\n'));
    if (db.dialect === 'mysql') {
      t.regex(seen.ddl[0], /^CREATE TABLE .*`child`.*INDEX `child_label` \(`label`\), UNIQUE INDEX `child_parent_label`.*\) ENGINE=InnoDB;$/);
      t.deepEqual(seen.ddl.slice(2).map((sql) => sql.split(' ').slice(0, 5).join(' ')), ['ALTER TABLE `child` ADD CONSTRAINT', 'ALTER TABLE `parent` ADD INDEX']);
    }
  });
});

eachDialect('a folded statement that fails fails the baseline, naming it, and leaves no table behind', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'baseline'), { '002-child_squashed.js': baseline(true) });
  const error = await t.throwsAsync(createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade());
  t.is((error as { code?: string }).code, 'E_MIGRATION_FAILED');
  t.is((error as { migration?: string }).migration, '002-child_squashed');
  t.regex(String(error?.message), /missing/);
  // MySQL: the folded CREATE TABLE failed as a whole, before anything changed; elsewhere the
  // fresh database's transaction rolled back.
  t.deepEqual(await tableNames(db.sequelize), []);
  t.deepEqual(await historyNames(db.sequelize).catch(() => []), []);
});

eachDialect('a baseline that throws after held statements sends them first, as unfolded: partly applied without transactional DDL, rolled back with it', async (t, db) => {
  const throwing = `'use strict';
module.exports = {
  replaces: ["001-parent.js"],
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('parent', { id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false } });
    await queryInterface.addIndex('parent', ['id'], { name: 'parent_id' });
    throw new Error('stopped by hand');
  },
  async down(queryInterface) { await queryInterface.dropTable('parent'); },
};
`;
  const folder = writeMigrations(join(db.dir, 'baseline'), { '001-parent_squashed.js': throwing });
  const error = await t.throwsAsync(createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade());
  t.is((error as { code?: string }).code, 'E_MIGRATION_FAILED');
  t.regex(String(error?.message), /stopped by hand/);
  const transactional = db.dialect !== 'mysql';
  t.is((error as { rolledBack?: boolean }).rolledBack, transactional);
  t.deepEqual(await tableNames(db.sequelize), transactional ? [] : ['SequelizeMeta_progress', 'parent'], 'the held CREATE TABLE reached the database');
});

/** A baseline whose up() catches a failed read (a hand edit): `bad` also makes a held index fail before it. */
const catching = (bad: boolean) => `'use strict';
module.exports = {
  replaces: ["001-parent.js"],
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('parent', { id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false } });
    await queryInterface.addIndex('parent', [${bad ? "'missing'" : "'id'"}], { name: 'parent_id' });
    const seen = await queryInterface.sequelize.query('SELECT nothing FROM nowhere').catch(() => null);
    if (seen !== null) throw new Error('the read was expected to fail');
    await queryInterface.createTable('child', { id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false } });
  },
  async down(queryInterface) { await queryInterface.dropTable('child'); await queryInterface.dropTable('parent'); },
};
`;

eachDialect('a read the baseline catches does not fail what follows; a held statement that failed still fails the baseline, and nothing after it runs', async (t, db) => {
  // PostgreSQL aborts the transaction on any failed statement, caught or not, folded or not.
  if (db.dialect !== 'postgres') {
    const folder = writeMigrations(join(db.dir, 'ok'), { '001-parent_squashed.js': catching(false) });
    await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade();
    t.deepEqual(await tableNames(db.sequelize), ['child', 'parent']);
  }
  await withDatabase(db.dialect, async (other) => {
    const bad = writeMigrations(join(other.dir, 'bad'), { '001-parent_squashed.js': catching(true) });
    const error = await t.throwsAsync(createMigrator({ sequelize: other.sequelize, migrations: bad, logger: false }).upgrade());
    t.is((error as { code?: string }).code, 'E_MIGRATION_FAILED');
    t.regex(String(error?.message), /missing/, 'the held statement\'s failure, though up() caught what the read was answered');
    t.false((await tableNames(other.sequelize)).includes('child'), 'nothing after the failed statement ran');
  });
});
