/**
 * SQLite table rebuilds, run for real with foreign key enforcement off as the runner runs them:
 * rows, indexes, foreign keys, and the rows of tables that reference the rebuilt one survive.
 */
import { DataTypes } from 'sequelize';
import { eachDialect } from '../helpers/each-dialect';
import type { Table } from '../../types/schema';
import { columnsOf, foreignKeysOf, indexesOf, rows, uniqueColumnSets } from './inspect';
import { column, foreignKey, id, index, loadMigration, table, unique } from './schema-builders';

const sqliteOnly = { dialects: ['sqlite'] as const };

const usersBefore: Table = table(
  'users',
  [
    id(),
    column('name', { name: 'STRING', length: 50 }),
    column('email', { name: 'STRING', length: 100 }),
    column('legacy', { name: 'INTEGER' }),
    column('team_id', { name: 'INTEGER' }),
  ],
  {
    indexes: [unique(['email'], 'sqlite_autoindex_users_1'), index(['name'], { name: 'users_name' })],
    foreignKeys: [foreignKey(['team_id'], 'teams', { onDelete: 'CASCADE' })],
  },
);

const usersAfter: Table = table(
  'users',
  [
    id(),
    column('name', { name: 'STRING', length: 80 }, { allowNull: false, defaultValue: { kind: 'value', value: 'anon' } }),
    column('email', { name: 'STRING', length: 100 }),
    column('team_id', { name: 'INTEGER' }),
    column('age', { name: 'INTEGER' }, { allowNull: false, defaultValue: { kind: 'value', value: 0 } }),
  ],
  {
    indexes: [unique(['email']), index(['name'], { name: 'users_name' }), index(['team_id', 'age'], { name: 'users_team_age' })],
    foreignKeys: [foreignKey(['team_id'], 'teams', { onDelete: 'CASCADE' })],
  },
);

async function createSchema(db: { sequelize: import('sequelize').Sequelize }): Promise<void> {
  const qi = db.sequelize.getQueryInterface();
  await qi.createTable('teams', { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true } });
  await qi.createTable('users', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    name: { type: DataTypes.STRING(50) },
    email: { type: DataTypes.STRING(100), unique: true },
    legacy: { type: DataTypes.INTEGER },
    team_id: { type: DataTypes.INTEGER, references: { model: 'teams', key: 'id' }, onDelete: 'CASCADE' },
  });
  await qi.addIndex('users', ['name'], { name: 'users_name' });
  await qi.createTable('posts', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    user_id: { type: DataTypes.INTEGER, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
  });
  await db.sequelize.query('INSERT INTO teams (id) VALUES (1), (2)');
  await db.sequelize.query(
    "INSERT INTO users (id, name, email, legacy, team_id) VALUES (1, NULL, 'a@x', 7, 1), (2, 'bob', 'b@x', 8, 2)",
  );
  await db.sequelize.query('INSERT INTO posts (id, user_id) VALUES (10, 1), (11, 1), (12, 2)');
}

eachDialect(
  'rebuildTable keeps rows, indexes, foreign keys and the rows that reference it; down rebuilds back',
  async (t, db) => {
    await createSchema(db);
    // The runner's doing for SQLite migrations; non-transaction queries share one connection.
    await db.sequelize.query('PRAGMA foreign_keys = OFF');
    const migration = loadMigration(
      db,
      [{ kind: 'rebuildTable', from: usersBefore, to: usersAfter }],
      [{ kind: 'rebuildTable', from: usersAfter, to: usersBefore }],
    );
    t.false(/PRAGMA foreign_keys\s*=/i.test(migration.source));
    await migration.up();

    t.deepEqual(await rows(db.sequelize, 'SELECT id, name, email, team_id, age FROM users ORDER BY id'), [
      { id: 1, name: 'anon', email: 'a@x', team_id: 1, age: 0 },
      { id: 2, name: 'bob', email: 'b@x', team_id: 2, age: 0 },
    ]);
    const columns = await columnsOf(db.sequelize, 'users');
    t.deepEqual(Object.keys(columns), ['id', 'name', 'email', 'team_id', 'age']);
    t.is(columns.name?.type, 'VARCHAR(80)');
    t.false(columns.name?.allowNull);
    t.deepEqual(
      (await indexesOf(db.sequelize, 'users')).filter((i) => !i.unique).map((i) => [i.name, i.columns.join(',')]),
      [
        ['users_name', 'name'],
        ['users_team_age', 'team_id,age'],
      ],
    );
    t.deepEqual(await uniqueColumnSets(db.sequelize, 'users'), ['email']);
    t.deepEqual(
      (await foreignKeysOf(db.sequelize, 'users')).map((fk) => [fk.column, fk.referencedTable, fk.referencedColumn]),
      [['team_id', 'teams', 'id']],
    );
    t.deepEqual(await rows(db.sequelize, 'SELECT id, user_id FROM posts ORDER BY id'), [
      { id: 10, user_id: 1 },
      { id: 11, user_id: 1 },
      { id: 12, user_id: 2 },
    ]);
    t.deepEqual(await rows(db.sequelize, 'PRAGMA foreign_key_check'), []);
    t.deepEqual(await rows(db.sequelize, "SELECT name FROM sqlite_master WHERE name LIKE '%automigrate%'"), []);

    await migration.down();
    t.deepEqual(await rows(db.sequelize, 'SELECT id, name, email, legacy, team_id FROM users ORDER BY id'), [
      { id: 1, name: 'anon', email: 'a@x', legacy: null, team_id: 1 },
      { id: 2, name: 'bob', email: 'b@x', legacy: null, team_id: 2 },
    ]);
    t.deepEqual(Object.keys(await columnsOf(db.sequelize, 'users')), ['id', 'name', 'email', 'legacy', 'team_id']);
    t.deepEqual((await indexesOf(db.sequelize, 'users')).filter((i) => !i.unique).map((i) => i.name), ['users_name']);
    t.deepEqual(await rows(db.sequelize, 'PRAGMA foreign_key_check'), []);
    t.is((await rows(db.sequelize, 'SELECT id FROM posts')).length, 3);

    // With enforcement back on, the references into the rebuilt table still cascade.
    await db.sequelize.query('PRAGMA foreign_keys = ON');
    await db.sequelize.query('DELETE FROM teams WHERE id = 1');
    t.deepEqual(await rows(db.sequelize, 'SELECT id FROM users'), [{ id: 2 }]);
    t.deepEqual(await rows(db.sequelize, 'SELECT id FROM posts'), [{ id: 12 }]);
  },
  sqliteOnly,
);

