import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMigrator } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { historyNames, tableNames, writeMigrations } from '../helpers/migrations';
import { BLOG, OWNED, comments, count, counts, fill, insertId, writeBlog, zeros } from './fixtures';

eachDialect('the first reset() brings a fresh database to head with every table empty', async (t, db) => {
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: writeBlog(db.dir), logger: false });
  await migrator.reset();
  t.deepEqual(await tableNames(db.sequelize), OWNED);
  t.deepEqual((await migrator.status()).pending, []);
  t.deepEqual(await historyNames(db.sequelize), Object.keys(BLOG));
  // The seed row a migration inserted is gone, and its id is free again.
  t.deepEqual(await counts(db.sequelize, OWNED), zeros(OWNED));
  t.is(await insertId(db.sequelize, 'tags', { name: 'first' }), 1);
});

eachDialect('after reset() every owned table is empty, ids restart at 1 and the history is intact', async (t, db) => {
  const steps: string[] = [];
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: writeBlog(db.dir), logger: false, hooks: { beforeStep: (s) => void steps.push(s.name) } });
  await migrator.reset();
  t.is(steps.length, Object.keys(BLOG).length);
  steps.length = 0;
  const history = (await migrator.status()).applied;
  for (let round = 0; round < 3; round++) {
    const ids = await fill(db.sequelize);
    t.deepEqual(ids, { user: 1, post: 1, tag: 1 }, `round ${round}`);
    t.not(await count(db.sequelize, 'post_tags'), 0);
    await migrator.reset();
    t.deepEqual(await counts(db.sequelize, OWNED), zeros(OWNED), `round ${round}`);
  }
  t.deepEqual((await migrator.status()).applied, history, 'history rows untouched (names, checksums, dates)');
  t.deepEqual(steps, [], 'no migration ran again: emptying the tables left their shape as it was');
});

eachDialect('reset() restarts a counter that moved on a table left empty', async (t, db) => {
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: writeBlog(db.dir), logger: false });
  await migrator.reset();
  // The test cleans up after itself, but the counter has moved: only the counter is dirty.
  for (const name of ['a', 'b', 'c']) await insertId(db.sequelize, 'tags', { name });
  await db.sequelize.getQueryInterface().bulkDelete('tags', {});
  t.is(await insertId(db.sequelize, 'tags', { name: 'd' }), 4);
  await db.sequelize.getQueryInterface().bulkDelete('tags', {});
  await migrator.reset();
  t.is(await insertId(db.sequelize, 'tags', { name: 'e' }), 1);
});

eachDialect('a table a test dropped is re-created, and a downgrade is undone', async (t, db) => {
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: writeBlog(db.dir), logger: false });
  await migrator.reset();
  await fill(db.sequelize);
  await db.sequelize.getQueryInterface().dropTable('post_tags');
  await migrator.reset();
  t.deepEqual(await tableNames(db.sequelize), OWNED);
  t.deepEqual(await historyNames(db.sequelize), Object.keys(BLOG));
  t.deepEqual(await counts(db.sequelize, OWNED), zeros(OWNED));
  t.deepEqual(await fill(db.sequelize), { user: 1, post: 1, tag: 1 });

  await migrator.downgrade({ step: 2 });
  t.deepEqual(await tableNames(db.sequelize), ['posts', 'users']);
  await migrator.reset();
  t.deepEqual(await tableNames(db.sequelize), OWNED);
  t.deepEqual((await migrator.status()).pending, []);
  t.deepEqual(await counts(db.sequelize, OWNED), zeros(OWNED));
  t.deepEqual(await fill(db.sequelize), { user: 1, post: 1, tag: 1 });
});

