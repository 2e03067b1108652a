import { join } from 'node:path';
import { createMigrator, type StepInfo, type StepResult } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration, historyNames, tableNames, umzugTableMigration, writeMigrations } from '../helpers/migrations';

const three = {
  '20240101000000-users.js': createTableMigration('users'),
  '20240102000000-posts.mjs': umzugTableMigration('posts'),
  '20240103000000-tags.cjs': createTableMigration('tags'),
};

eachDialect('upgrade applies every migration in order, both signatures, and records them', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), three);
  const events: string[] = [];
  const migrator = createMigrator({
    sequelize: db.sequelize,
    migrations: folder,
    logger: false,
    // Hooks around each step's own commit (a fresh database in one transaction calls afterStep after its one commit).
    freshInOneTransaction: false,
    hooks: {
      beforeStep: (s: StepInfo) => void events.push(`before ${s.name} ${s.direction}`),
      afterStep: (s: StepResult) => void events.push(`after ${s.name} ${s.direction} ${typeof s.durationMs}`),
    },
  });
  const results = await migrator.upgrade();
  t.deepEqual(
    results.map((r) => [r.name, r.direction]),
    [
      ['20240101000000-users', 'up'],
      ['20240102000000-posts', 'up'],
      ['20240103000000-tags', 'up'],
    ],
  );
  t.true(results.every((r) => Number.isInteger(r.durationMs) && r.durationMs >= 0));
  t.deepEqual(await tableNames(db.sequelize), ['posts', 'tags', 'users']);
  // sequelize-cli stores the file name with its extension.
  t.deepEqual(await historyNames(db.sequelize), ['20240101000000-users.js', '20240102000000-posts.mjs', '20240103000000-tags.cjs']);
  t.deepEqual(events, [
    'before 20240101000000-users up',
    'after 20240101000000-users up number',
    'before 20240102000000-posts up',
    'after 20240102000000-posts up number',
    'before 20240103000000-tags up',
    'after 20240103000000-tags up number',
  ]);
  // umzug's signature received its own name.
  const [row] = (await db.sequelize.getQueryInterface().bulkInsert('posts', [{ id: 1 }], {}), await db.sequelize.query('SELECT note FROM posts', { type: 'SELECT' as never })) as unknown as { note: string }[];
  t.is(row.note, '20240102000000-posts');

  const status = await migrator.status();
  t.deepEqual(status.pending, []);
  t.is(status.current, '20240103000000-tags');
  t.true(status.applied.every((a) => a.checksum !== null && /^[0-9a-f]{64}$/.test(a.checksum) && a.appliedAt instanceof Date && a.durationMs !== null));
  t.true(status.applied.every((a) => Math.abs(a.appliedAt!.getTime() - Date.now()) < 60_000));

  t.deepEqual(await migrator.upgrade(), [], 'a second upgrade is a no-op');
});

eachDialect('downgrade by one step, to a name (keeping it), and to base', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), three);
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  await migrator.upgrade();

  const one = await migrator.downgrade();
  t.deepEqual(one.map((r) => [r.name, r.direction]), [['20240103000000-tags', 'down']]);
  t.deepEqual(await tableNames(db.sequelize), ['posts', 'users']);

  await migrator.upgrade();
  const toFirst = await migrator.downgrade({ to: '20240101000000-users' });
  t.deepEqual(toFirst.map((r) => r.name), ['20240103000000-tags', '20240102000000-posts']);
  t.deepEqual(await tableNames(db.sequelize), ['users']);
  t.deepEqual(await historyNames(db.sequelize), ['20240101000000-users.js']);

  await migrator.upgrade();
  const two = await migrator.downgrade({ step: 2 });
  t.is(two.length, 2);
  t.deepEqual(await tableNames(db.sequelize), ['users']);

  const all = await migrator.downgrade({ to: 0 });
  t.deepEqual(all.map((r) => r.name), ['20240101000000-users']);
  t.deepEqual(await tableNames(db.sequelize), []);
  t.deepEqual((await migrator.status()).current, null);

  await migrator.upgrade();
  t.is((await migrator.downgrade({ to: 'base' })).length, 3);
});

eachDialect('upgrade to a target stops there; stamp records without running', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), three);
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  const first = await migrator.upgrade({ to: '20240102000000-posts' });
  t.deepEqual(first.map((r) => r.name), ['20240101000000-users', '20240102000000-posts']);
  t.deepEqual((await migrator.status()).pending, ['20240103000000-tags']);

  await migrator.stamp('head');
  t.deepEqual(await tableNames(db.sequelize), ['posts', 'users'], 'stamp ran nothing');
  const status = await migrator.status();
  t.deepEqual(status.pending, []);
  const stamped = status.applied.find((a) => a.name === '20240103000000-tags')!;
  t.is(stamped.appliedAt, null);
  t.regex(stamped.checksum ?? '', /^[0-9a-f]{64}$/);

  await migrator.stamp('20240101000000-users');
  t.deepEqual(await historyNames(db.sequelize), ['20240101000000-users.js']);
  await migrator.stamp(0);
  t.deepEqual(await historyNames(db.sequelize), []);
});

eachDialect('in-code migrations (the umzug array) run and record their names', async (t, db) => {
  const S = db.sequelize.constructor as unknown as typeof import('sequelize');
  const migrator = createMigrator({
    sequelize: db.sequelize,
    logger: false,
    migrations: [
      {
        name: '002-b',
        up: async ({ context }: { context: import('sequelize').QueryInterface }) => context.createTable('b', { id: { type: S.INTEGER, primaryKey: true } }),
        down: async ({ context }: { context: import('sequelize').QueryInterface }) => context.dropTable('b'),
      },
      {
        name: '001-a',
        up: async (qi: import('sequelize').QueryInterface, Seq: typeof import('sequelize')) => qi.createTable('a', { id: { type: Seq.INTEGER, primaryKey: true } }),
      },
    ],
  });
  // In the order given, as umzug runs them (test/faults/in-code-order.test.ts has more).
  t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['002-b', '001-a']);
  t.deepEqual(await historyNames(db.sequelize), ['001-a', '002-b']);
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b']);
  // The last in the array, 001-a, has no down.
  await t.throwsAsync(migrator.downgrade(), { code: 'E_NO_DOWN' } as never);
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b'], 'downgrade reverts the last in the array first: 001-a, which cannot be');
});
