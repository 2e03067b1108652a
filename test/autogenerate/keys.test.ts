/**
 * Primary keys whose order is not the column order, and unique keys that repeat the primary key
 * (issue 12, item 5): generate + upgrade converges, diff() is empty afterwards, rows are kept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataTypes, QueryTypes, type Sequelize } from 'sequelize';
import { createMigrator, type Migrator } from '../../lib';
import { dialectOf } from '../../lib/dialects';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';

const q = (db: TestDatabase, name: string) => (db.dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);

/** The primary key of `table` as the database reports it, in key order. */
async function primaryKeyOf(sequelize: Sequelize, table: string): Promise<readonly string[]> {
  const schema = await dialectOf(sequelize).introspect(sequelize);
  return schema.tables.find((t) => t.name === table)?.primaryKey ?? [];
}

function migratorOn(db: TestDatabase, folder: string, define: (s: Sequelize) => void): { sequelize: Sequelize; migrator: Migrator } {
  const sequelize = db.connect();
  define(sequelize);
  return { sequelize, migrator: createMigrator({ sequelize, migrations: folder, logger: false, language: 'js' }) };
}

/** Memberships keyed (groupId, userId), declared in that order: the models' key order. */
function memberships(s: Sequelize, noteRequired: boolean): void {
  s.define(
    'Membership',
    {
      groupId: { type: DataTypes.INTEGER, primaryKey: true },
      userId: { type: DataTypes.INTEGER, primaryKey: true },
      note: { type: DataTypes.STRING(20), allowNull: !noteRequired, ...(noteRequired ? { defaultValue: '' } : {}) },
    },
    { tableName: 'memberships', timestamps: false },
  );
}

/** memberships with columns (userId, groupId, note), the given key, and rows `(userId, groupId, note), ...`. */
async function createMemberships(db: TestDatabase, key: readonly string[], values: string): Promise<void> {
  const columns = `${q(db, 'userId')}, ${q(db, 'groupId')}`;
  await db.sequelize.query(
    `CREATE TABLE memberships (${q(db, 'userId')} INTEGER NOT NULL, ${q(db, 'groupId')} INTEGER NOT NULL, note VARCHAR(20), ` +
      `PRIMARY KEY (${key.map((c) => q(db, c)).join(', ')}))`,
  );
  await db.sequelize.query(`INSERT INTO memberships (${columns}, note) VALUES ${values}`);
}

async function rows(sequelize: Sequelize, db: TestDatabase): Promise<unknown[]> {
  return sequelize.query(`SELECT ${q(db, 'userId')}, ${q(db, 'groupId')}, note FROM memberships ORDER BY ${q(db, 'userId')}, ${q(db, 'groupId')}`, {
    type: QueryTypes.SELECT,
  });
}

eachDialect('a composite primary key whose order differs from the column order survives a table rebuild and converges', async (t, db) => {
  // Columns (userId, groupId), key (groupId, userId): what a hand-written migration may leave.
  await createMemberships(db, ['groupId', 'userId'], "(1, 10, 'a'), (2, 10, 'b')");
  const folder = join(db.dir, 'migrations');
  const v1 = migratorOn(db, folder, (s) => memberships(s, false));
  t.deepEqual(await v1.migrator.diff(), [], 'same key, same columns: column order is not drift');

  // note becomes NOT NULL: SQLite rebuilds the table, the others alter the column.
  const v2 = migratorOn(db, folder, (s) => memberships(s, true));
  const result = await v2.migrator.generate('note required');
  t.truthy(result);
  if (db.dialect === 'sqlite') t.regex(readFileSync(result!.path, 'utf8'), /renameTable/, 'SQLite rebuilds');
  await v2.migrator.upgrade();
  t.deepEqual(await primaryKeyOf(v2.sequelize, 'memberships'), ['groupId', 'userId'], 'the key keeps its order');
  t.deepEqual(await v2.migrator.diff(), []);
  t.deepEqual(await rows(v2.sequelize, db), [
    { userId: 1, groupId: 10, note: 'a' },
    { userId: 2, groupId: 10, note: 'b' },
  ]);
});

