import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { Sequelize } from 'sequelize';
import { createMigrator, MigrationError } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

const quiet = { logger: false as const };

async function code(t: import('ava').ExecutionContext, promise: Promise<unknown> | (() => unknown), expected: string): Promise<MigrationError> {
  const error = typeof promise === 'function' ? t.throws(promise as () => unknown) : await t.throwsAsync(promise);
  t.true(error instanceof MigrationError, `expected a MigrationError, got ${String(error)}`);
  t.is((error as MigrationError).code, expected as never);
  return error as MigrationError;
}

eachDialect('an applied migration whose file changed is refused, naming it; nothing runs', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a') });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet });
  await migrator.upgrade();
  appendFileSync(join(folder, '001-a.js'), '\n// edited\n');
  writeMigrations(folder, { '002-b.js': createTableMigration('b') });
  const error = await code(t, migrator.upgrade(), 'E_CHECKSUM');
  t.regex(error.message, /001-a\.js/);
  t.deepEqual(await tableNames(db.sequelize), ['a'], 'the pending 002-b did not run');
  // CRLF line endings are not an edit.
  writeFileSync(join(folder, '001-a.js'), createTableMigration('a').replace(/\n/g, '\r\n'));
  t.is((await migrator.upgrade()).length, 1);
});

eachDialect('a history row whose file is missing is refused, unless it is newer than every file', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a'), '002-b.js': createTableMigration('b') });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet });
  await migrator.upgrade();
  // A rollback deploy: the newest migration's file is not in this release.
  renameSync(join(folder, '002-b.js'), join(db.dir, '002-b.js'));
  t.deepEqual(await migrator.upgrade(), []);
  await code(t, migrator.downgrade(), 'E_MISSING_MIGRATION');
  // An older file missing is an error.
  renameSync(join(db.dir, '002-b.js'), join(folder, '002-b.js'));
  rmSync(join(folder, '001-a.js'));
  const error = await code(t, migrator.upgrade(), 'E_MISSING_MIGRATION');
  t.regex(error.message, /001-a\.js/);
});

eachDialect('a pending migration older than the newest applied is refused unless allowOutOfOrder', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), { '002-b.js': createTableMigration('b') });
  await createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet }).upgrade();
  writeMigrations(folder, { '001-a.js': createTableMigration('a') });
  const error = await code(t, createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet }).upgrade(), 'E_OUT_OF_ORDER');
  t.regex(error.message, /001-a\.js/);
  t.deepEqual(await tableNames(db.sequelize), ['b']);
  await createMigrator({ sequelize: db.sequelize, migrations: folder, allowOutOfOrder: true, ...quiet }).upgrade();
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b']);
});

eachDialect('unknown targets are errors naming the target, before anything changes', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a') });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet });
  const e1 = await code(t, migrator.upgrade({ to: '999-nope' }), 'E_UNKNOWN_TARGET');
  t.is(e1.subject, '999-nope');
  await code(t, migrator.stamp('999-nope'), 'E_UNKNOWN_TARGET');
  await migrator.upgrade();
  await code(t, migrator.downgrade({ to: '999-nope' }), 'E_UNKNOWN_TARGET');
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js']);
});

eachDialect('a history table of an unexpected shape is refused', async (t, db) => {
  await db.sequelize.query('CREATE TABLE "SequelizeMeta" (id INTEGER, label VARCHAR(20))'.replace(/"/g, db.dialect === 'mysql' ? '`' : '"'));
  await db.sequelize.query(`INSERT INTO ${db.dialect === 'mysql' ? '`SequelizeMeta`' : '"SequelizeMeta"'} (id, label) VALUES (1, 'x')`);
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a') });
  const error = await code(t, createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet }).upgrade(), 'E_HISTORY_TABLE');
  t.regex(error.message, /SequelizeMeta/);
  t.deepEqual(await tableNames(db.sequelize), []);
});

