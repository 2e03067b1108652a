/**
 * The first minutes of a new user, through the compiled binary: errors in the models module or a
 * migration name `file:line:column` in their one line; the config is found from a subfolder; init
 * repeats `-c` and ignores SQLite's lock files; file names transliterate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { binMissing, createProject, lines, type Project } from './cli-project';

const CONFIG = `
const { Sequelize } = require('sequelize');
module.exports = () => {
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: __dirname + '/db.sqlite', logging: false });
  require('./models')(sequelize);
  return { sequelize, migrations: 'migrations' };
};
`;

function project(t: ExecutionContext): Project | null {
  const missing = binMissing();
  if (missing) {
    t.fail(missing);
    return null;
  }
  const p = createProject();
  t.teardown(() => p.remove());
  p.mkdir('migrations');
  p.write('automigrate.config.js', CONFIG);
  p.write('models.js', 'module.exports = () => {};\n');
  return p;
}

function oneLine(t: ExecutionContext, stderr: string): string {
  const all = lines(stderr);
  t.is(all.length, 1, stderr);
  return all[0]!;
}

test('an error in the models module names models.js:line:column, not only the config', async (t) => {
  const p = project(t);
  if (!p) return;
  p.write('models.js', "const { DataTypes } = require('sequelize');\nmodule.exports = (sequelize) => {\n  sequelize.define('User', { name: DataTypes.STRING }, { tableName: 'users' })\n  sequelize.define('Post', { title: DataTypes.STRING } { tableName: 'posts' });\n};\n");
  const syntax = await p.run(['status']);
  t.is(syntax.code, 1);
  t.regex(oneLine(t, syntax.stderr), /^error: models\.js:4:\d+: SyntaxError: .*\(the function exported by automigrate\.config\.js threw\)$/);

  p.write('models.js', "module.exports = (sequelize) => {\n  const fields = {};\n  fields.name.type = 'x';\n};\n");
  const runtime = await p.run(['status']);
  t.is(runtime.code, 1);
  t.regex(oneLine(t, runtime.stderr), /^error: models\.js:3:\d+: TypeError: Cannot (read|set) properties of undefined .*\(the function exported by automigrate\.config\.js threw\)$/);
});

test('a migration that does not load names migrations/file:line:column without --verbose', async (t) => {
  const p = project(t);
  if (!p) return;
  p.write('migrations/001-bad.js', "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.createTable('x' {});\n  },\n};\n");
  const syntax = await p.run(['upgrade']);
  t.is(syntax.code, 1);
  t.regex(oneLine(t, syntax.stderr), /^error: Migration \S+\/migrations\/001-bad\.js:3:\d+ has a syntax error: missing \) after argument list$/);

  p.write('migrations/001-bad.js', "const helper = require('./no-such-helper');\nmodule.exports = { async up() {} };\n");
  const missing = await p.run(['upgrade']);
  t.is(missing.code, 1);
  t.regex(oneLine(t, missing.stderr), /migrations\/001-bad\.js:1:\d+ failed to load: Cannot find module '\.\/no-such-helper'/);
});

test('the config is found from a subfolder, up to the package root and not beyond', async (t) => {
  const p = project(t);
  if (!p) return;
  p.mkdir('src/deep');
  const found = await p.run(['current'], {});
  t.is(found.code, 0, found.stderr);
  const fromSub = await runIn(p, 'src/deep', ['current']);
  t.is(fromSub.code, 0, fromSub.stderr);
  t.is(fromSub.stdout, 'base\n');

  // A nested package (its own package.json) is a project boundary: its config is not the parent's.
  p.write('packages/inner/package.json', '{"name":"inner"}');
  const inner = await runIn(p, 'packages/inner', ['current']);
  t.is(inner.code, 1);
  t.regex(oneLine(t, inner.stderr), /no automigrate\.config\.\{js,cjs,mjs,ts\} in .*packages\/inner: run `automigrate init`/);
});

test('init: the next steps repeat -c, and .gitignore gets SQLite lock files once', async (t) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const p = createProject();
  t.teardown(() => p.remove());
  const custom = await p.run(['-c', 'config/am.config.js', 'init']);
  t.is(custom.code, 0, custom.stderr);
  t.is(lines(custom.stdout).pop(), '  npx sequelize-automigrate -c config/am.config.js migrate -m "initial"');
  t.true(lines(custom.stdout).includes('Created .gitignore (SQLite\'s lock files)'), custom.stdout);
  t.is(readFileSync(join(p.dir, '.gitignore'), 'utf8'), "# sequelize-automigrate: SQLite's migration lock files\n*-automigrate-lock\n");

  p.write('.gitignore', 'node_modules');
  const plain = await p.run(['init']);
  t.is(plain.code, 0, plain.stderr);
  t.is(lines(plain.stdout).pop(), '  npx sequelize-automigrate migrate -m "initial"');
  t.is(readFileSync(join(p.dir, '.gitignore'), 'utf8'), "node_modules\n# sequelize-automigrate: SQLite's migration lock files\n*-automigrate-lock\n");
  // Already there: left alone.
  p.write('other/package.json', '{}');
  const again = await runIn(p, '.', ['-c', 'third.config.js', 'init']);
  t.is(again.code, 0, again.stderr);
  t.false(again.stdout.includes('.gitignore'));
  t.is(readFileSync(join(p.dir, '.gitignore'), 'utf8').match(/automigrate-lock/g)?.length, 1);
});

test('revision -m Ünïcödé writes a transliterated file name', async (t) => {
  const p = project(t);
  if (!p) return;
  const made = await p.run(['revision', '-m', 'Ünïcödé Straße']);
  t.is(made.code, 0, made.stderr);
  t.regex(p.migrations()[0]!, /^\d{14}-unicode-strasse\.js$/);
});

/** Runs the binary with the working folder set to a subfolder of the project. */
function runIn(p: Project, sub: string, args: readonly string[]) {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const { BIN } = require('./cli-project') as typeof import('./cli-project');
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: join(p.dir, sub), env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
