import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataTypes, QueryTypes, type Sequelize } from 'sequelize';
import { createMigrator, type RenameError } from '../../lib';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { tableNames } from '../helpers/migrations';

/** users 1-n posts with an ON DELETE CASCADE key; v2 renames a column of each and the posts table. */
function models(db: TestDatabase, version: 1 | 2): Sequelize {
  const sequelize = db.connect();
  const User = sequelize.define(
    'User',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      [version === 1 ? 'name' : 'fullName']: { type: DataTypes.STRING(100), allowNull: false, defaultValue: 'anonymous' },
      email: { type: DataTypes.STRING(100), allowNull: false, unique: true },
      // PostgreSQL names the type after table and column: it follows the rename.
      [version === 1 ? 'role' : 'kind']: { type: DataTypes.ENUM('admin', 'member'), allowNull: true },
    },
    { tableName: 'users', timestamps: false },
  );
  const Post = sequelize.define(
    'Post',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      [version === 1 ? 'body' : 'content']: { type: DataTypes.TEXT, allowNull: true },
      mood: { type: DataTypes.ENUM('calm', 'loud'), allowNull: true },
    },
    { tableName: version === 1 ? 'posts' : 'articles', timestamps: false, indexes: [] },
  );
  Post.belongsTo(User, { foreignKey: { name: 'userId', allowNull: false }, onDelete: 'CASCADE' });
  return sequelize;
}

const select = <T>(s: Sequelize, sql: string, db: TestDatabase) =>
  s.query(db.dialect === 'mysql' ? sql.replace(/"/g, '`') : sql, { type: QueryTypes.SELECT }) as Promise<T[]>;

eachDialect('renames keep rows, AUTOINCREMENT, ON DELETE CASCADE and unique keys; down renames back', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const migrator = (s: Sequelize) => createMigrator({ sequelize: s, migrations: folder, logger: false, language: 'js' });
  const v1 = models(db, 1);
  await migrator(v1).generate('v1');
  await migrator(v1).upgrade();
  const run = (sql: string) => v1.query(db.dialect === 'mysql' ? sql.replace(/"/g, '`') : sql);
  await run(`INSERT INTO users (name, email, role) VALUES ('Ada', 'ada@x', 'admin'), ('Bob', 'bob@x', NULL)`);
  await run(`INSERT INTO posts (body, "userId") VALUES ('hello', 1), ('world', 2)`);

  const v2 = models(db, 2);
  const renames = { 'users.name': 'fullName', 'users.role': 'kind', posts: 'articles', 'posts.body': 'content' };
  const result = await migrator(v2).generate('renames', { renames });
  t.truthy(result);
  t.deepEqual(
    result!.operations.map((op) => op.kind),
    ['renameTable', 'renameColumn', 'renameColumn', 'renameColumn', ...(db.dialect === 'postgres' ? ['renameEnum', 'renameEnum'] : [])],
    'only the renames (and on PostgreSQL the enum types named after them): nothing dropped, nothing added',
  );
  t.deepEqual(result!.risks, []);
  const source = readFileSync(result!.path, 'utf8');
  t.notRegex(source, /queryInterface\.renameColumn/, "never Sequelize's lossy renameColumn");
  t.regex(source, /RENAME COLUMN/);
  await migrator(v2).upgrade();
  t.deepEqual(await migrator(v2).diff(), [], 'the renamed schema matches the models');
  t.deepEqual(await select(v2, 'SELECT "fullName" AS n FROM users ORDER BY id', db), [{ n: 'Ada' }, { n: 'Bob' }]);
  t.deepEqual(await select(v2, 'SELECT content AS c FROM articles ORDER BY id', db), [{ c: 'hello' }, { c: 'world' }]);
  t.deepEqual(await select(v2, 'SELECT kind AS k FROM users ORDER BY id', db), [{ k: 'admin' }, { k: null }]);

  // The key still cascades, the default and the unique key still hold, ids keep counting.
  const run2 = (sql: string) => v2.query(db.dialect === 'mysql' ? sql.replace(/"/g, '`') : sql);
  await run2('DELETE FROM users WHERE id = 1');
  t.deepEqual(await select(v2, 'SELECT content AS c FROM articles ORDER BY id', db), [{ c: 'world' }], 'ON DELETE CASCADE kept');
  await run2(`INSERT INTO users (email) VALUES ('cy@x')`);
  t.deepEqual(await select(v2, `SELECT id, "fullName" AS n FROM users WHERE email = 'cy@x'`, db), [{ id: 3, n: 'anonymous' }], 'AUTOINCREMENT (no id reuse) and the default kept');
  await t.throwsAsync(run2(`INSERT INTO users (email) VALUES ('cy@x')`), undefined, 'the unique key kept');
  if (db.dialect === 'sqlite') {
    const [row] = await select<{ sql: string }>(v2, `SELECT sql FROM sqlite_master WHERE name = 'articles'`, db);
    t.regex(row!.sql, /AUTOINCREMENT/);
    t.regex(row!.sql, /ON DELETE CASCADE/);
  }

  await migrator(v2).downgrade();
  t.deepEqual(await migrator(v1).diff(), [], 'down renames back to v1');
  t.deepEqual(await select(v1, 'SELECT body AS b FROM posts ORDER BY id', db), [{ b: 'world' }]);
  t.deepEqual((await tableNames(v1)).sort(), ['posts', 'users']);
});

eachDialect('a rename that names no dropped + added pair is E_RENAME naming it, and writes no file', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const migrator = (s: Sequelize) => createMigrator({ sequelize: s, migrations: folder, logger: false, language: 'js' });
  const v1 = models(db, 1);
  await migrator(v1).generate('v1');
  await migrator(v1).upgrade();
  const files = readdirSync(folder);
  const v2 = models(db, 2);
  const bad: Record<string, string>[] = [{ 'users.nickname': 'fullName' }, { 'users.name': 'surname' }, { comments: 'articles' }, { 'users.email': 'fullName' }];
  for (const renames of bad) {
    const error = await rejectsWith<RenameError>(t, migrator(v2).generate('bad', { renames }), 'E_RENAME');
    t.is(error.rename, Object.keys(renames)[0]);
    t.true(error.message.includes(Object.keys(renames)[0]!), error.message);
  }
  t.deepEqual(readdirSync(folder), files, 'no file written');
});