eachDialect('a primary key reordered by the models is rebuilt in the models\' key order and converges', async (t, db) => {
  // Columns and key (userId, groupId); the models declare groupId first, so their key is (groupId, userId).
  await createMemberships(db, ['userId', 'groupId'], "(1, 10, 'a'), (2, 11, 'b')");
  const folder = join(db.dir, 'migrations');
  const v1 = migratorOn(db, folder, (s) => memberships(s, false));
  const result = await v1.migrator.generate('reorder key');
  t.truthy(result, 'the key order is drift');
  await v1.migrator.upgrade();
  t.deepEqual(await primaryKeyOf(v1.sequelize, 'memberships'), ['groupId', 'userId']);
  t.deepEqual(await v1.migrator.diff(), []);
  t.deepEqual(await rows(v1.sequelize, db), [
    { userId: 1, groupId: 10, note: 'a' },
    { userId: 2, groupId: 11, note: 'b' },
  ]);
  // And back down: the previous key order returns.
  await v1.migrator.downgrade();
  t.deepEqual(await primaryKeyOf(v1.sequelize, 'memberships'), ['userId', 'groupId']);
});

/**
 * Users and roles through user_roles. `ownKey`: the through model declares the pair as its key,
 * and Sequelize's belongsToMany then also declares a unique key on the same pair.
 */
function usersAndRoles(s: Sequelize, ownKey: boolean): void {
  const User = s.define('User', { name: DataTypes.STRING }, { tableName: 'users' });
  const Role = s.define('Role', { name: DataTypes.STRING }, { tableName: 'roles' });
  const keyColumns = ownKey
    ? { UserId: { type: DataTypes.INTEGER, primaryKey: true }, RoleId: { type: DataTypes.INTEGER, primaryKey: true } }
    : {};
  const UserRole = s.define('UserRole', { ...keyColumns, grantedBy: DataTypes.STRING }, { tableName: 'user_roles' });
  User.belongsToMany(Role, { through: UserRole });
  Role.belongsToMany(User, { through: UserRole });
}

eachDialect('a belongsToMany through table whose unique pair repeats its primary key is not drift', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const declared = migratorOn(db, folder, (s) => usersAndRoles(s, true));
  const through = declared.sequelize.models.UserRole!.getAttributes();
  t.truthy(through.UserId!.unique && through.UserId!.primaryKey, 'Sequelize declares the pair unique and the key');
  await declared.sequelize.sync();
  t.deepEqual(await declared.migrator.diff(), [], 'sync() and the models agree (PostgreSQL and SQLite do not create the unique key)');

  // The same table generated from the models on a fresh database, then compared again.
  await declared.sequelize.getQueryInterface().dropAllTables();
  t.truthy(await declared.migrator.generate('users and roles'));
  await declared.migrator.upgrade();
  t.deepEqual(await declared.migrator.diff(), []);
  t.deepEqual(await primaryKeyOf(declared.sequelize, 'user_roles'), ['UserId', 'RoleId']);
});

eachDialect('a unique key repeating the primary key that only the database has is not drift', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  // Sequelize's own key for the through table: the pair, with no unique key declared.
  const models = migratorOn(db, folder, (s) => usersAndRoles(s, false));
  await models.sequelize.sync();
  t.deepEqual(await primaryKeyOf(models.sequelize, 'user_roles'), ['UserId', 'RoleId']);
  // What a hand-written migration often adds besides the key. (Sequelize's SQLite addConstraint
  // copies the table and loses the constraint: a unique index there.)
  const qi = models.sequelize.getQueryInterface();
  if (db.dialect === 'sqlite') await qi.addIndex('user_roles', ['UserId', 'RoleId'], { unique: true, name: 'user_roles_pair_uk' });
  else await qi.addConstraint('user_roles', { type: 'unique', fields: ['UserId', 'RoleId'], name: 'user_roles_pair_uk' });
  const schema = await dialectOf(models.sequelize).introspect(models.sequelize);
  const uniques = schema.tables.find((table) => table.name === 'user_roles')!.indexes.filter((index) => index.unique);
  t.deepEqual(uniques.map((index) => index.columns), [['UserId', 'RoleId']], 'the database has the unique key');
  t.deepEqual(await models.migrator.diff(), []);
});
