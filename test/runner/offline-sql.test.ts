/**
 * Offline SQL (`sql()`, `upgrade --sql`): the script is executed by the database's own client
 * (psql, mysql, sqlite3) on a fresh database, and must reach what `upgrade()` reaches on another
 * fresh database: the same schema (introspected; diff empty) and the same history rows (but for
 * when and how long). Nothing is executed while the script is written.
 */
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { Sequelize } from 'sequelize';
import { createMigrator, MigrationError, OfflineReadError } from '../../lib';
import { dialectOf } from '../../lib/dialects';
import { diffSchemas } from '../../lib/diff/diff-schemas';
import { eachDialect } from '../helpers/each-dialect';
import { withDatabase } from '../helpers/databases';
import { tableNames, writeMigrations } from '../helpers/migrations';
import { PROJECT, runWithClient } from '../helpers/offline-sql';

async function schemaOf(sequelize: Sequelize) {
  const dialect = dialectOf(sequelize);
  const schema = await dialect.introspect(sequelize, {});
  return { ...schema, tables: schema.tables.map((table) => dialect.normalizeTable(table)) };
}

/** Same schema (deep equal, and the differ finds nothing to do) and same history rows, but for time. */
async function assertSameState(t: ExecutionContext, scripted: Sequelize, online: Sequelize, folder: string): Promise<void> {
  const [a, b] = [await schemaOf(scripted), await schemaOf(online)];
  const dialect = dialectOf(online);
  t.deepEqual(diffSchemas(a, b, { capabilities: dialect.capabilities, normalize: (x) => x }).operations, []);
  t.deepEqual(a, b);
  const rows = async (s: Sequelize) =>
    (await createMigrator({ sequelize: s, migrations: folder, logger: false }).status()).applied.map(({ name, storedName, checksum, appliedAt }) => ({ name, storedName, checksum, stamped: appliedAt instanceof Date && !Number.isNaN(appliedAt.getTime()) }));
  t.deepEqual(await rows(scripted), await rows(online));
}

eachDialect('the offline base:head script, run by the database client on a fresh database, reaches what upgrade() reaches', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), PROJECT);
  const script = await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).sql({ from: 'base' });
  t.deepEqual(await tableNames(db.sequelize, ''), [], 'writing the script executed nothing');
  runWithClient(db, script);
  await withDatabase(db.dialect, async (other) => {
    await createMigrator({ sequelize: other.sequelize, migrations: folder, logger: false }).upgrade();
    await assertSameState(t, db.sequelize, other.sequelize, folder);
  });
  // The runner accepts the scripted history: checksums match, nothing is pending.
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  t.deepEqual(await migrator.upgrade(), []);
  t.deepEqual((await migrator.status()).pending, []);
});

eachDialect('a script of two ranges (base:002, then 002:head) is the whole upgrade', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), PROJECT);
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  const first = await migrator.sqlScript({ from: 'base', to: '002-posts' });
  const second = await migrator.sqlScript({ from: '002-posts', to: 'head' });
  t.deepEqual([first.from, first.to, second.from, second.to], [null, '002-posts', '002-posts', '004-rename']);
  t.deepEqual([...first.migrations, ...second.migrations].map((m) => m.name), ['001-users', '002-posts', '003-bio', '004-rename']);
  t.is(second.prelude.length, 0, 'the history table exists at 002');
  runWithClient(db, first.text);
  runWithClient(db, second.text);
  await withDatabase(db.dialect, async (other) => {
    await createMigrator({ sequelize: other.sequelize, migrations: folder, logger: false }).upgrade();
    await assertSameState(t, db.sequelize, other.sequelize, folder);
  });
});

eachDialect('the offline downgrade script head:TARGET reverses, as downgrade() does', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), PROJECT);
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  await migrator.upgrade();
  // 003's down is a removeColumn: a table rebuild on SQLite, which reads the table (answered by
  // the in-memory scratch database the capture replays 001..004 on).
  const target = '002-posts';
  const script = await migrator.sqlScript({ from: 'head', to: target, direction: 'down' });
  t.true(script.migrations.every((m) => m.direction === 'down' && m.history.length === 1 && /^DELETE FROM/.test(m.history[0])));
  t.deepEqual((await migrator.status()).pending, [], 'writing the script executed nothing');
  runWithClient(db, script.text);
  await withDatabase(db.dialect, async (other) => {
    const online = createMigrator({ sequelize: other.sequelize, migrations: folder, logger: false });
    await online.upgrade();
    await online.downgrade({ to: target });
    await assertSameState(t, db.sequelize, other.sequelize, folder);
  });
});

