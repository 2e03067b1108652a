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