eachDialect(
  'rebuildTable: a new NOT NULL column without default fails the copy, and the file says why',
  async (t, db) => {
    await createSchema(db);
    await db.sequelize.query('PRAGMA foreign_keys = OFF');
    const strict = { ...usersBefore, columns: [...usersBefore.columns, column('rank', { name: 'INTEGER' }, { allowNull: false })] };
    const migration = loadMigration(db, [{ kind: 'rebuildTable', from: usersBefore, to: strict }], []);
    t.true(migration.source.includes('// NOTE: new column rank is NOT NULL without a default'));
    const error = await t.throwsAsync(migration.up());
    t.is((error as { original?: { code?: string } } | undefined)?.original?.code, 'SQLITE_CONSTRAINT');
    t.is((await rows(db.sequelize, 'SELECT id FROM users')).length, 2);
  },
  sqliteOnly,
);

eachDialect(
  'rebuildTable with a composite foreign key adds it before the indexes',
  async (t, db) => {
    const qi = db.sequelize.getQueryInterface();
    await qi.createTable('pairs', { a: { type: DataTypes.INTEGER }, b: { type: DataTypes.INTEGER } }, { uniqueKeys: { pairs_ab: { fields: ['a', 'b'] } } });
    await qi.createTable('links', { id: { type: DataTypes.INTEGER, primaryKey: true }, a: { type: DataTypes.INTEGER }, b: { type: DataTypes.INTEGER } });
    await db.sequelize.query('INSERT INTO pairs (a, b) VALUES (1, 2)');
    await db.sequelize.query('INSERT INTO links (id, a, b) VALUES (1, 1, 2)');
    await db.sequelize.query('PRAGMA foreign_keys = OFF');
    const before = table('links', [column('id', { name: 'INTEGER' }, { allowNull: false }), column('a', { name: 'INTEGER' }), column('b', { name: 'INTEGER' })]);
    const after: Table = {
      ...before,
      indexes: [index(['a'], { name: 'links_a' })],
      foreignKeys: [foreignKey(['a', 'b'], 'pairs', { referencedColumns: ['a', 'b'], onDelete: 'CASCADE' })],
    };
    const migration = loadMigration(db, [{ kind: 'rebuildTable', from: before, to: after }], []);
    await migration.up();
    t.deepEqual(
      (await rows<{ from: string; to: string; table: string; on_delete: string }>(db.sequelize, 'PRAGMA foreign_key_list(links)')).map(
        (fk) => [fk.from, fk.to, fk.table, fk.on_delete],
      ),
      [
        ['a', 'a', 'pairs', 'CASCADE'],
        ['b', 'b', 'pairs', 'CASCADE'],
      ],
    );
    t.deepEqual((await indexesOf(db.sequelize, 'links')).map((i) => i.name), ['links_a']);
    t.deepEqual(await rows(db.sequelize, 'SELECT id, a, b FROM links'), [{ id: 1, a: 1, b: 2 }]);
    t.deepEqual(await rows(db.sequelize, 'PRAGMA foreign_key_check'), []);
  },
  sqliteOnly,
);
