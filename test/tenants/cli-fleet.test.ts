import { join } from 'node:path';
import { eachDialect } from '../helpers/each-dialect';
import { binMissing, createProject } from '../cli/cli-project';
import { fleetMigrations, makeFleet } from './fleet';

/** Tenants from AM_FLEET (specs as JSON); those with the same connection share one instance. */
const FLEET_CONFIG = `
const { Sequelize } = require('sequelize');
const instances = new Map();
module.exports = {
  migrations: 'migrations',
  tenants: JSON.parse(process.env.AM_FLEET).map((spec) => {
    const key = JSON.stringify(spec.options);
    if (!instances.has(key)) instances.set(key, new Sequelize(spec.options));
    return { id: spec.id, sequelize: instances.get(key), ...(spec.schema ? { schema: spec.schema } : {}) };
  }),
};
`;

eachDialect('cli: upgrade --all-tenants prints a line per tenant, exits 1 on a failed tenant, --json reports it and --retry runs only it', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const project = createProject();
  t.teardown(() => project.remove());
  const fleet = await makeFleet(t, db, 4);
  await fleet.exec(1, 'CREATE TABLE {t}posts (id INTEGER PRIMARY KEY, legacy INTEGER)');
  fleetMigrations(project.dir);
  project.write('automigrate.config.js', FLEET_CONFIG);
  const env = { AM_FLEET: JSON.stringify(fleet.specs) };

  const plain = await project.run(['upgrade', '--all-tenants', '--concurrency', '2'], env);
  t.is(plain.code, 1, plain.stderr);
  const lines = plain.stdout.trim().split('\n');
  t.deepEqual(
    lines.slice(0, 4).map((l) => l.slice(0, 5)).sort(),
    ['✓ t0:', '✓ t2:', '✓ t3:', '✗ t1:'],
    `one line per tenant off a terminal:\n${plain.stdout}`,
  );
  t.regex(plain.stdout, /✗ t1: E_MIGRATION_FAILED .*002-posts/);
  t.regex(lines[4], /^4 tenants in .*: 3 applied, 0 already at head, 1 failed/);

  const first = await project.json(['upgrade', '--all-tenants', '--json'], env);
  t.is(first.code, 1);
  t.deepEqual(first.data.tenants.map((r: { id: string; status: string }) => `${r.id} ${r.status}`), ['t0 noop', 't1 failed', 't2 noop', 't3 noop']);
  t.deepEqual([first.data.applied, first.data.noop, first.data.failed, first.data.skipped], [0, 3, 1, 0]);
  t.is(first.data.tenants[1].error.code, 'E_MIGRATION_FAILED');
  t.deepEqual(first.data.tenants[1].steps, [], 'its 001 was applied by the first run');
  project.write('report.json', JSON.stringify(first.data));

  const stillBroken = await project.json(['status', '--all-tenants', '--json'], env);
  t.deepEqual([stillBroken.code, stillBroken.data.head, stillBroken.data.behind, stillBroken.data.interrupted], [0, 3, 1, 0]);

  await fleet.exec(1, 'DROP TABLE {t}posts');
  const retry = await project.json(['upgrade', '--all-tenants', '--retry', 'report.json', '--json'], env);
  t.is(retry.code, 0, retry.stderr);
  t.deepEqual(retry.data.tenants.map((r: { id: string; status: string }) => `${r.id} ${r.status}`), ['t1 applied'], 'only the failed tenant ran');

  const status = await project.json(['status', '--all-tenants', '--json'], env);
  t.deepEqual([status.data.total, status.data.head, status.data.behind], [4, 4, 0]);
  const text = await project.run(['status', '--all-tenants'], env);
  t.regex(text.stdout, /4 tenants: 4 at head, 0 behind, 0 interrupted/);
  const badRetry = await project.run(['upgrade', '--all-tenants', '--retry', join(project.dir, 'nope.json')], env);
  t.is(badRetry.code, 1, badRetry.stderr);
  t.regex(badRetry.stderr, /--retry .*nope\.json/);
});
