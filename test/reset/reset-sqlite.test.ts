/** reset() cases only SQLite has: an in-memory database, and a limit on compound SELECTs. */
import test from 'ava';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import { createMigrator, type InCodeMigration } from '../../lib';
import { ALL_DIALECTS } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { historyNames, tableNames, writeMigrations } from '../helpers/migrations';
import { counts, zeros } from './fixtures';

const sqliteOnly = { dialects: ['sqlite'] as const };
const runSqlite = ALL_DIALECTS.includes('sqlite') ? test : test.skip;

runSqlite('reset() on an in-memory database: empty, ids from 1, repaired after a dropped table', async (t) => {
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
  const qi = sequelize.getQueryInterface();
  const S = Sequelize as unknown as typeof import('sequelize');
  // In-code migrations: what an in-memory test database usually goes with.
  const migrations: InCodeMigration[] = [
    {
      name: '001-users',
      up: async ({ context }) => {
        await (context as typeof qi).createTable('users', { id: { type: S.INTEGER, primaryKey: true, autoIncrement: true }, email: { type: S.STRING } });
      },
    },
    {
      name: '002-posts',
      up: async ({ context }) => {
        await (context as typeof qi).createTable('posts', {
          id: { type: S.INTEGER, primaryKey: true, autoIncrement: true },
          userId: { type: S.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'RESTRICT' },
        });
      },
    },
  ];
  try {
    const migrator = createMigrator({ sequelize, migrations, logger: false });
    await migrator.reset();
    for (let round = 0; round < 2; round++) {
      await qi.bulkInsert('users', [{ email: 'a' }, { email: 'b' }]);
      await qi.bulkInsert('posts', [{ userId: 2 }]);
      await migrator.reset();
      t.deepEqual(await counts(sequelize, ['posts', 'users']), zeros(['posts', 'users']));
    }
    await qi.bulkInsert('users', [{ email: 'c' }]);
    t.deepEqual(await sequelize.query('SELECT id FROM users', { type: 'SELECT' as never }), [{ id: 1 }] as never);
    await qi.dropTable('posts');
    await migrator.reset();
    t.deepEqual(await tableNames(sequelize), ['posts', 'users']);
    t.deepEqual(await historyNames(sequelize), ['001-users', '002-posts']);
    t.deepEqual(await counts(sequelize, ['posts', 'users']), zeros(['posts', 'users']));
    // Foreign keys are enforced again on the one connection the application shares.
    await t.throwsAsync(qi.bulkInsert('posts', [{ userId: 42 }]));
  } finally {
    await sequelize.close();
  }
});

eachDialect(
  'reset() with more tables than a compound SELECT may list',
  async (t, db) => {
    const many = Array.from({ length: 520 }, (_, i) => `t${String(i).padStart(3, '0')}`);
    const folder = writeMigrations(join(db.dir, 'migrations'), {
      '20250101000000-many.js': `module.exports = { async up(qi, S) {
        for (const name of ${JSON.stringify(many)}) await qi.createTable(name, { id: { type: S.INTEGER, primaryKey: true, autoIncrement: true }, n: { type: S.INTEGER } });
      } };`,
    });
    const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
    await migrator.reset();
    const qi = db.sequelize.getQueryInterface();
    await qi.bulkInsert('t000', [{ n: 1 }]);
    await qi.bulkInsert('t519', [{ n: 1 }, { n: 2 }]);
    await migrator.reset();
    t.deepEqual(await counts(db.sequelize, ['t000', 't519']), zeros(['t000', 't519']));
    await qi.bulkInsert('t519', [{ n: 3 }]);
    t.deepEqual(await db.sequelize.query('SELECT id FROM t519', { type: 'SELECT' as never }), [{ id: 1 }] as never);
  },
  sqliteOnly,
);
