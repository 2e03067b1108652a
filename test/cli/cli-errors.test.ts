/**
 * Usage errors, config errors and `init`, through the compiled binary. Exit codes: 0 success,
 * 1 failure, 2 usage error. Every error is one `error:` line unless --verbose.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { REPO, binMissing, createProject, lines, type Project } from './cli-project';

const SQLITE_CONFIG = `
const { Sequelize } = require('sequelize');
module.exports = { sequelize: new Sequelize({ dialect: 'sqlite', storage: __dirname + '/db.sqlite', logging: false }), migrations: 'migrations' };
`;

/** A project with an empty migrations/ folder (unless `migrations: false`, for `init`). */
function project(t: ExecutionContext, options: { links?: readonly string[]; migrations?: boolean } = {}): Project | null {
  const missing = binMissing();
  if (missing) {
    t.fail(missing);
    return null;
  }
  const p = createProject({ links: options.links });
  t.teardown(() => p.remove());
  if (options.migrations !== false) p.mkdir('migrations');
  return p;
}

/** One `error: ...` line on stderr naming `culprit`, nothing else. */
function assertOneErrorLine(t: ExecutionContext, stderr: string, culprit: string): void {
  const errorLines = lines(stderr);
  t.is(errorLines.length, 1, stderr);
  t.true(errorLines[0]!.startsWith('error: '), stderr);
  t.true(errorLines[0]!.includes(culprit), `${stderr} should name ${culprit}`);
}

