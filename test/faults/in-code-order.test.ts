/**
 * In-code migration arrays run in the order given, as umzug runs them (API.md, second round); they
 * used to be sorted by name, so `[createUsers, addPosts]` named against the alphabet ran addPosts
 * first. A history that disagrees with the array's order is the out-of-order error, as for files.
 */
import { createMigrator, type InCodeMigration, type MigratorOptions } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { historyNames, tableNames } from '../helpers/migrations';
import { snapshot } from '../helpers/snapshot';

type Context = { context: import('sequelize').QueryInterface };

/** A migration creating `table` (with a foreign key to `references`, when given). */
function createTable(name: string, table: string, references?: string): InCodeMigration {
  return {
    name,
    up: async ({ context }: Context) => {
      await context.createTable(table, {
        id: { type: 'INTEGER', primaryKey: true },
        ...(references ? { ownerId: { type: 'INTEGER', references: { model: references, key: 'id' } } } : {}),
      });
    },
    down: async ({ context }: Context) => context.dropTable(table),
  };
}

// Named against the alphabet on purpose: by name, posts would come first and fail on its reference.
const createUsers = createTable('b-create-users', 'users');
const addPosts = createTable('a-add-posts', 'posts', 'users');

eachDialect('an in-code array runs in the order given, and downgrades in reverse of it', async (t, db) => {
  const make = (migrations: InCodeMigration[]) => createMigrator({ sequelize: db.sequelize, migrations, logger: false });
  const migrator = make([createUsers, addPosts]);
  t.deepEqual((await migrator.status()).pending, ['b-create-users', 'a-add-posts']);
  t.deepEqual((await migrator.upgrade()).map((s) => s.name), ['b-create-users', 'a-add-posts']);
  const status = await migrator.status();
  t.deepEqual(status.applied.map((a) => a.name), ['b-create-users', 'a-add-posts']);
  t.is(status.current, 'a-add-posts');
  t.deepEqual(await tableNames(db.sequelize), ['posts', 'users']);

  // Appended at the end, a name that sorts first is not out of order: the array says where it goes.
  const appended = make([createUsers, addPosts, createTable('0-add-tags', 'tags')]);
  t.deepEqual((await appended.upgrade()).map((s) => s.name), ['0-add-tags']);
  t.is((await appended.status()).current, '0-add-tags');

  t.deepEqual((await appended.downgrade()).map((s) => s.name), ['0-add-tags'], 'the last in the array goes first');
  t.deepEqual((await appended.downgrade()).map((s) => s.name), ['a-add-posts']);
  t.deepEqual(await tableNames(db.sequelize), ['users']);
  t.deepEqual((await appended.upgrade({ to: 'a-add-posts' })).map((s) => s.name), ['a-add-posts']);
  t.deepEqual((await appended.downgrade({ to: 'b-create-users' })).map((s) => s.name), ['a-add-posts']);
  t.deepEqual((await appended.downgrade({ to: 0 })).map((s) => s.name), ['b-create-users']);
  t.deepEqual(await historyNames(db.sequelize), []);
});

eachDialect('an in-code array whose history disagrees with its order is E_OUT_OF_ORDER, naming the migration, and nothing runs', async (t, db) => {
  const first = createTable('m-first', 'first');
  const last = createTable('a-last', 'last');
  // Inserted between two applied ones; its name sorts after both.
  const inserted = createTable('z-inserted', 'inserted');
  const make = (migrations: InCodeMigration[], extra: Partial<MigratorOptions> = {}) =>
    createMigrator({ sequelize: db.sequelize, migrations, logger: false, ...extra });
  await make([first, last]).upgrade();
  const before = await snapshot(db.sequelize);
  const error = await rejectsWith(t, make([first, inserted, last]).upgrade(), 'E_OUT_OF_ORDER');
  t.is(error.subject, 'z-inserted');
  t.regex(error.message, /"z-inserted" is pending but comes before the applied "a-last" in the migrations array\. Move it after the applied ones, or pass `allowOutOfOrder: true`/);
  t.is(await snapshot(db.sequelize), before, 'nothing ran');
  t.deepEqual((await make([first, inserted, last], { allowOutOfOrder: true }).upgrade()).map((s) => s.name), ['z-inserted']);
  t.deepEqual(await tableNames(db.sequelize), ['first', 'inserted', 'last']);
});