eachDialect('a table a test altered, and a table it added, are put back as the migrations make them', async (t, db) => {
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: writeBlog(db.dir), logger: false });
  await migrator.reset();
  const qi = db.sequelize.getQueryInterface();
  const S = db.sequelize.constructor as unknown as typeof import('sequelize');
  const before = await qi.describeTable('users');

  await qi.addColumn('users', 'nickname', { type: S.STRING, allowNull: true });
  await migrator.reset();
  t.deepEqual(await qi.describeTable('users'), before, 'added column removed');

  await qi.changeColumn('users', 'email', { type: S.STRING(20), allowNull: true });
  await migrator.reset();
  t.deepEqual(await qi.describeTable('users'), before, 'changed column restored');

  await qi.addIndex('tags', ['name'], { name: 'tags_name_by_test' });
  await migrator.reset();
  t.false(((await qi.showIndex('tags')) as { name: string }[]).some((i) => i.name === 'tags_name_by_test'), 'added index removed');

  await qi.createTable('scratch', { id: { type: S.INTEGER, primaryKey: true } });
  await migrator.reset();
  t.deepEqual(await tableNames(db.sequelize), OWNED, 'added table removed');
  t.deepEqual(await historyNames(db.sequelize), Object.keys(BLOG));
  t.deepEqual(await fill(db.sequelize), { user: 1, post: 1, tag: 1 });
});

eachDialect('a migration added between two calls is applied', async (t, db) => {
  const folder = writeBlog(db.dir);
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  await migrator.reset();
  const { post } = await fill(db.sequelize);
  writeFileSync(join(folder, '20250105000000-comments.js'), comments);
  await migrator.reset();
  t.deepEqual(await tableNames(db.sequelize), [...OWNED, 'comments'].sort());
  t.deepEqual((await migrator.status()).pending, []);
  t.deepEqual(await counts(db.sequelize, [...OWNED, 'comments']), zeros([...OWNED, 'comments']));
  t.is(post, 1);
  await fill(db.sequelize);
  t.is(await insertId(db.sequelize, 'comments', { postId: 1, body: 'x' }), 1);
  await migrator.reset();
  t.is(await count(db.sequelize, 'comments'), 0);
  t.is(await insertId(db.sequelize, 'users', { email: 'again@x.org' }), 1);
});

eachDialect('tables the include filter leaves alone keep their rows, through a rebuild too', async (t, db) => {
  const qi = db.sequelize.getQueryInterface();
  const S = db.sequelize.constructor as unknown as typeof import('sequelize');
  await qi.createTable('sessions', { id: { type: S.INTEGER, primaryKey: true, autoIncrement: true }, sid: { type: S.STRING } });
  await qi.bulkInsert('sessions', [{ sid: 'a' }, { sid: 'b' }]);
  const migrator = createMigrator({
    sequelize: db.sequelize,
    migrations: writeBlog(db.dir),
    logger: false,
    include: (o) => !(o.kind === 'table' && o.name === 'sessions'),
  });
  await migrator.reset();
  await fill(db.sequelize);
  await migrator.reset();
  t.is(await count(db.sequelize, 'sessions'), 2);
  t.deepEqual(await counts(db.sequelize, OWNED), zeros(OWNED));

  // A change to the excluded table is not the migrations' business: no rebuild.
  await qi.addColumn('sessions', 'data', { type: S.TEXT });
  await fill(db.sequelize);
  await migrator.reset();
  t.true('data' in (await qi.describeTable('sessions')));

  await qi.dropTable('post_tags');
  await migrator.reset();
  t.deepEqual(await tableNames(db.sequelize), [...OWNED, 'sessions'].sort());
  t.is(await count(db.sequelize, 'sessions'), 2);
  t.is(await insertId(db.sequelize, 'sessions', { sid: 'c' }), 3, 'its counter was not restarted');
});

eachDialect('a new migrator on a database already at head runs nothing and empties the tables', async (t, db) => {
  const folder = writeBlog(db.dir);
  // Global setup: migrate once.
  await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade();
  const applied = await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).status();
  const other = db.connect();
  await fill(other);
  const steps: string[] = [];
  const migrator = createMigrator({ sequelize: other, migrations: folder, logger: false, hooks: { beforeStep: (s) => void steps.push(s.name) } });
  await migrator.reset();
  t.deepEqual(steps, []);
  t.deepEqual((await migrator.status()).applied, applied.applied);
  t.deepEqual(await counts(other, OWNED), zeros(OWNED));
  t.deepEqual(await fill(other), { user: 1, post: 1, tag: 1 });
});

