/**
 * `automigrate bundle`, run as the real binary in a throwaway project: writes the index, reports
 * it up to date, and `--check` fails in CI while it is missing or stale. No database is opened.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBundleIndex } from '../../lib/bundle/bundle';
import { BIN, CONFIG, binMissing, createProject, lines, modelsSource, type Project } from '../cli/cli-project';
import { createTableMigration } from '../helpers/migrations';

const missing = binMissing();

function project(t: ExecutionContext): Project {
  const p = createProject();
  t.teardown(() => p.remove());
  p.write('automigrate.config.js', CONFIG);
  p.write('models.js', modelsSource(1));
  p.write('migrations/20260101000000-users.js', createTableMigration('users'));
  p.write('migrations/20260102000000-posts.js', createTableMigration('posts'));
  return p;
}

/** The config reads its Sequelize options from AM_DB; the bundle command never connects. */
function env(p: Project): Record<string, string> {
  return { AM_DB: JSON.stringify({ dialect: 'sqlite', storage: join(p.dir, 'never-opened.sqlite'), logging: false }) };
}

test('bundle writes the index of the config\'s folder, then finds it up to date', async (t) => {
  if (missing) return t.fail(missing);
  const p = project(t);
  const first = await p.run(['bundle'], env(p));
  t.is(first.code, 0, first.stderr);
  t.deepEqual(lines(first.stdout), ['Wrote migrations/index.js (2 migrations)']);
  t.deepEqual(checkBundleIndex(join(p.dir, 'migrations')).stale, false);
  const again = await p.run(['bundle'], env(p));
  t.deepEqual(lines(again.stdout), ['migrations/index.js is up to date (2 migrations)']);
  t.false(existsSync(join(p.dir, 'never-opened.sqlite')), 'no database was opened');
});

test('bundle --check: exit 1 without an index and while stale, 0 once written', async (t) => {
  if (missing) return t.fail(missing);
  const p = project(t);
  const none = await p.run(['bundle', '--check'], env(p));
  t.is(none.code, 1);
  t.false(existsSync(join(p.dir, 'migrations', 'index.js')), '--check writes nothing');

  t.is((await p.run(['bundle'], env(p))).code, 0);
  t.is((await p.run(['bundle', '--check'], env(p))).code, 0);

  p.write('migrations/20260103000000-tags.js', createTableMigration('tags'));
  const stale = await p.run(['bundle', '--check'], env(p));
  t.is(stale.code, 1);
  t.deepEqual(lines(stale.stdout).slice(1), ['  + 20260103000000-tags.js (not listed)']);
  const json = await p.json(['bundle', '--check', '--json'], env(p));
  t.is(json.code, 1);
  t.like(json.data, { ok: false, stale: true, missing: ['20260103000000-tags.js'], extra: [], changed: [] });
});

test('bundle FOLDER needs no config; --language picks the index\'s language', async (t) => {
  if (missing) return t.fail(missing);
  const p = createProject();
  t.teardown(() => p.remove());
  p.write('db/migrations/20260101000000-users.js', createTableMigration('users'));
  const result = await p.json(['bundle', 'db/migrations', '--language', 'ts', '--json']);
  t.is(result.code, 0, result.stderr);
  t.like(result.data, { path: join(p.dir, 'db', 'migrations', 'index.ts'), language: 'ts', migrations: ['20260101000000-users.js'], changed: true });
  const usage = await p.run(['bundle', 'db/migrations', '--language', 'py']);
  t.is(usage.code, 2);
});

test('bundle refuses a config with in-code migrations and a hand-written index, naming them', async (t) => {
  if (missing) return t.fail(missing);
  const p = project(t);
  p.write('in-code.config.js', "module.exports = { sequelize: new (require('sequelize').Sequelize)('sqlite::memory:', { logging: false }), migrations: [] };");
  const inCode = await p.json(['bundle', '--config', 'in-code.config.js', '--json']);
  t.is(inCode.code, 1);
  t.is(inCode.data.error.code, 'E_OPTIONS');

  p.write('migrations/index.js', 'module.exports = [];\n');
  const handWritten = await p.json(['bundle', '--json'], env(p));
  t.is(handWritten.code, 1);
  t.like(handWritten.data.error, { code: 'E_MIGRATIONS_FOLDER', subject: join(p.dir, 'migrations', 'index.js') });
  t.is(readFileSync(join(p.dir, 'migrations', 'index.js'), 'utf8'), 'module.exports = [];\n');
});

/** Runs the binary, killing it after `ms`: null when it had to be killed. */
function runWithin(p: Project, args: readonly string[], extraEnv: Record<string, string>, ms: number): Promise<number | null> {
  return new Promise((done) => {
    const childEnv: Record<string, string | undefined> = { ...process.env, ...extraEnv };
    delete childEnv.NODE_OPTIONS;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: p.dir, env: childEnv, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done(signal === 'SIGKILL' ? null : code);
    });
  });
}

// `index.js` sorts after every timestamped name: choosing the next timestamp must ignore it
// (it once looped forever here).
test('revision after bundle writes the next migration (the index is not a migration)', async (t) => {
  if (missing) return t.fail(missing);
  const p = project(t);
  t.is((await p.run(['bundle'], env(p))).code, 0);
  t.is(await runWithin(p, ['revision', '-m', 'next'], env(p), 15_000), 0);
});
