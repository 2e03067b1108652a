import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataTypes, type ModelAttributes, type Sequelize } from 'sequelize';
import { createMigrator, type MigratorOptions } from '../../lib';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { tableNames } from '../helpers/migrations';

/** A migrator over one version of a single-model set. */
function version(db: TestDatabase, folder: string, attributes: ModelAttributes, extra: Partial<MigratorOptions> = {}, indexes: object[] = []) {
  const sequelize: Sequelize = db.connect();
  sequelize.define('Item', attributes, { tableName: 'items', timestamps: false, indexes: indexes as never });
  return { sequelize, migrator: createMigrator({ sequelize, migrations: folder, logger: false, language: 'js', ...extra }) };
}

const q = (db: TestDatabase, name: string) => (db.dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);

eachDialect('enum values added, comments changed, then the table dropped: each step generates, applies and leaves no drift', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const v1 = version(db, folder, { state: { type: DataTypes.ENUM('draft', 'live'), allowNull: false, defaultValue: 'draft', comment: 'publication state' } });
  await v1.migrator.generate('v1');
  await v1.migrator.upgrade();
  t.deepEqual(await v1.migrator.diff(), []);
  await v1.sequelize.query(`INSERT INTO items (state) VALUES ('live')`);

  const v2 = version(db, folder, { state: { type: DataTypes.ENUM('draft', 'live', 'archived'), allowNull: false, defaultValue: 'draft', comment: 'where the item is' } });
  const second = await v2.migrator.generate('more states');
  if (db.dialect === 'sqlite') {
    t.is(second, null, 'SQLite stores ENUM as TEXT and no comments: nothing to migrate');
  } else {
    t.truthy(second);
    await v2.migrator.upgrade();
    t.deepEqual(await v2.migrator.diff(), []);
    await v2.sequelize.query(`INSERT INTO items (state) VALUES ('archived')`);
    const rows = (await v2.sequelize.query('SELECT state FROM items ORDER BY id', { type: 'SELECT' as never })) as unknown as { state: string }[];
    t.deepEqual(rows.map((r) => r.state), ['live', 'archived']);
  }

  // The models drop the table: the PostgreSQL enum type goes with it.
  const empty = db.connect();
  const m3 = createMigrator({ sequelize: empty, migrations: folder, logger: false, language: 'js' });
  // The table holds rows: dropping it is data loss, written only when allowed.
  await t.throwsAsync(m3.generate('drop items'), { code: 'E_DATA_LOSS' } as never);
  t.truthy(await m3.generate('drop items', { allowDataLoss: true }));
  await m3.upgrade();
  t.deepEqual(await tableNames(empty), []);
  if (db.dialect === 'postgres') {
    const types = (await empty.query("SELECT typname FROM pg_type WHERE typname LIKE 'enum_items%'", { type: 'SELECT' as never })) as unknown[];
    t.deepEqual(types, [], 'the unused enum type was dropped');
  }
  t.deepEqual(await m3.diff(), []);
});

eachDialect("include leaves other tools' tables alone; the history table is never reported", async (t, db) => {
  await db.sequelize.query(`CREATE TABLE ${q(db, 'sessions')} (sid VARCHAR(36) PRIMARY KEY, data TEXT)`);
  const folder = join(db.dir, 'migrations');
  mkdirSync(folder, { recursive: true });
  const all = version(db, folder, { name: { type: DataTypes.STRING } });
  await all.migrator.upgrade(); // creates the history table
  const kinds = (await all.migrator.diff()).map((op) => `${op.kind}:${'table' in op && 'name' in op.table ? op.table.name : ''}`);
  t.true(kinds.includes('dropTable:sessions'), 'without a filter, a table the models lack is drift');
  t.false(kinds.some((k) => k.includes('SequelizeMeta')), 'the history table is never drift');
  const filtered = version(db, folder, { name: { type: DataTypes.STRING } }, { include: (o) => !(o.kind === 'table' && o.name === 'sessions') });
  const ops = await filtered.migrator.diff();
  t.deepEqual(ops.map((op) => op.kind), ['createTable']);
  await filtered.migrator.generate('items');
  await filtered.migrator.upgrade();
  t.deepEqual(await filtered.migrator.diff(), []);
  t.true((await tableNames(db.sequelize)).includes('sessions'));
});

