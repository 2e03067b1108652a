import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sequelize } from 'sequelize';
import { createMigrator } from '../../lib';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { tableNames } from '../helpers/migrations';
import { blogV1, blogV2, blogV3 } from './blog-versions';

/** A Sequelize instance on the test database with one version of the models. */
function withModels(db: TestDatabase, define: (s: Sequelize) => void): Sequelize {
  const sequelize = db.connect();
  define(sequelize);
  return sequelize;
}

eachDialect('models evolved through three versions: generate + upgrade leave no drift, rows survive, downgrade returns', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const migrator = (s: Sequelize) => createMigrator({ sequelize: s, migrations: folder, logger: false, language: 'js' });

  const v1 = withModels(db, blogV1);
  const first = await migrator(v1).generate('create users and posts');
  t.truthy(first, 'v1 generates a migration');
  t.regex(first!.path, /\d{14}-create-users-and-posts\.js$/);
  await migrator(v1).upgrade();
  t.deepEqual(await migrator(v1).diff(), [], 'no drift after v1');
  t.is(await migrator(v1).generate('nothing'), null, 'nothing changed: no file');
  await v1.query("INSERT INTO users (email, name, active, \"createdAt\", \"updatedAt\") VALUES ('a@x', 'A', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)".replace(/"/g, db.dialect === 'mysql' ? '`' : '"'));

  const v2 = withModels(db, blogV2);
  const second = await migrator(v2).generate('comments and tags');
  t.truthy(second);
  const kinds = second!.operations.map((op) => op.kind);
  t.is(kinds.filter((k) => k === 'createTable').length, 3, `creates comments, tags, post_tags: ${kinds.join(', ')}`);
  await migrator(v2).upgrade();
  t.deepEqual(await migrator(v2).diff(), [], 'no drift after v2');

  const v3 = withModels(db, blogV3);
  const third = await migrator(v3).generate('views and meta');
  t.truthy(third);
  const source = readFileSync(third!.path, 'utf8');
  t.regex(source, /addColumn/);
  await migrator(v3).upgrade();
  t.deepEqual(await migrator(v3).diff(), [], 'no drift after v3');
  const users = (await v3.query('SELECT email FROM users', { type: 'SELECT' as never })) as unknown as { email: string }[];
  t.deepEqual(users.map((u) => u.email), ['a@x'], 'rows survive every step');

  // Back one step: the v2 models match again.
  await migrator(v3).downgrade();
  t.deepEqual(await migrator(v2).diff(), [], 'downgrade returns to a schema matching v2');
  await migrator(v3).downgrade();
  t.deepEqual(await migrator(v1).diff(), [], 'and to v1');
  const after = (await v1.query('SELECT email FROM users', { type: 'SELECT' as never })) as unknown as { email: string }[];
  t.is(after.length, 1);
  await migrator(v3).downgrade({ to: 0 });
  t.deepEqual(await tableNames(v1), []);
});

eachDialect('check() passes at head with matching models, and fails listing drift or pending migrations', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const v1 = withModels(db, blogV1);
  const m1 = createMigrator({ sequelize: v1, migrations: folder, logger: false, language: 'js' });
  await m1.generate('init');
  await t.throwsAsync(m1.check(), { code: 'E_NOT_AT_HEAD' } as never);
  await m1.upgrade();
  await t.notThrowsAsync(m1.check());
  const v2 = withModels(db, blogV2);
  const error = await t.throwsAsync(createMigrator({ sequelize: v2, migrations: folder, logger: false }).check());
  t.is((error as { code?: string }).code, 'E_DRIFT');
  t.true(((error as unknown as { operations: unknown[] }).operations ?? []).length > 0);
});
