/**
 * Models autogenerate refuses up front (issue 13, items 7 and 8): two models describing one table
 * differently, and names Sequelize cannot write on the dialect. Each refusal is a typed error from
 * diff(), generate() and check() that names the models and the table, writes no file and changes
 * nothing in the database.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { DataTypes, type Sequelize } from 'sequelize';
import { autoMigrate, createMigrator, ModelConflictError, ModelNameError, type Migrator } from '../../lib';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

function migratorOn(db: TestDatabase, define: (s: Sequelize) => void): { sequelize: Sequelize; migrator: Migrator; folder: string } {
  const folder = join(db.dir, `migrations-${Math.random().toString(36).slice(2)}`);
  mkdirSync(folder);
  const sequelize = db.connect();
  define(sequelize);
  return { sequelize, folder, migrator: createMigrator({ sequelize, migrations: folder, logger: false, language: 'js' }) };
}

/** Every table (the history table included) and the files of the migrations folder. */
async function state(sequelize: Sequelize, folder: string): Promise<string> {
  const files = existsSync(folder) ? readdirSync(folder) : [];
  return JSON.stringify({ tables: (await tableNames(sequelize, '')).sort(), files });
}

/** diff(), generate() and check() each reject with `code`, and nothing changes. Returns the errors. */
async function refusedEverywhere<E>(t: ExecutionContext, db: TestDatabase, migrator: Migrator, folder: string, code: string): Promise<E[]> {
  const before = await state(db.sequelize, folder);
  const errors: E[] = [];
  errors.push((await rejectsWith(t, migrator.diff(), code)) as E);
  errors.push((await rejectsWith(t, migrator.generate('refused'), code)) as E);
  errors.push((await rejectsWith(t, migrator.check(), code)) as E);
  t.is(await state(db.sequelize, folder), before, 'no file written, no table created');
  return errors;
}

const profile = { bio: DataTypes.TEXT, city: DataTypes.STRING(40) };

eachDialect('two models on one table with different columns are refused with E_MODEL_CONFLICT naming both', async (t, db) => {
  const { migrator, folder } = migratorOn(db, (s) => {
    s.define('Profile', profile, { tableName: 'profiles', timestamps: false });
    s.define('ProfileCard', { bio: DataTypes.TEXT, avatarUrl: DataTypes.STRING(200) }, { tableName: 'profiles', timestamps: false });
  });
  const errors = await refusedEverywhere<ModelConflictError>(t, db, migrator, folder, 'E_MODEL_CONFLICT');
  for (const error of errors) {
    t.true(error instanceof ModelConflictError);
    t.is(error.subject, 'profiles');
    t.deepEqual(error.models, ['Profile', 'ProfileCard']);
    t.deepEqual(error.differences, ['column "city" only in Profile', 'column "avatarUrl" only in ProfileCard']);
    for (const named of ['Profile', 'ProfileCard', '"profiles"', 'city', 'avatarUrl']) t.true(error.message.includes(named), `${named}: ${error.message}`);
  }
});

eachDialect('two models on one table that define a column differently are refused', async (t, db) => {
  const { migrator, folder } = migratorOn(db, (s) => {
    s.define('Profile', profile, { tableName: 'profiles', timestamps: false });
    s.define('ProfileCard', { ...profile, city: { type: DataTypes.STRING(40), allowNull: false } }, { tableName: 'profiles', timestamps: false });
  });
  const [error] = await refusedEverywhere<ModelConflictError>(t, db, migrator, folder, 'E_MODEL_CONFLICT');
  t.deepEqual(error!.differences, ['column "city" defined differently']);
});

eachDialect('two models on one table with identical columns stay allowed', async (t, db) => {
  const { migrator, sequelize } = migratorOn(db, (s) => {
    s.define('Profile', profile, { tableName: 'profiles', timestamps: false });
    s.define('ProfileAlias', profile, { tableName: 'profiles', timestamps: false });
  });
  t.deepEqual((await migrator.diff()).map((op) => op.kind), ['createTable']);
  t.truthy(await migrator.generate('profiles'));
  await migrator.upgrade();
  t.deepEqual(await migrator.diff(), []);
  t.deepEqual(await tableNames(sequelize), ['profiles']);
});

/** The character Sequelize strips from identifiers on each dialect. */
const stripped = (db: TestDatabase) => (db.dialect === 'postgres' ? '"' : '`');

eachDialect('a table name holding the quote character Sequelize strips is refused with E_MODEL_NAME', async (t, db) => {
  const table = `order${stripped(db)}items`;
  const { migrator, folder } = migratorOn(db, (s) => {
    s.define('OrderItem', { sku: DataTypes.STRING(20) }, { tableName: table, timestamps: false });
  });
  const errors = await refusedEverywhere<ModelNameError>(t, db, migrator, folder, 'E_MODEL_NAME');
  for (const error of errors) {
    t.true(error instanceof ModelNameError);
    t.is(error.subject, 'OrderItem');
    t.is(error.table, table);
    t.is(error.identifier, table);
    t.true(error.message.includes('OrderItem') && error.message.includes(JSON.stringify(table)), error.message);
  }
});

eachDialect('a column name holding the quote character Sequelize strips is refused with E_MODEL_NAME', async (t, db) => {
  const column = `size${stripped(db)}cm`;
  const { migrator, folder } = migratorOn(db, (s) => {
    s.define('OrderItem', { [column]: DataTypes.INTEGER }, { tableName: 'order_items', timestamps: false });
  });
  const [error] = await refusedEverywhere<ModelNameError>(t, db, migrator, folder, 'E_MODEL_NAME');
  t.is(error!.identifier, column);
  t.is(error!.table, 'order_items');
});

eachDialect('a double quote in a table name round-trips where Sequelize quotes with backticks', async (t, db) => {
  const { migrator, sequelize } = migratorOn(db, (s) => {
    s.define('OrderItem', { sku: DataTypes.STRING(20) }, { tableName: 'order"items', timestamps: false });
  });
  t.truthy(await migrator.generate('order items'));
  await migrator.upgrade();
  t.deepEqual(await tableNames(sequelize), ['order"items']);
  t.deepEqual(await migrator.diff(), []);
}, { dialects: ['sqlite', 'mysql'] });

eachDialect("autoMigrate: conflicting models are a warning under onDrift 'warn' and E_MODEL_CONFLICT under 'throw', after upgrading", async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'boot'), { '001-a.js': createTableMigration('a') });
  const models = db.connect();
  models.define('Profile', profile, { tableName: 'profiles', timestamps: false });
  models.define('ProfileCard', { bio: DataTypes.TEXT }, { tableName: 'profiles', timestamps: false });
  const warnings: string[] = [];
  const logger = { info() {}, warn: (message: string) => void warnings.push(message), error() {} };
  const booted = await autoMigrate({ sequelize: models, migrations: folder, logger, onDrift: 'warn' });
  t.deepEqual(booted.applied.map((step) => step.name), ['001-a']);
  t.deepEqual(booted.drift, []);
  t.is(warnings.length, 1);
  t.regex(warnings[0] ?? '', /Models "Profile" and "ProfileCard" both map to table "profiles"/);
  const error = await rejectsWith<ModelConflictError>(t, autoMigrate({ sequelize: models, migrations: folder, logger: false, onDrift: 'throw' }), 'E_MODEL_CONFLICT');
  t.deepEqual(error.models, ['Profile', 'ProfileCard']);
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js']);
});
