/**
 * A squashed baseline everywhere the history is read or written besides upgrade(): status()
 * (what is pending), stamp, in-code migrations (and the bundle that writes them), and offline
 * downgrade scripts. A hand-written baseline for two originals keeps these fast.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createMigrator, type InCodeMigration } from '../../lib';
import { writeBundleIndex } from '../../lib/bundle/bundle';
import { withDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { historyNames, tableNames, writeMigrations } from '../helpers/migrations';

const table = (name: string) => `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('${name}', { id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false } });
  },
  async down(queryInterface) { await queryInterface.dropTable('${name}'); },
};
`;

const BASELINE = `'use strict';
module.exports = {
  replaces: ["001-a.js", "002-b.js"],
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('a', { id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false } });
    await queryInterface.createTable('b', { id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false } });
  },
  async down(queryInterface) {
    await queryInterface.dropTable('b');
    await queryInterface.dropTable('a');
  },
};
`;

const FILES = { '001-a.js': table('a'), '002-b.js': table('b'), '002-b_squashed.js': BASELINE, '003-c.js': table('c') };
const EVERY = ['001-a.js', '002-b.js', '002-b_squashed.js', '003-c.js'];

eachDialect('status() lists what upgrade() would run, and `+N` counts it: the baseline instead of the originals on a fresh database, the originals part-way', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), FILES);
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  t.deepEqual((await migrator.status()).pending, ['002-b_squashed', '003-c']);
  await withDatabase(db.dialect, async (part) => {
    const partWay = createMigrator({ sequelize: part.sequelize, migrations: folder, logger: false });
    await partWay.upgrade({ to: '001-a' });
    const pending = (await partWay.status()).pending;
    t.deepEqual(pending, ['002-b', '002-b_squashed', '003-c']);
    t.deepEqual((await partWay.upgrade()).map((r) => r.name), pending, 'status and upgrade agree');
  });
  // `+1` counts what runs: on the fresh database, the baseline.
  t.deepEqual((await migrator.upgrade({ to: '+1' })).map((r) => r.name), ['002-b_squashed']);
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js', '002-b_squashed.js']);
  t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['003-c']);
  t.deepEqual((await migrator.status()).pending, []);
});

eachDialect('stamp records a baseline with the names it replaces, keeps them when their files are gone, and removes them stamping before it', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), FILES);
  for (const name of ['001-a.js', '002-b.js']) rmSync(join(folder, name));
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  await migrator.stamp('002-b_squashed');
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js', '002-b_squashed.js'], 'as upgrade() records it');
  await migrator.stamp('head');
  t.deepEqual(await historyNames(db.sequelize), EVERY, 'the replaced rows are not unknown rows to remove');
  t.deepEqual((await migrator.status()).problems, []);
  await migrator.stamp('base');
  t.deepEqual(await historyNames(db.sequelize), []);
  t.deepEqual(await tableNames(db.sequelize), [], 'stamp ran nothing');
});

eachDialect('an in-code baseline declares `replaces`: a fresh database runs it alone and records every name; a bad value is refused', async (t, db) => {
  const created: string[] = [];
  const create = (name: string) => async (queryInterface: import('sequelize').QueryInterface) => {
    created.push(name);
    await queryInterface.createTable(name, { id: { type: 'INTEGER', primaryKey: true } });
  };
  const migrations: InCodeMigration[] = [
    { name: '001-a.js', up: create('a') as InCodeMigration['up'] },
    { name: '002-b.js', up: create('b') as InCodeMigration['up'] },
    { name: '002-b_squashed.js', replaces: ['001-a.js', '002-b.js'], up: (async (qi: import('sequelize').QueryInterface) => (await create('a')(qi), create('b')(qi))) as InCodeMigration['up'] },
  ];
  await createMigrator({ sequelize: db.sequelize, migrations, logger: false }).upgrade();
  t.deepEqual(created, ['a', 'b'], 'the baseline ran, the originals did not');
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js', '002-b_squashed.js']);
  const bad = [{ name: '002-b_squashed.js', replaces: '001-a.js' as unknown as string[], up: async () => undefined }];
  await t.throwsAsync(createMigrator({ sequelize: db.sequelize, migrations: bad, logger: false }).status(), { message: /replaces.*must be an array/ });
});

eachDialect('an offline downgrade through a baseline reverts its range once and deletes the replaced rows with its own', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), FILES);
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  const check = async (label: string) => {
    const script = await migrator.sqlScript({ direction: 'down', from: 'head', to: 'base' });
    t.deepEqual(script.migrations.map((m) => m.name), ['003-c', '002-b_squashed'], `${label}: the originals' downs are not in it`);
    const history = script.migrations[1].history.join('\n');
    for (const name of ['001-a.js', '002-b.js', '002-b_squashed.js']) t.true(history.includes(name), `${label}: ${name} in ${history}`);
    t.is(script.to, null, label);
  };
  await check('files here');
  for (const name of ['001-a.js', '002-b.js']) rmSync(join(folder, name));
  await check('files deleted');
  // The script does what downgrade() does: its statements, run on a database at head, leave it empty.
  await migrator.upgrade();
  const script = await migrator.sqlScript({ direction: 'down', from: 'head', to: 'base' });
  for (const step of script.migrations) for (const sql of [...step.statements, ...step.history]) await db.sequelize.query(sql);
  t.deepEqual([await historyNames(db.sequelize), await tableNames(db.sequelize)], [[], []]);
});

eachDialect('a bundled baseline keeps its `replaces`: a fresh database upgraded from the bundle runs it alone, as from the folder', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), FILES);
  const { path } = writeBundleIndex(folder);
  const migrations = require(path) as InCodeMigration[];
  t.deepEqual(migrations.find((m) => m.name === '002-b_squashed.js')?.replaces, ['001-a.js', '002-b.js']);
  const applied = await createMigrator({ sequelize: db.sequelize, migrations, logger: false }).upgrade();
  t.deepEqual(applied.map((r) => r.name), ['002-b_squashed', '003-c']);
  t.deepEqual(await historyNames(db.sequelize), EVERY);
});
