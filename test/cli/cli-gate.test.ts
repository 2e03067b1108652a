/**
 * `check` is the CI gate: through the binary, on every dialect, it fails (typed, naming the
 * migration) on everything `upgrade` refuses, and `history` / `status` show each state. Also:
 * `downgrade --step N` beyond the applied count, and `migrate` into a folder that lacks the
 * applied migrations' files.
 */
import { renameSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration } from '../helpers/migrations';
import { binMissing, createProject, dbEnv, lines, type Project } from './cli-project';

// No models compared (`include` keeps nothing): only the history decides what check says.
const configFor = (folder: string, extra = ''): string => `
const { Sequelize } = require('sequelize');
module.exports = () => ({ sequelize: new Sequelize(JSON.parse(process.env.AM_DB)), migrations: '${folder}', include: () => false${extra} });
`;

async function refused(t: ExecutionContext, project: Project, env: Record<string, string>, code: string, migration: string): Promise<void> {
  const check = await project.json(['check', '--json'], env);
  t.is(check.code, 1, check.stderr);
  t.is(check.data.error?.code, code, JSON.stringify(check.data));
  t.is(check.data.error?.subject, migration);
  const text = await project.run(['check'], env);
  t.is(text.code, 1);
  t.true(text.stderr.includes(migration), text.stderr);
  // What upgrade does with the same history: the same error, nothing applied.
  const before = (await project.json(['history', '--json'], env)).data;
  const upgrade = await project.json(['upgrade', '--json'], env);
  t.is(upgrade.code, 1);
  t.is(upgrade.data.error?.code, code);
  t.is(upgrade.data.error?.subject, migration);
  t.deepEqual((await project.json(['history', '--json'], env)).data, before);
}

async function entries(project: Project, env: Record<string, string>): Promise<Record<string, { state: string; head: boolean }>> {
  const { data } = await project.json(['history', '--json'], env);
  return Object.fromEntries(data.migrations.map((e: { name: string; state: string; head: boolean }) => [e.name, { state: e.state, head: e.head }]));
}

eachDialect('cli: check fails, typed and naming the migration, on everything upgrade refuses; history and status show it', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const project = createProject();
  t.teardown(() => project.remove());
  const env = dbEnv(db.options);
  project.write('automigrate.config.js', configFor('migrations'));
  project.mkdir('migrations');
  project.write('migrations/002-a.js', createTableMigration('a'));
  project.write('migrations/004-b.js', createTableMigration('b'));
  project.write('migrations/006-noop.js', 'module.exports = { async up() {}, async down() {} };');
  t.is((await project.run(['upgrade'], env)).code, 0);
  t.is((await project.run(['check'], env)).code, 0);

  // 1. An applied file edited.
  const file = join(project.dir, 'migrations', '002-a.js');
  const original = readFileSync(file, 'utf8');
  project.write('migrations/002-a.js', `${original}// edited\n`);
  await refused(t, project, env, 'E_CHECKSUM', '002-a');
  t.deepEqual((await entries(project, env))['002-a'], { state: 'changed', head: false });
  const status = await project.json(['status', '--json'], env);
  t.deepEqual(
    status.data.problems.map((p: { migration: string; code: string }) => [p.migration, p.code]),
    [['002-a', 'E_CHECKSUM']],
  );
  t.true(lines((await project.run(['status'], env)).stdout).some((l) => l.startsWith('Refused:  002-a (E_CHECKSUM)')));
  project.write('migrations/002-a.js', original);

  // 2. A pending file older than the newest applied one: out of order, not "pending (head)".
  project.write('migrations/001-early.js', createTableMigration('early'));
  await refused(t, project, env, 'E_OUT_OF_ORDER', '001-early');
  const order = await entries(project, env);
  t.deepEqual(order['001-early'], { state: 'out-of-order', head: false });
  t.deepEqual(order['006-noop'], { state: 'applied', head: true });
  const history = lines((await project.run(['history'], env)).stdout);
  t.regex(history[0]!, /^✗ 001-early\s+pending\s+older than an applied migration: upgrade refuses \(E_OUT_OF_ORDER\)$/);
  t.regex(history[3]!, /^✓ 006-noop .*\(current, head\)$/);
  renameSync(join(project.dir, 'migrations', '001-early.js'), join(project.dir, 'early.js.txt'));

  // 3. An applied file missing (not the newest: no rollback deploy explains it).
  renameSync(join(project.dir, 'migrations', '004-b.js'), join(project.dir, 'b.js.txt'));
  await refused(t, project, env, 'E_MISSING_MIGRATION', '004-b');
  t.deepEqual((await entries(project, env))['004-b'], { state: 'missing', head: false });
  renameSync(join(project.dir, 'b.js.txt'), join(project.dir, 'migrations', '004-b.js'));

  // 4. History rows newer than every file: a rollback deploy. upgrade runs on, so check passes.
  renameSync(join(project.dir, 'migrations', '006-noop.js'), join(project.dir, 'noop.js.txt'));
  const upgrade = await project.run(['upgrade'], env);
  t.is(upgrade.code, 0, upgrade.stderr);
  t.regex(upgrade.stderr, /newer than every file here \(006-noop\)/);
  const gate = await project.json(['check', '--json'], env);
  t.is(gate.code, 0, JSON.stringify(gate.data));
  t.true(gate.data.ok);
  const newer = await entries(project, env);
  t.deepEqual(newer['006-noop'], { state: 'newer', head: false });
  t.deepEqual(newer['004-b'], { state: 'applied', head: true });
  t.deepEqual((await project.json(['status', '--json'], env)).data.newer, ['006-noop']);
  renameSync(join(project.dir, 'noop.js.txt'), join(project.dir, 'migrations', '006-noop.js'));
  t.is((await project.run(['check'], env)).code, 0);
});

