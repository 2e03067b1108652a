/**
 * Progress lines, colours, the config's own hooks and a failing migration, through the compiled
 * binary, with hand-written migrations (no autogenerate involved).
 */
import { eachDialect } from '../helpers/each-dialect';
import { binMissing, createProject, dbEnv, lines, type Project } from './cli-project';

const CONFIG_WITH_HOOKS = `
const { Sequelize } = require('sequelize');
module.exports = async () => ({
  sequelize: new Sequelize(JSON.parse(process.env.AM_DB)),
  migrations: 'migrations',
  // A commit per migration, so each afterStep follows its own step (see the fresh-database test below).
  freshInOneTransaction: process.env.AM_FRESH !== '1' ? false : undefined,
  logger: { info: (m) => console.log('CONFIG LOGGER ' + m), warn() {}, error() {} },
  hooks: {
    beforeStep: (s) => { process.stdout.write('HOOK before ' + s.name + '\\n'); },
    afterStep: async (s) => { process.stdout.write('HOOK after ' + s.name + ' ' + s.direction + '\\n'); },
  },
});
`;

function migration(table: string): string {
  return `
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('${table}', { id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true } });
  },
  async down(queryInterface) {
    await queryInterface.dropTable('${table}');
  },
};
`;
}

const PLAIN_CONFIG = `
const { Sequelize } = require('sequelize');
module.exports = { sequelize: new Sequelize(JSON.parse(process.env.AM_DB)), migrations: 'migrations' };
`;

function setUp(project: Project, config = CONFIG_WITH_HOOKS): void {
  project.write('automigrate.config.js', config);
  project.write('migrations/20240101000000-one.js', migration('one'));
  project.write('migrations/20240102000000-two.js', migration('two'));
}

eachDialect('cli: progress lines around the config’s own hooks; its logger is replaced', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const project = createProject();
  t.teardown(() => project.remove());
  setUp(project);
  const env = dbEnv(db.options);

  const up = await project.run(['upgrade'], env);
  t.is(up.code, 0, up.stderr);
  const out = lines(up.stdout);
  t.is(out.length, 7, up.stdout);
  t.is(out[0], 'HOOK before 20240101000000-one');
  t.regex(out[1]!, /^↑ 20240101000000-one ✓ (\d+ ms|\d+\.\d s)$/);
  t.is(out[2], 'HOOK after 20240101000000-one up');
  t.is(out[3], 'HOOK before 20240102000000-two');
  t.regex(out[4]!, /^↑ 20240102000000-two ✓ (\d+ ms|\d+\.\d s)$/);
  t.is(out[5], 'HOOK after 20240102000000-two up');
  t.regex(out[6]!, /^2 migrations applied in [\d.]+ m?s; current: 20240102000000-two$/);
  t.false(up.stdout.includes('CONFIG LOGGER'));

  // The config's hooks print to stdout too; the JSON document follows their lines.
  const down = await project.run(['downgrade', '--step', '2', '--json'], env);
  t.is(down.code, 0, down.stderr);
  const json = { data: JSON.parse(down.stdout.slice(down.stdout.indexOf('{\n'))) };
  t.deepEqual(
    json.data.reverted.map((s: { name: string; direction: string }) => `${s.name} ${s.direction}`),
    ['20240102000000-two down', '20240101000000-one down'],
  );
  t.is(json.data.current, null);

  // --verbose shows the library's info lines (on stderr), never through the config's logger.
  const verbose = await project.run(['upgrade', '20240101000000-one', '--verbose'], env);
  t.is(verbose.code, 0, verbose.stderr);
  t.false(verbose.stdout.includes('CONFIG LOGGER'));
});

eachDialect(
  'cli: a failing migration ends its progress line with ✗ and exits 1 naming it',
  async (t, db) => {
    const missing = binMissing();
    if (missing) return t.fail(missing);
    const project = createProject();
    t.teardown(() => project.remove());
    setUp(project, PLAIN_CONFIG);
    project.write(
      'migrations/20240103000000-broken.js',
      "module.exports = { async up(queryInterface) { await queryInterface.sequelize.query('SELECT * FROM no_such_table'); } };",
    );
    const env = dbEnv(db.options);

    const result = await project.run(['upgrade'], env);
    t.is(result.code, 1);
    const out = lines(result.stdout);
    t.is(out.length, 3, result.stdout);
    t.is(out[2], '↑ 20240103000000-broken ✗');
    const err = lines(result.stderr);
    t.is(err.length, 1, result.stderr);
    t.true(err[0]!.startsWith('error: ') && err[0]!.includes('20240103000000-broken'));

    const json = await project.json(['upgrade', '--json'], env);
    t.is(json.code, 1);
    t.is(json.data.error.code, 'E_MIGRATION_FAILED');
    t.is(json.data.error.subject, '20240103000000-broken');
    // A fresh database is upgraded in one transaction where DDL is transactional: all or nothing.
    const kept = db.dialect === 'mysql' ? '20240102000000-two' : 'base';
    t.is((await project.run(['current'], env)).stdout, `${kept}\n`);
  },
);

eachDialect('cli: a fresh database upgraded in one transaction still prints one whole progress line per migration', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const project = createProject();
  t.teardown(() => project.remove());
  setUp(project);
  const up = await project.run(['upgrade'], { ...dbEnv(db.options), AM_FRESH: '1' });
  t.is(up.code, 0, up.stderr);
  const out = lines(up.stdout);
  const progress = out.filter((l) => l.startsWith('↑'));
  t.is(progress.length, 2, up.stdout);
  for (const line of progress) t.regex(line, /^↑ 2024010[12]000000-(one|two) ✓ (\d+ ms|\d+\.\d s)$/);
  const hooks = out.filter((l) => l.startsWith('HOOK'));
  // One transaction: every afterStep once everything committed; a commit per migration on MySQL.
  const order =
    db.dialect === 'mysql'
      ? ['HOOK before 20240101000000-one', 'HOOK after 20240101000000-one up', 'HOOK before 20240102000000-two', 'HOOK after 20240102000000-two up']
      : ['HOOK before 20240101000000-one', 'HOOK before 20240102000000-two', 'HOOK after 20240101000000-one up', 'HOOK after 20240102000000-two up'];
  t.deepEqual(hooks, order);
});

eachDialect(
  'cli: colours only when forced or on a terminal; NO_COLOR and pipes get plain text',
  async (t, db) => {
    const missing = binMissing();
    if (missing) return t.fail(missing);
    const project = createProject();
    t.teardown(() => project.remove());
    setUp(project);
    const env = dbEnv(db.options);
    const ESC = '\u001b[';

    const piped = await project.run(['upgrade', '20240101000000-one'], env);
    t.is(piped.code, 0);
    t.false(piped.stdout.includes(ESC));

    const forced = await project.run(['upgrade'], { ...env, FORCE_COLOR: '1' });
    t.is(forced.code, 0);
    t.true(forced.stdout.includes(`${ESC}32m✓${ESC}39m`), JSON.stringify(forced.stdout));

    const forcedError = await project.run(['stamp', 'nope'], { ...env, FORCE_COLOR: '1' });
    t.true(forcedError.stderr.startsWith(`${ESC}31merror:${ESC}39m `), JSON.stringify(forcedError.stderr));

    const noColor = await project.run(['history'], { ...env, NO_COLOR: '1' });
    t.is(noColor.code, 0);
    t.false(noColor.stdout.includes(ESC));
    t.is(lines(noColor.stdout).length, 2);
  },
  { dialects: ['sqlite'] },
);
