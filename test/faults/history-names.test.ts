/**
 * The history table's `name` column must hold every name a run records. A name longer than the
 * column used to fail late: on MySQL after the migration's DDL had committed (the history row was
 * rejected), on PostgreSQL after the migration ran (rolled back). Now such a name is refused
 * before anything runs, naming the migration and the column's length. And a history table that
 * cannot be created says so, not "Reading ... failed".
 */
import { join } from 'node:path';
import { createMigrator, type InCodeMigration, type MigrationNameError } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';
import { snapshot } from '../helpers/snapshot';

const quiet = { logger: false as const };

/** In-code migrations creating a table each; `b`'s name is 300 characters. */
function inCode(longName: string): InCodeMigration[] {
  const create = (table: string): InCodeMigration['up'] => async ({ context }) => {
    await context.createTable(table, { id: { type: 'INTEGER', primaryKey: true } });
  };
  return [
    { name: '001-a', up: create('a') },
    { name: longName, up: create('b') },
  ];
}

eachDialect('a pending migration name longer than the history table can hold is refused before anything runs', async (t, db) => {
  const q = (name: string) => (db.dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);
  // A history table sequelize-cli's users may have: a `name` column of 20 characters.
  await db.sequelize.query(`CREATE TABLE ${q('SequelizeMeta')} (name VARCHAR(20) NOT NULL PRIMARY KEY)`);
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a') });
  const make = (extra = {}) => createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet, ...extra });
  await make().upgrade();
  writeMigrations(folder, { '002-a-longer-name-x.js': createTableMigration('b'), '003-c.js': createTableMigration('c') });
  if (db.dialect === 'sqlite') {
    // SQLite stores any length in a VARCHAR(20): nothing to refuse.
    t.deepEqual((await make().upgrade()).map((s) => s.name), ['002-a-longer-name-x', '003-c']);
    t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-a-longer-name-x.js', '003-c.js']);
    return;
  }
  const before = await snapshot(db.sequelize);
  for (const [label, call] of [
    ['upgrade', () => make().upgrade()],
    ["upgrade, transaction: 'none'", () => make({ transaction: 'none' }).upgrade()],
    ['stamp', () => make().stamp('head')],
  ] as const) {
    const error = await rejectsWith<MigrationNameError>(t, call(), 'E_MIGRATION_NAME');
    t.is(error.subject, '002-a-longer-name-x', label);
    t.is(error.maxLength, 20);
    t.regex(error.message, /"002-a-longer-name-x\.js" has a name of 22 characters/);
    t.regex(error.message, /its `name` column is (VARCHAR|CHARACTER VARYING)\(20\), at most 20\. Nothing ran\./);
    t.regex(error.message, /changeColumn\('SequelizeMeta', 'name', \{ type: Sequelize\.STRING\(255\), allowNull: false \}\)/);
    t.is(await snapshot(db.sequelize), before, `${label}: nothing ran, no table was created`);
  }
  // Widened as the message says, the same migrations run.
  const S = db.sequelize.constructor as unknown as typeof import('sequelize');
  await db.sequelize.getQueryInterface().changeColumn('SequelizeMeta', 'name', { type: S.STRING(40), allowNull: false });
  t.deepEqual((await make().upgrade()).map((s) => s.name), ['002-a-longer-name-x', '003-c']);
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b', 'c']);
});

eachDialect('a 300-character in-code migration name fails up front where the database would reject it', async (t, db) => {
  const longName = `002-${'x'.repeat(296)}`;
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: inCode(longName), ...quiet });
  if (db.dialect === 'sqlite') {
    t.deepEqual((await migrator.upgrade()).map((s) => s.name.length), [5, 300]);
    return;
  }
  const before = await snapshot(db.sequelize);
  const error = await rejectsWith<MigrationNameError>(t, migrator.upgrade(), 'E_MIGRATION_NAME');
  t.is(error.subject, longName);
  t.is(error.maxLength, 255);
  t.regex(error.message, /has a name of 300 characters.*the `name` column this run would create is VARCHAR\(255\).*Nothing ran/);
  t.is(await snapshot(db.sequelize), before, 'not even the history table was created, and 001-a did not run');
  t.is(before, '');
});

eachDialect('a history table that cannot be created says so, not "Reading ... failed"', async (t, db) => {
  // Each database's own reason to refuse a CREATE TABLE that nothing else hints at: SQLite reserves
  // `sqlite_` names, PostgreSQL has a type of that name (tables are types too), MySQL refuses a
  // name ending in a space (errno 1103). Reading such a table finds nothing: the run goes on to create it.
  let tableName = 'SequelizeMeta';
  if (db.dialect === 'sqlite') tableName = 'sqlite_history';
  if (db.dialect === 'postgres') await db.sequelize.query(`CREATE TYPE "SequelizeMeta" AS ENUM ('x')`);
  if (db.dialect === 'mysql') tableName = 'history ';
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a') });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, tableName, ...quiet });
  const error = await rejectsWith(t, migrator.upgrade(), 'E_HISTORY_TABLE');
  t.is(error.subject, tableName);
  t.regex(error.message, new RegExp(`^Creating history table "${tableName}" failed: `));
  t.deepEqual(await tableNames(db.sequelize), [], '001-a did not run');
});
