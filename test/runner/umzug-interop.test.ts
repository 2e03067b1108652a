/**
 * umzug interop with the real umzug package, both ways, on every dialect: an umzug storage as the
 * migrator's history (`createMigrator({ storage })`), and the migrator's history table as an
 * umzug storage (`historyStorage()`), with an Umzug instance and the migrator taking turns.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSONStorage, SequelizeStorage, Umzug } from 'umzug';
import { createMigrator, historyStorage, type MigrationError } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { writeMigrations } from '../helpers/migrations';

/** A migration in umzug's shape that the migrator runs too, as CommonJS. */
const table = (name: string, extra = ''): string => `module.exports = {
  async up({ context: qi }) { await qi.createTable('${name}', { id: { type: 'INTEGER', primaryKey: true } }); ${extra} },
  async down({ context: qi }) { await qi.dropTable('${name}'); },
};
`;

/**
 * umzug's glob resolver, with the modules loaded by require(): umzug's own default imports them,
 * which under the test runner's loader hides CommonJS exports behind `default`.
 */
const resolve = ({ name, path, context }: { name: string; path?: string; context: unknown }) => {
  const module = require(path!) as { up(p: unknown): Promise<void>; down(p: unknown): Promise<void> };
  return { name, path, up: () => module.up({ name, path, context }), down: () => module.down({ name, path, context }) };
};

async function tables(sequelize: import('sequelize').Sequelize): Promise<string[]> {
  const all = (await sequelize.getQueryInterface().showAllTables()) as unknown as (string | { tableName: string })[];
  return all.map((t) => (typeof t === 'string' ? t : t.tableName)).filter((n) => /^t_/.test(n)).sort();
}

eachDialect("createMigrator({ storage }) runs on umzug's SequelizeStorage: Umzug's records are the migrator's, and back", async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), { '001-a.js': table('t_a'), '002-b.js': table('t_b') });
  const storage = new SequelizeStorage({ sequelize: db.sequelize });
  const umzug = new Umzug({ migrations: { glob: ['*.js', { cwd: folder }], resolve }, context: db.sequelize.getQueryInterface(), storage, logger: undefined });
  await umzug.up({ to: '001-a.js' });

  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, storage, logger: false });
  t.deepEqual((await migrator.status()).pending, ['002-b']);
  t.deepEqual((await migrator.upgrade()).map((s) => s.name), ['002-b']);
  t.deepEqual(await storage.executed(), ['001-a.js', '002-b.js'], 'recorded through the storage, as umzug names files');
  t.deepEqual((await umzug.pending()).map((m) => m.name), []);
  t.deepEqual(await tables(db.sequelize), ['t_a', 't_b']);
  // No history table of the migrator's own was created beside umzug's.
  const meta = (await db.sequelize.query('SELECT * FROM "SequelizeMeta"'.replace(/"/g, db.dialect === 'mysql' ? '`' : '"'), { type: 'SELECT' as never })) as unknown as Record<string, unknown>[];
  t.deepEqual(Object.keys(meta[0]!), ['name'], "umzug's table, umzug's shape");

  t.deepEqual((await migrator.downgrade()).map((s) => s.name), ['002-b']);
  t.deepEqual(await storage.executed(), ['001-a.js']);
  t.deepEqual((await umzug.pending()).map((m) => m.name), ['002-b.js']);
  await t.throwsAsync(migrator.reset(), { code: 'E_UNSUPPORTED' } as never);
});

eachDialect("a storage's record joins the migration's transaction when it writes through the same Sequelize", async (t, db) => {
  // MySQL commits DDL implicitly: there the point is moot (documented); the record still fails the step.
  const folder = writeMigrations(join(db.dir, 'migrations'), { '001-a.js': table('t_a') });
  const inner = new SequelizeStorage({ sequelize: db.sequelize });
  await inner.executed(); // creates umzug's table outside the run
  const failing = {
    executed: () => inner.executed(),
    unlogMigration: (params: never) => inner.unlogMigration(params),
    async logMigration(params: { name: string; context: unknown }) {
      await inner.logMigration(params as never);
      throw new Error('storage is full');
    },
  };
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, storage: failing, logger: false });
  const error = await t.throwsAsync<MigrationError>(migrator.upgrade());
  t.is(error?.code, 'E_MIGRATION_FAILED');
  if (db.dialect !== 'mysql') {
    t.deepEqual(await inner.executed(), [], 'the record rolled back with the migration');
    t.deepEqual(await tables(db.sequelize), [], 'and so did the table');
  }
});

eachDialect("createMigrator({ storage }) takes umzug's JSONStorage: names only, in a file", async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), { '001-a.js': table('t_a'), '002-b.js': table('t_b') });
  const path = join(db.dir, 'executed.json');
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, storage: new JSONStorage({ path }), logger: false });
  // The offline script records nothing in the storage, and has no history statements for it.
  const script = await migrator.sqlScript();
  t.regex(script.text, /CREATE TABLE/i);
  t.regex(script.text, /kept by an umzug storage/);
  t.deepEqual(script.prelude, []);
  t.true(script.migrations.every((m) => m.history.length === 0));
  t.false(existsSync(path));
  t.deepEqual((await migrator.upgrade()).map((s) => s.name), ['001-a', '002-b']);
  t.deepEqual(JSON.parse(readFileSync(path, 'utf8')), ['001-a.js', '002-b.js']);
  const status = await migrator.status();
  t.deepEqual(status.applied.map((a) => [a.name, a.checksum, a.appliedAt]), [['001-a', null, null], ['002-b', null, null]]);
  t.throws(() => createMigrator({ sequelize: db.sequelize, migrations: folder, storage: { executed() {} } as never }), { code: 'E_OPTIONS' } as never);
});

eachDialect('historyStorage(): an Umzug instance and the migrator share the history table, checksums included', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), { '001-a.js': table('t_a'), '002-b.js': table('t_b') });
  const umzug = new Umzug({
    migrations: { glob: ['*.js', { cwd: folder }], resolve },
    context: db.sequelize.getQueryInterface(),
    storage: historyStorage({ sequelize: db.sequelize }),
    logger: undefined,
  });
  t.deepEqual((await umzug.up({ to: '001-a.js' })).map((m) => m.name), ['001-a.js']);

  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  const applied = (await migrator.status()).applied;
  t.deepEqual(applied.map((a) => a.storedName), ['001-a.js']);
  t.regex(applied[0]!.checksum ?? '', /^[0-9a-f]{64}$/, 'the checksum of the file umzug ran');
  t.deepEqual((await migrator.upgrade()).map((s) => s.name), ['002-b']);
  t.deepEqual((await umzug.executed()).map((m) => m.name), ['001-a.js', '002-b.js']);
  t.deepEqual((await umzug.pending()).map((m) => m.name), []);

  // Umzug reverts what the migrator applied; the migrator sees it pending.
  t.deepEqual((await umzug.down()).map((m) => m.name), ['002-b.js']);
  t.deepEqual((await migrator.status()).pending, ['002-b']);
  t.deepEqual(await tables(db.sequelize), ['t_a']);

  // The checksum umzug's run recorded guards the file: check and upgrade refuse an edit.
  writeFileSync(join(folder, '001-a.js'), `${readFileSync(join(folder, '001-a.js'), 'utf8')}// edited\n`);
  await t.throwsAsync(migrator.check(), { code: 'E_CHECKSUM' } as never);
  await t.throwsAsync(migrator.upgrade(), { code: 'E_CHECKSUM' } as never);
});
