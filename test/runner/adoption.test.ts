import { join } from 'node:path';
import { SequelizeStorage, Umzug } from 'umzug';
import { createMigrator } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

for (const timestamps of [false, true]) {
  eachDialect(`a database migrated by umzug (SequelizeStorage${timestamps ? ' with timestamps' : ''}) is adopted with no step, and umzug reads our rows`, async (t, db) => {
    const folder = writeMigrations(join(db.dir, 'migrations'), {
      '20200101000000-users.js': createTableMigration('users'),
      '20200102000000-posts.js': createTableMigration('posts'),
    });
    const umzug = new Umzug({
      migrations: {
        glob: ['*.js', { cwd: folder }],
        resolve: ({ name, path, context }) => {
          const m = require(path!);
          return { name, up: () => m.up(context, db.sequelize.constructor), down: () => m.down(context, db.sequelize.constructor) };
        },
      },
      context: db.sequelize.getQueryInterface(),
      storage: new SequelizeStorage({ sequelize: db.sequelize, timestamps }),
      logger: undefined,
    });
    await umzug.up();
    t.deepEqual(await historyNames(db.sequelize), ['20200101000000-users.js', '20200102000000-posts.js']);

    writeMigrations(folder, { '20200103000000-tags.js': createTableMigration('tags') });
    const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
    t.deepEqual((await migrator.status()).pending, ['20200103000000-tags'], 'umzug rows count as applied');
    t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['20200103000000-tags']);
    t.deepEqual(await tableNames(db.sequelize), ['posts', 'tags', 'users']);
    const status = await migrator.status();
    t.is(status.applied.find((a) => a.name === '20200101000000-users')!.checksum, null, 'rows umzug wrote have no checksum');

    // umzug still works on the table we extended: it sees all three as executed.
    t.deepEqual((await umzug.executed()).map((m) => m.name), ['20200101000000-users.js', '20200102000000-posts.js', '20200103000000-tags.js']);
    await umzug.down();
    t.deepEqual(await tableNames(db.sequelize), ['posts', 'users']);
  });
}

eachDialect("a sequelize-cli SequelizeMeta (name only) is adopted, and the same migration from .ts and .js is one migration", async (t, db) => {
  const q = db.dialect === 'mysql' ? '`' : '"';
  // What sequelize-cli creates: a single `name` column, file names with their extension.
  await db.sequelize.query(`CREATE TABLE ${q}SequelizeMeta${q} (name VARCHAR(255) NOT NULL UNIQUE PRIMARY KEY)`);
  await db.sequelize.query(`INSERT INTO ${q}SequelizeMeta${q} (name) VALUES ('20200101000000-users.js')`);
  await db.sequelize.getQueryInterface().createTable('users', { id: { type: 'INTEGER', primaryKey: true } });
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '20200101000000-users.js': createTableMigration('users'),
    '20200102000000-posts.js': createTableMigration('posts'),
  });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['20200102000000-posts']);
  t.deepEqual(await historyNames(db.sequelize), ['20200101000000-users.js', '20200102000000-posts.js']);

  // Development runs the TypeScript sources of the same migrations: nothing is pending.
  const tsFolder = writeMigrations(join(db.dir, 'src-migrations'), {
    '20200101000000-users.ts': createTableMigration('users'),
    '20200102000000-posts.ts': createTableMigration('posts').replace("'use strict';", "'use strict'; // compiled differently"),
  });
  const dev = createMigrator({ sequelize: db.sequelize, migrations: tsFolder, logger: false });
  t.deepEqual((await dev.status()).pending, []);
  t.deepEqual(await dev.upgrade(), [], 'a .ts source and its .js build are one migration; their checksums are not compared');
});
