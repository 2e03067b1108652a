/**
 * Upgrading from the static index and from the folder are interchangeable: the same history rows
 * (names with extension, checksums), the same refusals, in either order.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sequelize } from 'sequelize';
import { createMigrator } from '../../lib';
import { writeBundleIndex } from '../../lib/bundle/bundle';
import { MigrationError } from '../../lib/errors';
import { checksumOf } from '../../lib/runner/sources';
import type { InCodeMigration } from '../../types/options';
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration, tableNames, writeMigrations } from '../helpers/migrations';

/** A fresh copy of the index (a bundle is built once; require's cache would hand back the old one). */
function loadIndex(path: string): InCodeMigration[] {
  delete require.cache[require.resolve(path)];
  return require(path) as InCodeMigration[];
}

async function historyRows(sequelize: Sequelize): Promise<{ name: string; checksum: string | null }[]> {
  const table = (sequelize.getQueryInterface() as unknown as { quoteIdentifier(n: string): string }).quoteIdentifier('SequelizeMeta');
  const rows = (await sequelize.query(`SELECT name, checksum FROM ${table} ORDER BY name`, { type: 'SELECT' as never })) as unknown as {
    name: string;
    checksum: string | null;
  }[];
  return rows.map((r) => ({ name: r.name, checksum: r.checksum }));
}

const FILES = {
  '20260101000000-users.js': createTableMigration('users'),
  '20260102000000-posts.js': createTableMigration('posts'),
  '20260103000000-tags.js': createTableMigration('tags'),
};

eachDialect('folder, then bundle, then folder: one history, the folder\'s names and checksums, nothing run twice', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), FILES);
  const { path } = writeBundleIndex(folder);
  const fromFolder = () => createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  const fromBundle = () => createMigrator({ sequelize: db.sequelize, migrations: loadIndex(path), logger: false });

  t.deepEqual((await fromFolder().upgrade({ to: '20260101000000-users' })).map((s) => s.name), ['20260101000000-users']);
  t.deepEqual((await fromBundle().upgrade({ to: '20260102000000-posts' })).map((s) => s.name), ['20260102000000-posts']);
  t.deepEqual((await fromFolder().upgrade()).map((s) => s.name), ['20260103000000-tags']);
  t.deepEqual(await fromBundle().upgrade(), []);
  t.deepEqual(
    await historyRows(db.sequelize),
    Object.entries(FILES).map(([name, text]) => ({ name, checksum: checksumOf(text) })),
  );
  t.deepEqual((await fromBundle().status()).pending, []);
  t.deepEqual((await fromFolder().status()).pending, []);

  // Down runs from the bundle too, through rows the folder wrote.
  t.deepEqual((await fromBundle().downgrade({ to: 0 })).map((s) => s.name), ['20260103000000-tags', '20260102000000-posts', '20260101000000-users']);
  t.deepEqual(await tableNames(db.sequelize), []);
  t.deepEqual(await historyRows(db.sequelize), []);
});

eachDialect('an applied migration edited and re-bundled is refused from the bundle, as from the folder', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), FILES);
  await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade();
  const file = join(folder, '20260102000000-posts.js');
  writeFileSync(file, readFileSync(file, 'utf8').replace("'posts'", "'articles'"));
  const { path } = writeBundleIndex(folder);
  const fromBundle = createMigrator({ sequelize: db.sequelize, migrations: loadIndex(path), logger: false });
  const error = await t.throwsAsync(fromBundle.upgrade(), { instanceOf: MigrationError });
  t.is(error?.code, 'E_CHECKSUM');
  t.is(error?.subject, '20260102000000-posts');
});

eachDialect('a bundle run from a stale index records the old checksum, which the folder then refuses: why check fails on a stale index', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), { '20260101000000-users.js': FILES['20260101000000-users.js'] });
  const { path } = writeBundleIndex(folder);
  // Edited after the index was written, and bundled without running `automigrate bundle` again.
  writeMigrations(folder, { '20260101000000-users.js': `${FILES['20260101000000-users.js']}// a late edit\n` });
  await createMigrator({ sequelize: db.sequelize, migrations: loadIndex(path), logger: false }).upgrade();
  const error = await t.throwsAsync(createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade(), {
    instanceOf: MigrationError,
  });
  t.is(error?.code, 'E_CHECKSUM');
});
