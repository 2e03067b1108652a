import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createMigrator, type InCodeMigration } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, writeMigrations } from '../helpers/migrations';

/** Tables of `schema`, from the catalog (never through search_path). */
async function tablesIn(sequelize: Sequelize, schema: string): Promise<string[]> {
  const rows = await sequelize.query<{ t: string }>('SELECT tablename AS t FROM pg_tables WHERE schemaname = $1 ORDER BY tablename', {
    bind: [schema],
    type: QueryTypes.SELECT,
  });
  return rows.map((r) => r.t);
}

async function historyIn(sequelize: Sequelize, schema: string): Promise<string[]> {
  const rows = await sequelize.query<{ name: string }>(`SELECT name FROM "${schema}"."SequelizeMeta" ORDER BY name`, { type: QueryTypes.SELECT });
  return rows.map((r) => r.name);
}

/** `public` holds a same-named table of another shape and a history naming a migration nobody has. */
async function decoyPublic(sequelize: Sequelize): Promise<void> {
  await sequelize.query('CREATE TABLE users (other_id TEXT PRIMARY KEY, legacy BOOLEAN)');
  await sequelize.query('CREATE TABLE "SequelizeMeta" (name VARCHAR(255) PRIMARY KEY)');
  await sequelize.query(`INSERT INTO "SequelizeMeta" (name) VALUES ('000-public-only.js')`);
}

eachDialect('schema tenants sharing one Sequelize instance: unqualified migrations land in each schema, history and tables stay apart', async (t, db) => {
  await decoyPublic(db.sequelize);
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-users.js': createTableMigration('users', "await queryInterface.bulkInsert('users', [{ title: 'first' }]);"),
    '002-posts.js': createTableMigration('posts'),
    '003-status.js': `module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('users', 'status', { type: Sequelize.ENUM('active', 'gone'), allowNull: true });
    await queryInterface.sequelize.query("UPDATE users SET status = 'active'");
  },
  async down(queryInterface) { await queryInterface.removeColumn('users', 'status'); },
};`,
  });
  const migrate = (schema: string) => createMigrator({ sequelize: db.sequelize, migrations: folder, schema, logger: false }).upgrade();
  const results = await Promise.all(['tenant_a', 'tenant_b', 'tenant_c'].map(migrate));
  t.deepEqual(results.map((r) => r.map((s) => s.name)), [0, 1, 2].map(() => ['001-users', '002-posts', '003-status']), 'every schema ran every migration');
  for (const schema of ['tenant_a', 'tenant_b', 'tenant_c']) {
    t.deepEqual(await tablesIn(db.sequelize, schema), ['SequelizeMeta', 'posts', 'users'], `${schema} holds its tables and its history`);
    t.deepEqual(await historyIn(db.sequelize, schema), ['001-users.js', '002-posts.js', '003-status.js'], `${schema}'s history`);
    const [row] = await db.sequelize.query<{ title: string; status: string }>(`SELECT title, status FROM "${schema}".users`, { type: QueryTypes.SELECT });
    t.deepEqual([row.title, row.status], ['first', 'active'], `${schema}'s bulkInsert, addColumn and raw UPDATE landed in its own table`);
    const [type] = await db.sequelize.query<{ n: string }>(
      "SELECT n.nspname AS n FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = 'enum_users_status' AND n.nspname = $1",
      { bind: [schema], type: QueryTypes.SELECT },
    );
    t.truthy(type, `${schema} holds its own enum type`);
  }
  t.deepEqual(await tablesIn(db.sequelize, 'public'), ['SequelizeMeta', 'users'], 'public only holds the decoys');
  t.deepEqual(await historyIn(db.sequelize, 'public'), ['000-public-only.js'], "public's history untouched");
  // Every pooled connection is back on the default path: SET LOCAL ended with each transaction.
  const paths = await Promise.all([1, 2, 3, 4].map(() => db.sequelize.query<{ s: string }>('SELECT current_schema() AS s', { type: QueryTypes.SELECT })));
  t.deepEqual(paths.map(([r]) => r.s), ['public', 'public', 'public', 'public']);
  const status = await createMigrator({ sequelize: db.sequelize, migrations: folder, schema: 'tenant_a', logger: false }).status();
  t.deepEqual([status.pending, status.current, status.newer], [[], '003-status', []], "status reads the schema's history, not public's");
}, { dialects: ['postgres'] });

eachDialect('schemas lock apart: two schemas migrate at the same time in one database', async (t, db) => {
  // Each migration waits until the other schema's is inside its migration too: with one lock
  // for the database the second would wait for the first, which waits for it, until the timeout.
  let inside = 0;
  let release!: () => void;
  const both = new Promise<void>((resolve) => (release = resolve));
  const migrations: InCodeMigration[] = [
    {
      name: '001-meet',
      async up({ context }: { context: { createTable: Function } }) {
        inside++;
        if (inside === 2) release();
        await Promise.race([both, new Promise((_, reject) => setTimeout(() => reject(new Error('the other schema never started')), 20_000))]);
        await context.createTable('met', { id: { type: 'INTEGER', primaryKey: true } });
      },
    },
  ];
  const run = (schema: string) => createMigrator({ sequelize: db.sequelize, migrations, schema, logger: false }).upgrade();
  const [a, b] = await Promise.all([run('s_one'), run('s_two')]);
  t.deepEqual([a.length, b.length, inside], [1, 1, 2]);
  t.deepEqual([await tablesIn(db.sequelize, 's_one'), await tablesIn(db.sequelize, 's_two')], [['SequelizeMeta', 'met'], ['SequelizeMeta', 'met']]);
}, { dialects: ['postgres'] });