test('--version prints package.json version; --help lists every command', async (t) => {
  const p = project(t);
  if (!p) return;
  const version = await p.run(['--version']);
  t.is(version.code, 0);
  t.is(version.stdout.trim(), (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version);

  const help = await p.run(['--help']);
  t.is(help.code, 0);
  for (const command of ['init', 'migrate|generate', 'revision', 'upgrade', 'downgrade', 'current', 'history', 'status', 'check', 'stamp', 'sql']) {
    t.regex(help.stdout, new RegExp(`^  ${command.replace('|', '\\|')} `, 'm'), command);
  }
  const commandHelp = await p.run(['help', 'downgrade']);
  t.is(commandHelp.code, 0);
  t.regex(commandHelp.stdout, /^Usage: automigrate downgrade \[options\] \[target\]/);
  t.regex(commandHelp.stdout, /--step <n>/);
  t.regex(commandHelp.stdout, /--config <path>/, 'global options in per-command help');
  const upgradeHelp = await p.run(['upgrade', '--help']);
  t.is(upgradeHelp.code, 0);
  t.regex(upgradeHelp.stdout, /--json/);
});

test('usage errors exit 2 and print the usage', async (t) => {
  const p = project(t);
  if (!p) return;
  p.write('automigrate.config.js', SQLITE_CONFIG);
  const cases: [string[], string][] = [
    [['frobnicate'], 'frobnicate'],
    [['upgrade', '--frob'], '--frob'],
    [['--frob'], '--frob'],
    [['migrate', '-m'], '--message'],
    [['stamp'], 'target'],
    [['downgrade', '--step', 'x'], '--step'],
    [['upgrade', 'a', 'b'], 'upgrade'],
  ];
  for (const [args, culprit] of cases) {
    const result = await p.run(args);
    t.is(result.code, 2, args.join(' '));
    t.is(result.stdout, '', args.join(' '));
    const first = lines(result.stderr)[0] ?? '';
    t.true(first.startsWith('error: ') && first.includes(culprit), `${args.join(' ')}: ${first}`);
    t.regex(result.stderr, /^Usage: automigrate/m, args.join(' '));
  }
  const none = await p.run([]);
  t.is(none.code, 2);
  t.regex(none.stderr, /^Usage: automigrate \[options\] \[command\]/m);
});

test('a missing config exits 1 naming the folder; --config names the file', async (t) => {
  const p = project(t);
  if (!p) return;
  const missing = await p.run(['current']);
  t.is(missing.code, 1);
  assertOneErrorLine(t, missing.stderr, p.dir);
  const json = await p.json(['status', '--json']);
  t.is(json.code, 1);
  t.is(json.data.error.code, 'E_OPTIONS');

  const explicit = await p.run(['--config', 'conf/nope.js', 'current']);
  t.is(explicit.code, 1);
  assertOneErrorLine(t, explicit.stderr, 'conf/nope.js');
  // Global options also after the command.
  const after = await p.run(['current', '--config', 'conf/nope.js']);
  t.is(after.code, 1);
  assertOneErrorLine(t, after.stderr, 'conf/nope.js');
});

test('a config with a syntax error exits 1 naming the file and line; --verbose adds the stack', async (t) => {
  const p = project(t);
  if (!p) return;
  p.write('automigrate.config.js', 'module.exports = {\n  sequelize: ,\n};\n');
  const result = await p.run(['upgrade']);
  t.is(result.code, 1);
  assertOneErrorLine(t, result.stderr, 'automigrate.config.js');
  t.regex(result.stderr, /^error: automigrate\.config\.js:2:\d+: SyntaxError: .*\(cannot load automigrate\.config\.js\)$/m);
  t.is((await p.json(['upgrade', '--json'])).data.error.code, 'E_OPTIONS');

  const verbose = await p.run(['upgrade', '--verbose']);
  t.is(verbose.code, 1);
  t.true(lines(verbose.stderr).length > 1);
  t.regex(verbose.stderr, /^\s+at /m);
  t.regex(verbose.stderr, /SyntaxError/);
});

test('config shape errors: wrong export, throwing function, two configs', async (t) => {
  const p = project(t);
  if (!p) return;
  p.write('automigrate.config.js', 'module.exports = { migrations: "migrations" };');
  const shape = await p.json(['current', '--json']);
  t.is(shape.code, 1);
  t.is(shape.data.error.code, 'E_OPTIONS');
  assertOneErrorLine(t, shape.stderr, 'automigrate.config.js');

  p.write('automigrate.config.js', 'module.exports = async () => { throw new Error("no DATABASE_URL"); };');
  const threw = await p.run(['current']);
  t.is(threw.code, 1);
  assertOneErrorLine(t, threw.stderr, 'no DATABASE_URL');

  p.write('automigrate.config.cjs', SQLITE_CONFIG);
  const two = await p.run(['current']);
  t.is(two.code, 1);
  assertOneErrorLine(t, two.stderr, 'automigrate.config.cjs');
  const chosen = await p.run(['--config', 'automigrate.config.cjs', 'current']);
  t.is(chosen.code, 0, chosen.stderr);
  t.is(chosen.stdout, 'base\n');
});

test('an unknown createMigrator option in the config is the library’s E_OPTIONS', async (t) => {
  const p = project(t);
  if (!p) return;
  p.write('automigrate.config.js', SQLITE_CONFIG.replace("migrations: 'migrations'", "migrations: 'migrations', transacton: 'all'"));
  const result = await p.json(['current', '--json']);
  t.is(result.code, 1);
  t.is(result.data.error.code, 'E_OPTIONS');
  t.is(result.data.error.subject, 'transacton');
});

test('ESM configs: .mjs, and .js in a "type": "module" package, default export or function', async (t) => {
  const p = project(t);
  if (!p) return;
  const esm = `
import { Sequelize } from 'sequelize';
export default async () => ({ sequelize: new Sequelize({ dialect: 'sqlite', storage: 'db.sqlite', logging: false }), migrations: 'migrations' });
`;
  p.write('automigrate.config.mjs', esm);
  const mjs = await p.run(['current']);
  t.is(mjs.code, 0, mjs.stderr);
  t.is(mjs.stdout, 'base\n');

  p.write('sub/package.json', JSON.stringify({ type: 'module' }));
  p.write('sub/automigrate.config.js', esm.replace('async () => (', '('));
  p.mkdir('sub/migrations');
  const js = await p.run(['--config', 'sub/automigrate.config.js', 'history']);
  t.is(js.code, 0, js.stderr);
  t.regex(js.stdout, /^No migrations yet/);
});

test('a .ts config loads with the project’s tsx, and says to install it otherwise', async (t) => {
  const without = project(t);
  if (!without) return;
  const ts = `
import { Sequelize } from 'sequelize';
const storage: string = 'db.sqlite';
export default { sequelize: new Sequelize({ dialect: 'sqlite', storage, logging: false }), migrations: 'migrations' };
`;
  without.write('automigrate.config.ts', ts);
  const missing = await without.json(['current', '--json']);
  t.is(missing.code, 1);
  t.is(missing.data.error.code, 'E_OPTIONS');
  t.regex(missing.data.error.message, /tsx/);

  const withTsx = project(t, { links: ['tsx'] });
  if (!withTsx) return;
  withTsx.write('automigrate.config.ts', ts);
  const loaded = await withTsx.run(['current']);
  t.is(loaded.code, 0, loaded.stderr);
  t.is(loaded.stdout, 'base\n');
});

test('init writes a CommonJS config and migrations/, then refuses to overwrite', async (t) => {
  const p = project(t, { migrations: false });
  if (!p) return;
  const first = await p.run(['init']);
  t.is(first.code, 0, first.stderr);
  t.deepEqual(p.migrations(), []);
  t.regex(lines(first.stdout)[1]!, /^Created migrations\/$/);
  const config = readFileSync(join(p.dir, 'automigrate.config.js'), 'utf8');
  t.regex(config, /module\.exports = async \(\) => \{/);
  t.regex(config, /require\('\.\/models'\)/);
  t.regex(config, /return \{ sequelize, migrations: 'migrations' \};/);
  t.is(lines(first.stdout)[0], 'Created automigrate.config.js');

  p.write('automigrate.config.js', '// mine\n');
  const again = await p.run(['init']);
  t.is(again.code, 1);
  assertOneErrorLine(t, again.stderr, 'automigrate.config.js');
  t.is(readFileSync(join(p.dir, 'automigrate.config.js'), 'utf8'), '// mine\n');

  const custom = await p.run(['--config', 'config/am.config.cjs', 'init', '--directory', 'db/migrations']);
  t.is(custom.code, 0, custom.stderr);
  t.regex(readFileSync(join(p.dir, 'config', 'am.config.cjs'), 'utf8'), /migrations: 'db\/migrations'/);
  t.is((await p.run(['--config', 'config/am.config.cjs', 'init'])).code, 1);
});

test('init writes TypeScript next to a tsconfig.json and ESM in a module package', async (t) => {
  const ts = project(t, { migrations: false });
  if (!ts) return;
  ts.write('tsconfig.json', '{}');
  t.is((await ts.run(['init'])).code, 0);
  const tsConfig = readFileSync(join(ts.dir, 'automigrate.config.ts'), 'utf8');
  t.regex(tsConfig, /^import \{ sequelize \} from '\.\/models';$/m);
  t.regex(tsConfig, /^export default /m);

  const esm = project(t, { migrations: false });
  if (!esm) return;
  esm.write('package.json', JSON.stringify({ type: 'module' }));
  t.is((await esm.run(['init'])).code, 0);
  const esmConfig = readFileSync(join(esm.dir, 'automigrate.config.js'), 'utf8');
  t.regex(esmConfig, /^export default async \(\) => \{$/m);
  t.regex(esmConfig, /await import\('\.\/models\/index\.js'\)/);
});

test('the init template works once ./models exists', async (t) => {
  const p = project(t);
  if (!p) return;
  t.is((await p.run(['init'])).code, 0);
  p.write(
    'models/index.js',
    "const { Sequelize } = require('sequelize');\nmodule.exports = { sequelize: new Sequelize({ dialect: 'sqlite', storage: 'db.sqlite', logging: false }) };\n",
  );
  const status = await p.json(['status', '--json']);
  t.is(status.code, 0, status.stderr);
  t.deepEqual(status.data, { current: null, applied: [], pending: [], incomplete: [], inProgress: [], lock: status.data.lock, problems: [], newer: [], drift: 0 });
  t.regex(String(status.data.lock), /^(sqlite|postgres|mysql|galera) .*(lock|lease)/i, 'status names the lock a run would take');
});

test('Sequelize’s own SQL logging never reaches stdout; --verbose sends it to stderr', async (t) => {
  const p = project(t);
  if (!p) return;
  // No `logging: false`: Sequelize's default is console.log.
  p.write(
    'automigrate.config.js',
    "const { Sequelize } = require('sequelize');\nmodule.exports = { sequelize: new Sequelize({ dialect: 'sqlite', storage: 'db.sqlite' }), migrations: 'migrations' };\n",
  );
  const quiet = await p.run(['current']);
  t.is(quiet.code, 0, quiet.stderr);
  t.is(quiet.stdout, 'base\n');
  t.is(quiet.stderr, '');
  const verbose = await p.run(['current', '--verbose']);
  t.is(verbose.stdout, 'base\n');
  t.regex(verbose.stderr, /Executing \(default\)/);
});

test('.ts migrations next to a .js config load when the project has tsx', async (t) => {
  const tsMigration = `
import type { QueryInterface } from 'sequelize';
export async function up(queryInterface: QueryInterface, Sequelize: any): Promise<void> {
  await queryInterface.createTable('things', { id: { type: Sequelize.INTEGER, primaryKey: true } });
}
`;
  const withTsx = project(t, { links: ['tsx'] });
  if (!withTsx) return;
  withTsx.write('automigrate.config.js', SQLITE_CONFIG);
  withTsx.write('migrations/20240101000000-things.ts', tsMigration);
  const applied = await withTsx.run(['upgrade']);
  t.is(applied.code, 0, applied.stderr);
  t.is((await withTsx.run(['current'])).stdout, '20240101000000-things\n');

  const without = project(t);
  if (!without) return;
  without.write('automigrate.config.js', SQLITE_CONFIG);
  without.write('migrations/20240101000000-things.ts', tsMigration);
  const refused = await without.json(['upgrade', '--json']);
  t.is(refused.code, 1);
  t.is(refused.data.error.code, 'E_MIGRATION_LOAD');
});