const READS: Record<string, string> = {
  '001-users.js': PROJECT['001-users.js'],
  '002-ignores.js': `module.exports = {
  up: async (qi) => { await qi.sequelize.query('SELECT 1'); await qi.sequelize.query("UPDATE users SET name = 'x' WHERE 1 = 0"); },
  down: async () => undefined,
};`,
  '003-reads.js': `module.exports = {
  up: async (qi) => {
    const [rows] = await qi.sequelize.query('SELECT id FROM users');
    for (const row of rows) await qi.sequelize.query('UPDATE users SET name = :name WHERE id = :id', { replacements: { name: 'n', id: row.id } });
  },
  down: async () => undefined,
};`,
  '004-describes.js': `module.exports = {
  up: async (qi) => { const columns = await qi.describeTable('users'); if (!columns.bio) await qi.addColumn('users', 'bio', { type: 'TEXT' }); },
  down: async () => undefined,
};`,
};

eachDialect('a migration that reads the database cannot be written offline: OfflineReadError names it and the read', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), READS);
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  const reads = await t.throwsAsync(migrator.sql({ from: 'base' }), { instanceOf: OfflineReadError });
  t.is(reads?.code, 'E_OFFLINE_READ');
  t.is(reads?.subject, '003-reads');
  t.is(reads?.call, "sequelize.query('SELECT id FROM users;')");
  t.regex(reads?.message ?? '', /Migration "003-reads" reads the database .* write this migration's SQL by hand/);
  if (db.dialect === 'sqlite') {
    // SQLite's capture keeps an in-memory copy of the schema the migrations build (for table
    // rebuilds): describeTable is answered exactly from it. Rows are never answered.
    t.deepEqual((await migrator.sqlScript({ from: '003-reads' })).migrations[0].statements, ['ALTER TABLE `users` ADD `bio` TEXT;']);
  } else {
    const describes = await t.throwsAsync(migrator.sql({ from: '003-reads' }), { instanceOf: MigrationError });
    t.is(describes?.subject, '004-describes');
    t.is((describes as OfflineReadError).call, 'queryInterface.describeTable()');
  }
  // A read whose answer nothing uses renders, in order with the statements around it.
  const ignores = await migrator.sqlScript({ from: '001-users', to: '002-ignores' });
  t.deepEqual(ignores.migrations[0].statements, ['SELECT 1;', "UPDATE users SET name = 'x' WHERE 1 = 0;"]);
  t.deepEqual(await tableNames(db.sequelize, ''), [], 'nothing ran');
});

eachDialect('without FROM the script starts at the current migration of the database; backward ranges, unknown names and directions are refused', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), PROJECT);
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  await migrator.upgrade({ to: '002-posts' });
  const script = await migrator.sqlScript();
  t.deepEqual([script.from, script.to, script.prelude.length], ['002-posts', '004-rename', 0]);
  t.deepEqual(script.migrations.map((m) => m.name), ['003-bio', '004-rename']);
  t.is(script.migrations.every((m) => m.transaction), dialectOf(db.sequelize).capabilities.transactionalDDL);
  await t.throwsAsync(migrator.sql({ from: '004-rename', to: '001-users' }), { code: 'E_OPTIONS' } as never);
  await t.throwsAsync(migrator.sql({ from: 'nope' }), { code: 'E_UNKNOWN_TARGET' } as never);
  await t.throwsAsync(migrator.sql({ direction: 'sideways' as never }), { code: 'E_OPTIONS' } as never);
});