eachDialect('cli: check fails on an interrupted migration, as upgrade does', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const project = createProject();
  t.teardown(() => project.remove());
  const env = dbEnv(db.options);
  project.write('automigrate.config.js', configFor('migrations', ", transaction: 'none'"));
  project.mkdir('migrations');
  project.write('migrations/001-a.js', createTableMigration('a'));
  project.write(
    'migrations/002-b.js',
    `module.exports = { async up(qi, S) { await qi.createTable('b', { id: { type: S.INTEGER, primaryKey: true } }); throw new Error('boom'); } };`,
  );
  t.is((await project.run(['upgrade'], env)).code, 1);
  await refused(t, project, env, 'E_INCOMPLETE_MIGRATION', '002-b');
  t.deepEqual((await entries(project, env))['002-b'], { state: 'interrupted', head: true });
  // check reads the markers and leaves them: status still shows the interrupted step.
  t.deepEqual(
    (await project.json(['status', '--json'], env)).data.incomplete.map((s: { migration: string }) => s.migration),
    ['002-b'],
  );
});

eachDialect('cli: downgrade --step beyond the applied count is refused and reverts nothing', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const project = createProject();
  t.teardown(() => project.remove());
  const env = dbEnv(db.options);
  project.write('automigrate.config.js', configFor('migrations'));
  project.mkdir('migrations');
  project.write('migrations/001-a.js', createTableMigration('a'));
  project.write('migrations/002-b.js', createTableMigration('b'));
  t.is((await project.run(['upgrade'], env)).code, 0);

  const tooMany = await project.json(['downgrade', '--step', '3', '--json'], env);
  t.is(tooMany.code, 1);
  t.is(tooMany.data.error.code, 'E_STEP_COUNT');
  const text = await project.run(['downgrade', '--step', '99'], env);
  t.is(text.code, 1);
  t.regex(text.stderr, /only 2 migration\(s\) are applied.*downgrade base/);
  t.is((await project.run(['current'], env)).stdout, '002-b\n');
  t.deepEqual(await db.sequelize.getQueryInterface().showAllTables().then((ts) => (ts as string[]).filter((n) => n === 'a' || n === 'b').sort()), ['a', 'b']);

  const two = await project.json(['downgrade', '--step', '2', '--json'], env);
  t.is(two.code, 0, two.stderr);
  t.deepEqual(two.data.reverted.map((s: { name: string }) => s.name), ['002-b', '001-a']);
  // At base, the default single step still says there is nothing to revert.
  const none = await project.run(['downgrade'], env);
  t.is(none.code, 0, none.stderr);
  t.is(none.stdout, 'Nothing to revert (at base)\n');
});

eachDialect('cli: migrate refuses a folder that lacks the applied migrations, and writes nothing', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const project = createProject();
  t.teardown(() => project.remove());
  const env = dbEnv(db.options);
  project.write('automigrate.config.js', configFor('migrations'));
  project.mkdir('migrations');
  project.write('migrations/001-a.js', createTableMigration('a'));
  t.is((await project.run(['upgrade'], env)).code, 0);

  // The config now points at a folder that does not exist (a typo, the wrong package).
  project.write('automigrate.config.js', configFor('db/migrations'));
  const wrong = await project.json(['migrate', '-m', 'more', '--json'], env);
  t.is(wrong.code, 1);
  t.is(wrong.data.error.code, 'E_MISSING_MIGRATION');
  t.is(wrong.data.error.subject, '001-a');
  t.regex(wrong.data.error.message, /no file in .*db\/migrations \(001-a\.js\)/);
  t.false(require('node:fs').existsSync(join(project.dir, 'db')), 'nothing written');

  // An existing but different folder: the same refusal.
  project.mkdir('db/migrations');
  project.write('db/migrations/009-other.js', createTableMigration('other'));
  const other = await project.json(['migrate', '-m', 'more', '--json'], env);
  t.is(other.data.error?.code, 'E_MISSING_MIGRATION');
  t.deepEqual(require('node:fs').readdirSync(join(project.dir, 'db', 'migrations')), ['009-other.js']);
});

eachDialect('cli: upgrade and history report the same duration for a step; stamp --json names its target', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const project = createProject();
  t.teardown(() => project.remove());
  const env = dbEnv(db.options);
  project.write('automigrate.config.js', configFor('migrations'));
  project.mkdir('migrations');
  // Slow enough that a difference in what is timed would show.
  project.write('migrations/001-a.js', createTableMigration('a', 'await new Promise((r) => setTimeout(r, 60));'));
  project.write('migrations/002-b.js', createTableMigration('b'));
  const upgrade = await project.json(['upgrade', '--json'], env);
  t.is(upgrade.code, 0, upgrade.stderr);
  const history = (await project.json(['history', '--json'], env)).data.migrations;
  t.deepEqual(
    history.map((e: { name: string; durationMs: number }) => [e.name, e.durationMs]),
    upgrade.data.applied.map((s: { name: string; durationMs: number }) => [s.name, s.durationMs]),
  );
  t.true(upgrade.data.applied[0].durationMs >= 60);

  const base = await project.json(['stamp', 'base', '--json'], env);
  t.deepEqual(base.data, { target: 'base', current: null });
  t.is((await project.run(['stamp', 'base'], env)).stdout, 'Stamped: current is base\n');
  t.deepEqual((await project.json(['stamp', 'head', '--json'], env)).data, { target: 'head', current: '002-b' });
});