eachDialect('a later run whose copy of an applied migration was edited (while writing it) runs it again as it now reads', async (t, db) => {
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: writeBlog(db.dir), logger: false });
  await migrator.reset();
  await fill(db.sequelize);
  const edited = BLOG['20250104000000-post-tags.js'].replace("onDelete: 'RESTRICT' },", "onDelete: 'RESTRICT' },\n      weight: { type: Sequelize.INTEGER, allowNull: true },");
  t.not(edited, BLOG['20250104000000-post-tags.js']);
  // The next run of the suite: another process (another Sequelize instance), the edited file.
  const folder = writeMigrations(join(db.dir, 'next-run'), { ...BLOG, '20250104000000-post-tags.js': edited });
  const next = db.connect();
  await createMigrator({ sequelize: next, migrations: folder, logger: false }).reset();
  t.true('weight' in (await next.getQueryInterface().describeTable('post_tags')));
  t.deepEqual(await historyNames(next), Object.keys(BLOG));
  t.deepEqual(await counts(next, OWNED), zeros(OWNED));
});

eachDialect('a first reset() on a database that ran migrations this checkout lacks starts it again', async (t, db) => {
  // Another branch applied "comments"; back on this one, its table and history row must go.
  const other = writeMigrations(join(db.dir, 'other-branch'), { ...BLOG, '20250105000000-comments.js': comments });
  await createMigrator({ sequelize: db.sequelize, migrations: other, logger: false }).upgrade();
  const migrator = createMigrator({ sequelize: db.connect(), migrations: writeBlog(db.dir), logger: false });
  await migrator.reset();
  t.deepEqual(await tableNames(db.sequelize), OWNED);
  t.deepEqual(await historyNames(db.sequelize), Object.keys(BLOG));
  t.deepEqual(await counts(db.sequelize, OWNED), zeros(OWNED));
});

eachDialect(
  'reset() refuses to leave rows of an excluded table pointing at rows it empties, and empties nothing',
  async (t, db) => {
    const migrator = createMigrator({
      sequelize: db.sequelize,
      migrations: writeBlog(db.dir),
      logger: false,
      include: (o) => o.name !== 'audit',
    });
    await migrator.reset();
    await db.sequelize.query('CREATE TABLE audit (id INTEGER PRIMARY KEY, userId INTEGER REFERENCES users (id))');
    const { user } = await fill(db.sequelize);
    await db.sequelize.query(`INSERT INTO audit (id, userId) VALUES (1, ${user})`);
    const error = await t.throwsAsync(migrator.reset());
    t.is((error as { code?: string }).code, 'E_UNSUPPORTED');
    // Rolled back whole: nothing was emptied.
    t.not((await counts(db.sequelize, OWNED)).users, 0);
    t.deepEqual(await historyNames(db.sequelize), Object.keys(BLOG));
  },
  // MySQL's switched-off foreign key checks cannot tell: there the rows are left as they are.
  { dialects: ['sqlite', 'postgres'] },
);

eachDialect('tables whose foreign keys form a cycle, or point at their own table, are emptied too', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '20250101000000-cycle.js': `module.exports = { async up(qi, S) {
      await qi.createTable('a', { id: { type: S.INTEGER, primaryKey: true, autoIncrement: true }, bId: { type: S.INTEGER, allowNull: true } });
      await qi.createTable('b', { id: { type: S.INTEGER, primaryKey: true, autoIncrement: true },
        aId: { type: S.INTEGER, allowNull: false, references: { model: 'a', key: 'id' }, onDelete: 'RESTRICT' } });
      await qi.createTable('nodes', { id: { type: S.INTEGER, primaryKey: true, autoIncrement: true },
        parentId: { type: S.INTEGER, allowNull: true, references: { model: 'nodes', key: 'id' }, onDelete: 'RESTRICT' } });
      if (qi.sequelize.getDialect() !== 'sqlite') {
        await qi.addConstraint('a', { fields: ['bId'], type: 'foreign key', name: 'a_b', references: { table: 'b', field: 'id' }, onDelete: 'RESTRICT' });
      }
    } };`,
  });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  const qi = db.sequelize.getQueryInterface();
  await migrator.reset();
  for (let round = 0; round < 2; round++) {
    t.is(await insertId(db.sequelize, 'a', { bId: null }), 1, `round ${round}`);
    t.is(await insertId(db.sequelize, 'b', { aId: 1 }), 1);
    await qi.bulkUpdate('a', { bId: 1 }, { id: 1 });
    t.is(await insertId(db.sequelize, 'nodes', { parentId: null }), 1);
    t.is(await insertId(db.sequelize, 'nodes', { parentId: 1 }), 2);
    await migrator.reset();
    t.deepEqual(await counts(db.sequelize, ['a', 'b', 'nodes']), zeros(['a', 'b', 'nodes']));
  }
  // Only the self-referencing table was written to: no cycle among the dirty tables.
  await insertId(db.sequelize, 'nodes', { parentId: null });
  await insertId(db.sequelize, 'nodes', { parentId: 1 });
  await migrator.reset();
  t.is(await insertId(db.sequelize, 'nodes', { parentId: null }), 1);
});