eachDialect('bad files are errors naming the file, and nothing runs', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), {
    '001-ok.js': createTableMigration('ok'),
    '002-syntax.js': 'module.exports = { async up( {',
  });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet });
  const e1 = await code(t, migrator.upgrade(), 'E_MIGRATION_LOAD');
  t.regex(e1.message, /002-syntax\.js/);
  t.deepEqual(await tableNames(db.sequelize), [], '001-ok did not run either: every module loads before anything runs');
  writeFileSync(join(folder, '002-syntax.js'), 'module.exports = { down() {} };');
  const e2 = await code(t, migrator.upgrade(), 'E_MIGRATION_SHAPE');
  t.regex(e2.message, /002-syntax\.js/);
  t.deepEqual(await tableNames(db.sequelize), []);
});

eachDialect('downgrade through a migration without down() is refused before anything is reverted', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), {
    '001-a.js': createTableMigration('a'),
    '002-nodown.js': `module.exports = { async up(qi, S) { await qi.createTable('n', { id: { type: S.INTEGER, primaryKey: true } }); } };`,
    '003-c.js': createTableMigration('c'),
  });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet });
  await migrator.upgrade();
  const error = await code(t, migrator.downgrade({ step: 2 }), 'E_NO_DOWN');
  t.is(error.subject, '002-nodown');
  t.deepEqual(await tableNames(db.sequelize), ['a', 'c', 'n'], '003-c was not reverted either');
});

test('a missing migrations folder, duplicate names and bad options are errors naming the culprit', async (t) => {
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
  const missing = createMigrator({ sequelize, migrations: '/nonexistent/migrations', ...quiet });
  const e1 = await code(t, missing.upgrade(), 'E_MIGRATIONS_FOLDER');
  t.regex(e1.message, /\/nonexistent\/migrations/);

  const dir = join(require('node:os').tmpdir(), `am-dup-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeMigrations(dir, { '001-a.js': createTableMigration('a'), '001-a.ts': createTableMigration('a') });
  const e2 = await code(t, createMigrator({ sequelize, migrations: dir, ...quiet }).upgrade(), 'E_DUPLICATE_MIGRATION');
  t.is(e2.subject, '001-a');
  rmSync(dir, { recursive: true, force: true });

  const e3 = await code(t, () => createMigrator({ sequelize, migrations: 'm', transacton: 'all' } as never), 'E_OPTIONS');
  t.regex(e3.message, /transacton/);
  t.regex(e3.message, /did you mean `transaction`/);
  await code(t, () => createMigrator({ sequelize, migrations: 'm', transaction: 'some' as never }), 'E_OPTIONS');
  await code(t, () => createMigrator({ sequelize, migrations: 'm', lock: { timeoutMs: -1 } }), 'E_OPTIONS');
  await code(t, () => createMigrator({ sequelize, migrations: 'm', lock: { timeout: 5 } as never }), 'E_OPTIONS');
  await code(t, () => createMigrator({ sequelize: {} as never, migrations: 'm' }), 'E_OPTIONS');
  await code(t, () => createMigrator({ sequelize, migrations: 'm', hooks: { afterEach() {} } as never }), 'E_OPTIONS');
  const m = createMigrator({ sequelize, migrations: [], ...quiet });
  await code(t, m.downgrade({ step: 1, to: 0 }), 'E_OPTIONS');
  await code(t, m.downgrade({ step: 0 }), 'E_OPTIONS');
  await code(t, m.upgrade({ target: 'x' } as never), 'E_OPTIONS');
  await code(t, createMigrator({ sequelize, migrations: [{ name: 'x', up: async () => {} }, { name: 'x', up: async () => {} }] }).status(), 'E_DUPLICATE_MIGRATION');
  await sequelize.close();
});

test('an unreachable database fails with a connection error, within the connect timeout', async (t) => {
  const sequelize = new Sequelize({ dialect: 'postgres', host: '127.0.0.1', port: 1, username: 'root', database: 'x', logging: false });
  const started = Date.now();
  const error = await code(t, createMigrator({ sequelize, migrations: [], ...quiet }).upgrade(), 'E_CONNECTION');
  t.regex(error.message, /127\.0\.0\.1:1/);
  t.true(Date.now() - started < 15_000);
  await sequelize.close();
});
