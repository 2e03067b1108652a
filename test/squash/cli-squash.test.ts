import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { eachDialect } from '../helpers/each-dialect';
import { historyNames, writeMigrations } from '../helpers/migrations';
import { binMissing, createProject, dbEnv, lines } from '../cli/cli-project';
import { BASELINE, HISTORY, LAST_REPLACED, REPLACED } from './fixtures';

// No models: `include: () => false` keeps check's drift comparison out of it; the history is what is tested.
const CONFIG = `
const { Sequelize } = require('sequelize');
module.exports = async () => ({ sequelize: new Sequelize(JSON.parse(process.env.AM_DB)), migrations: 'migrations', include: () => false });
`;

eachDialect('cli: automigrate squash --to NAME writes the baseline; a fresh database runs it; check stays green without the replaced files', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const project = createProject();
  t.teardown(() => project.remove());
  project.write('automigrate.config.js', CONFIG);
  const folder = writeMigrations(join(project.dir, 'migrations'), HISTORY);
  const env = dbEnv(db.options);

  const text = await project.run(['squash', '--to', LAST_REPLACED], env);
  t.is(text.code, 0, text.stderr);
  const out = lines(text.stdout);
  t.regex(out[0], new RegExp(`^Created .*${BASELINE}\\.js, replacing 4 migrations\\.$`));
  t.regex(out[1], new RegExp(`^Data: ${REPLACED[1]} also wrote rows`));
  const path = join(folder, `${BASELINE}.js`);
  t.true(existsSync(path));
  t.regex(readFileSync(path, 'utf8'), /replaces: \[/);
  t.deepEqual(await historyNames(db.sequelize).catch(() => 'no history table'), 'no history table', 'squash left the configured database alone');

  // A second squash to the same name refuses to overwrite it.
  const again = await project.run(['squash', '--to', LAST_REPLACED], env);
  t.is(again.code, 1);
  t.regex(again.stderr, /exists already/);

  const upgraded = await project.json(['upgrade', '--json'], env);
  t.is(upgraded.code, 0, upgraded.stderr);
  t.deepEqual(
    (upgraded.data.applied as { name: string }[]).map((s) => s.name),
    [BASELINE, '20250101000005-tags'],
  );
  for (const name of REPLACED) rmSync(join(folder, `${name}.js`));
  const check = await project.run(['check'], env);
  t.is(check.code, 0, check.stdout + check.stderr);
  const status = await project.json(['status', '--json'], env);
  t.deepEqual([status.data.pending, status.data.problems], [[], []]);
});