eachDialect("the script wraps transactions as the runner would: 'each', 'all', and a migration exporting transaction = false", async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    ...PROJECT,
    '005-index.js': `module.exports = {
  transaction: false,
  up: async (qi) => { await qi.addIndex('users', ['name'], { name: 'users_name' }); },
  down: async (qi) => { await qi.removeIndex('users', 'users_name'); },
};`,
  });
  const transactional = dialectOf(db.sequelize).capabilities.transactionalDDL;
  const begins = (text: string) => text.split('\n').filter((line) => line === 'BEGIN;').length;
  const each = await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).sqlScript({ from: 'base' });
  t.deepEqual(each.migrations.map((m) => m.transaction), [transactional, transactional, transactional, transactional, false]);
  t.is(begins(each.text), transactional ? 4 : 0);
  t.is(/Outside a transaction \(the migration exports `transaction = false`\)/.test(each.text), transactional);
  t.is((each.text.match(/-- Not atomic:/g) ?? []).length, transactional ? 0 : 5);

  const upTo4 = await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, transaction: 'all' }).sqlScript({ from: 'base', to: '004-rename' });
  t.is(begins(upTo4.text), transactional ? 1 : 0, "transaction: 'all': one BEGIN around every migration");
  const all = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, transaction: 'all' });
  if (transactional) await t.throwsAsync(all.sql({ from: 'base' }), { code: 'E_OPTIONS', message: /"005-index" opts out of transactions/ } as never);
  else t.is(begins(await all.sql({ from: 'base' })), 0);

  runWithClient(db, each.text);
  await withDatabase(db.dialect, async (other) => {
    await createMigrator({ sequelize: other.sequelize, migrations: folder, logger: false }).upgrade();
    await assertSameState(t, db.sequelize, other.sequelize, folder);
  });
});

eachDialect('renameColumn renders where the script can do without the column definition (SQLite, PostgreSQL), else OfflineReadError', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    ...PROJECT,
    '005-rename-column.js': `module.exports = {
  up: async (qi) => { await qi.renameColumn('users', 'name', 'full_name'); },
  down: async (qi) => { await qi.renameColumn('users', 'full_name', 'name'); },
};`,
  });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  if (db.dialect === 'mysql') {
    // Sequelize writes CHANGE COLUMN with the full definition, which only the database knows.
    const error = await t.throwsAsync(migrator.sql({ from: 'base' }), { instanceOf: OfflineReadError });
    t.is(error?.subject, '005-rename-column');
    t.is(error?.call, 'queryInterface.renameColumn()');
    return;
  }
  runWithClient(db, await migrator.sql({ from: 'base' }));
  await withDatabase(db.dialect, async (other) => {
    await createMigrator({ sequelize: other.sequelize, migrations: folder, logger: false }).upgrade();
    await assertSameState(t, db.sequelize, other.sequelize, folder);
    // And back: the downgrade script from head to 004 against the online downgrade.
    runWithClient(db, await migrator.sql({ from: 'head', to: '004-rename', direction: 'down' }));
    await createMigrator({ sequelize: other.sequelize, migrations: folder, logger: false }).downgrade();
    await assertSameState(t, db.sequelize, other.sequelize, folder);
  });
});

eachDialect("a migration's own transaction, replacements, bind parameters and a call it did not await: captured in order, nothing reaches the database", async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-users.js': PROJECT['001-users.js'],
    '002-data.js': `module.exports = {
  up: async (qi) => {
    await qi.sequelize.transaction(async (transaction) => {
      await qi.bulkInsert('users', [{ name: 'ada', role: 'admin' }], { transaction });
    });
    await qi.sequelize.query('UPDATE users SET name = :name WHERE role = :role', { replacements: { name: "O'Brien", role: 'admin' } });
    await qi.sequelize.query('INSERT INTO users (name, role) VALUES ($1, $2)', { bind: ['grace', 'member'] });
    qi.addIndex('users', ['role'], { name: 'users_role' });
  },
  down: async () => undefined,
};`,
  });
  const script = await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).sqlScript({ from: 'base' });
  t.deepEqual(await tableNames(db.sequelize, ''), [], 'nothing reached the database');
  const statements = script.migrations[1].statements;
  t.is(statements.length, 4, statements.join('\n'));
  t.regex(statements[0], /^INSERT INTO/);
  t.regex(statements[1], /O''Brien|O\\'Brien/);
  t.regex(statements[2], /'grace'/);
  t.regex(statements[3], /users_role/, 'the un-awaited addIndex is in the script');
  runWithClient(db, script.text);
  const rows = (await db.sequelize.query('SELECT name, role FROM users ORDER BY id', { type: 'SELECT' as never })) as unknown as object[];
  t.deepEqual(rows, [{ name: "O'Brien", role: 'admin' }, { name: 'grace', role: 'member' }]);
});