/** A trigger that writes an audit row for every deleted user, in each dialect's syntax. */
function auditTrigger(dialect: string): string[] {
  switch (dialect) {
    case 'postgres':
      return [
        `CREATE OR REPLACE FUNCTION audit_delete() RETURNS trigger AS $$ BEGIN INSERT INTO audit (note) VALUES ('deleted'); RETURN OLD; END $$ LANGUAGE plpgsql`,
        'CREATE TRIGGER users_audit AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION audit_delete()',
      ];
    case 'mysql':
      return [`CREATE TRIGGER users_audit AFTER DELETE ON users FOR EACH ROW INSERT INTO audit (note) VALUES ('deleted')`];
    default:
      return [`CREATE TRIGGER users_audit AFTER DELETE ON users BEGIN INSERT INTO audit (note) VALUES ('deleted'); END`];
  }
}

eachDialect('rows a trigger writes while reset() deletes are emptied too', async (t, db) => {
  const folder = writeBlog(db.dir);
  writeFileSync(
    join(folder, '20250105000000-audit.js'),
    `module.exports = { async up(qi, S) {
      await qi.createTable('audit', { id: { type: S.INTEGER, primaryKey: true, autoIncrement: true }, note: { type: S.STRING } });
      for (const sql of ${JSON.stringify(auditTrigger(db.dialect))}) await qi.sequelize.query(sql);
    } };`,
  );
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  await migrator.reset();
  for (let round = 0; round < 2; round++) {
    await fill(db.sequelize);
    // The test deleted a user itself: an audit row, and the users' counter moved.
    await db.sequelize.getQueryInterface().bulkInsert('users', [{ email: `gone${round}@x.org` }]);
    await db.sequelize.getQueryInterface().bulkDelete('users', { email: `gone${round}@x.org` });
    t.is(await count(db.sequelize, 'audit'), 1);
    await migrator.reset();
    t.deepEqual(await counts(db.sequelize, [...OWNED, 'audit']), zeros([...OWNED, 'audit']), `round ${round}`);
    t.is(await insertId(db.sequelize, 'audit', { note: 'x' }), 1);
    await migrator.reset();
  }
});

eachDialect('reset() rebuilds a database a migration left half-done outside a transaction, markers included', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), {
    '001-a.js': `module.exports = { async up(qi, S) { await qi.createTable('a', { id: { type: S.INTEGER, primaryKey: true } }); } };`,
    '002-b.js': `module.exports = { async up(qi, S) { await qi.createTable('b', { id: { type: S.INTEGER, primaryKey: true } }); throw new Error('boom'); } };`,
  });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, transaction: 'none', logger: false });
  await t.throwsAsync(migrator.upgrade(), { code: 'E_MIGRATION_FAILED' } as never);
  t.deepEqual(await tableNames(db.sequelize), ['SequelizeMeta_progress', 'a', 'b']);
  // The fixed file: the test suite's next reset() starts over instead of stopping on the marker.
  writeFileSync(join(folder, '002-b.js'), `module.exports = { async up(qi, S) { await qi.createTable('b', { id: { type: S.INTEGER, primaryKey: true } }); } };`);
  await migrator.reset();
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b']);
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js']);
  t.deepEqual((await migrator.status()).incomplete, []);
});