eachDialect('diff, check and generate inside a schema ignore a same-named table in another schema', async (t, db) => {
  await decoyPublic(db.sequelize);
  const S = db.sequelize.constructor as unknown as typeof import('sequelize');
  db.sequelize.define('users', { id: { type: S.INTEGER, primaryKey: true, autoIncrement: true }, title: S.STRING }, { tableName: 'users', timestamps: false });
  const folder = writeMigrations(join(db.dir, 'migrations'), { '001-users.js': createTableMigration('users') });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, schema: 'tenant_x', logger: false, language: 'js' });
  await migrator.upgrade();
  t.deepEqual(await migrator.diff(), [], 'the schema matches the models; public.users (another shape) is not looked at');
  await t.notThrowsAsync(migrator.check());
  db.sequelize.define('users', { id: { type: S.INTEGER, primaryKey: true, autoIncrement: true }, title: S.STRING, email: S.STRING }, { tableName: 'users', timestamps: false });
  const ops = await migrator.diff();
  t.deepEqual(ops.map((op) => op.kind), ['addColumn']);
  const generated = await migrator.generate('add email');
  const source = readFileSync(generated!.path, 'utf8');
  t.regex(source, /addColumn\('users', 'email'/, 'the migration names the table unqualified, so it applies to every tenant');
  t.notRegex(source, /tenant_x/);
  await migrator.upgrade();
  t.deepEqual(await migrator.diff(), []);
  const [column] = await db.sequelize.query<{ c: string }>(
    "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'tenant_x' AND table_name = 'users' AND column_name = 'email'",
    { type: QueryTypes.SELECT },
  );
  t.truthy(column, 'the generated migration added the column inside the schema');
  t.deepEqual(await tablesIn(db.sequelize, 'public'), ['SequelizeMeta', 'users']);
  const publicColumns = await db.sequelize.query<{ c: string }>(
    "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'users' ORDER BY column_name",
    { type: QueryTypes.SELECT },
  );
  t.deepEqual(publicColumns.map((c) => c.c), ['legacy', 'other_id'], 'addColumn did not reach public.users (Sequelize qualifies it with public by default)');
}, { dialects: ['postgres'] });

eachDialect('a schema migrator refuses what it cannot scope: transaction none, and a migration outside a transaction', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), {
    '001-users.js': createTableMigration('users'),
    '002-outside.js': `${createTableMigration('outside')}\nmodule.exports.transaction = false;\n`,
  });
  const none = await rejectsWith(t, Promise.resolve().then(() => createMigrator({ sequelize: db.sequelize, migrations: folder, schema: 't1', transaction: 'none' })), 'E_OPTIONS');
  t.is(none.subject, 'transaction');
  const refused = await rejectsWith(t, createMigrator({ sequelize: db.sequelize, migrations: folder, schema: 't1', logger: false }).upgrade(), 'E_UNSUPPORTED');
  t.regex(refused.message, /002-outside\.js/);
  t.deepEqual(await tablesIn(db.sequelize, 't1'), [], 'nothing ran: the refusal comes before the first migration');
  t.deepEqual(await tablesIn(db.sequelize, 'public'), []);
}, { dialects: ['postgres'] });

eachDialect('the schema option is refused where the database has no schemas, naming the option', async (t, db) => {
  const error = await rejectsWith(t, Promise.resolve().then(() => createMigrator({ sequelize: db.sequelize, migrations: [], schema: 'tenant_1' })), 'E_OPTIONS');
  t.is(error.subject, 'schema');
  t.regex(error.message, /database \(or file\) per tenant/);
}, { dialects: ['sqlite', 'mysql'] });

eachDialect('reset() inside a schema empties that schema only, and rebuilds it after a changed migration', async (t, db) => {
  await decoyPublic(db.sequelize);
  await db.sequelize.query(`INSERT INTO users (other_id) VALUES ('keep')`);
  const folder = writeMigrations(join(db.dir, 'migrations'), { '001-users.js': createTableMigration('users') });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, schema: 'tenant_r', logger: false });
  const other = createMigrator({ sequelize: db.sequelize, migrations: folder, schema: 'tenant_s', logger: false });
  await other.upgrade();
  await db.sequelize.query(`INSERT INTO tenant_s.users (title) VALUES ('stays')`);
  await migrator.reset();
  await db.sequelize.query(`INSERT INTO tenant_r.users (title) VALUES ('a'), ('b')`);
  await migrator.reset();
  const count = async (table: string) => Number((await db.sequelize.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`, { type: QueryTypes.SELECT }))[0].n);
  t.deepEqual([await count('tenant_r.users'), await count('tenant_s.users'), await count('public.users')], [0, 1, 1], 'only tenant_r was emptied');
  await db.sequelize.query(`INSERT INTO tenant_r.users (title) VALUES ('c')`);
  const [row] = await db.sequelize.query<{ id: number }>(`SELECT id FROM tenant_r.users`, { type: QueryTypes.SELECT });
  t.is(Number(row.id), 1, 'the counter restarted');
  writeMigrations(folder, { '001-users.js': createTableMigration('users', "await queryInterface.addColumn('users', 'extra', { type: Sequelize.INTEGER });") });
  await migrator.reset();
  t.deepEqual(await historyIn(db.sequelize, 'tenant_r'), ['001-users.js']);
  const columns = await db.sequelize.query<{ c: string }>(
    "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'tenant_r' AND table_name = 'users' ORDER BY column_name",
    { type: QueryTypes.SELECT },
  );
  t.deepEqual(columns.map((c) => c.c), ['extra', 'id', 'title'], 'the changed migration was run again from nothing');
  t.is(await count('tenant_s.users'), 1, "the other schema's rows survived the rebuild");
}, { dialects: ['postgres'] });