eachDialect('an expression index in the database neither crashes introspection nor is dropped', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const v1 = version(db, folder, { email: { type: DataTypes.STRING(100), allowNull: false } });
  await v1.migrator.generate('v1');
  await v1.migrator.upgrade();
  // MariaDB has no expression indexes: a prefix-free virtual-column index is the closest thing.
  if (db.dialect === 'mysql') await db.sequelize.query('CREATE INDEX items_email_lower ON items ((lower(email)))').catch(() => undefined);
  else await db.sequelize.query('CREATE UNIQUE INDEX items_email_lower ON items (lower(email))');
  t.deepEqual(await v1.migrator.diff(), []);
});

eachDialect('a dropped and an added column of the same type are marked as a possible rename in the file', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const v1 = version(db, folder, { fullname: { type: DataTypes.STRING(80) } });
  await v1.migrator.generate('v1');
  await v1.migrator.upgrade();
  const v2 = version(db, folder, { displayName: { type: DataTypes.STRING(80) } });
  const result = await v2.migrator.generate('rename');
  const source = readFileSync(result!.path, 'utf8');
  t.regex(source, /NOTE[^\n]*rename/i);
  t.regex(source, /renameColumn/);
  await v2.migrator.upgrade();
  t.deepEqual(await v2.migrator.diff(), []);
});

eachDialect('a change SQLite cannot ALTER rebuilds the table keeping rows, indexes, unique constraints and foreign keys', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const define = (s: Sequelize, strict: boolean) => {
    const Owner = s.define('Owner', { name: DataTypes.STRING }, { tableName: 'owners', timestamps: false });
    const Item = s.define(
      'Item',
      { code: { type: DataTypes.STRING(20), allowNull: strict ? false : true, unique: true }, note: { type: DataTypes.STRING(50), allowNull: true } },
      { tableName: 'items', timestamps: false, indexes: [{ name: 'items_note', fields: ['note'] }] },
    );
    Item.belongsTo(Owner, { foreignKey: { name: 'ownerId', allowNull: true }, onDelete: 'CASCADE' });
  };
  const s1 = db.connect();
  define(s1, false);
  const m1 = createMigrator({ sequelize: s1, migrations: folder, logger: false, language: 'js' });
  await m1.generate('v1');
  await m1.upgrade();
  await s1.query("INSERT INTO owners (id, name) VALUES (1, 'o')");
  await s1.query("INSERT INTO items (code, note, \"ownerId\") VALUES ('a', 'n', 1)".replace(/"/g, db.dialect === 'mysql' ? '`' : '"'));
  const s2 = db.connect();
  define(s2, true);
  const m2 = createMigrator({ sequelize: s2, migrations: folder, logger: false, language: 'js' });
  const result = await m2.generate('code required');
  if (db.dialect === 'sqlite') t.regex(readFileSync(result!.path, 'utf8'), /renameTable/, 'SQLite gets a rebuild');
  await m2.upgrade();
  t.deepEqual(await m2.diff(), [], 'the rebuilt table matches the models: same indexes, unique and foreign key');
  const rows = (await s2.query('SELECT code, note FROM items', { type: 'SELECT' as never })) as unknown[];
  t.deepEqual(rows, [{ code: 'a', note: 'n' }]);
  await s2.query('DELETE FROM owners');
  const left = (await s2.query('SELECT code FROM items', { type: 'SELECT' as never })) as unknown[];
  t.deepEqual(left, [], 'the foreign key still cascades');
  await m2.downgrade();
  const s3 = db.connect();
  define(s3, false);
  t.deepEqual(await createMigrator({ sequelize: s3, migrations: folder, logger: false }).diff(), []);
});

eachDialect('a column with both unique and a default changes without the PostgreSQL "SET DEFAULT ... UNIQUE" error', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const v1 = version(db, folder, { rank: { type: DataTypes.INTEGER, allowNull: false, unique: true, defaultValue: 42 } });
  await v1.migrator.generate('v1');
  await v1.migrator.upgrade();
  const v2 = version(db, folder, { rank: { type: DataTypes.INTEGER, allowNull: false, unique: true, defaultValue: 7 } });
  const result = await v2.migrator.generate('new default');
  t.truthy(result);
  await v2.migrator.upgrade();
  t.deepEqual(await v2.migrator.diff(), []);
  await v2.migrator.downgrade();
  t.deepEqual(await v1.migrator.diff(), []);
});
