import { join } from 'node:path';
import { upgradeAll, type Tenant, type TenantResult } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { writeMigrations } from '../helpers/migrations';
import { ALL, fleetMigrations, makeFleet } from './fleet';


eachDialect('upgradeAll: one failing tenant is reported, the others are applied, a second run retries it after the fix', async (t, db) => {
  const fleet = await makeFleet(t, db, 5);
  await fleet.exec(2, 'CREATE TABLE {t}posts (id INTEGER PRIMARY KEY, legacy INTEGER)');
  const loadsKey = `__am_loads_${db.database.replace(/\W/g, '_')}`;
  const migrations = fleetMigrations(db.dir, loadsKey);
  const seen: string[] = [];
  const report = await upgradeAll({ tenants: fleet.tenants, migrations, concurrency: 2, logger: false, onTenant: (r) => void seen.push(r.id) });
  t.deepEqual(report.tenants.map((r) => [r.id, r.status]), [['t0', 'applied'], ['t1', 'applied'], ['t2', 'failed'], ['t3', 'applied'], ['t4', 'applied']]);
  t.deepEqual([report.applied, report.noop, report.failed, report.skipped], [4, 0, 1, 0]);
  t.deepEqual(seen.slice().sort(), ['t0', 't1', 't2', 't3', 't4'], 'onTenant heard of every tenant once');
  const failed = report.tenants[2];
  t.is((failed.error as { code?: string }).code, 'E_MIGRATION_FAILED');
  t.regex(failed.error!.message, /002-posts/);
  t.deepEqual(failed.steps.map((s) => s.name), ['001-users'], 'the step before the failure is reported applied');
  t.deepEqual(report.tenants[0].steps.map((s) => s.name), ['001-users', '002-posts', '003-tags']);
  for (const i of [0, 1, 3, 4]) t.deepEqual(await fleet.history(i), ALL, `t${i} at head`);
  t.deepEqual(await fleet.history(2), ['001-users.js'], 't2 stopped before 002');
  t.is((globalThis as Record<string, unknown>)[loadsKey], 1, 'the migration file was required once for the fleet, not once per tenant');

  await fleet.exec(2, 'DROP TABLE {t}posts');
  const retry = await upgradeAll({ tenants: fleet.tenants, migrations, concurrency: 2, logger: false });
  t.deepEqual(retry.tenants.map((r) => r.status), ['noop', 'noop', 'applied', 'noop', 'noop'], 'the second run resumes: only t2 had work');
  t.deepEqual(retry.tenants[2].steps.map((s) => s.name), ['002-posts', '003-tags']);
  t.deepEqual(await fleet.history(2), ALL);
});

eachDialect('upgradeAll with stopOnError: the tenants after the first failure are skipped, untouched', async (t, db) => {
  const fleet = await makeFleet(t, db, 5);
  await fleet.exec(1, 'CREATE TABLE {t}posts (id INTEGER PRIMARY KEY)');
  const report = await upgradeAll({ tenants: fleet.tenants, migrations: fleetMigrations(db.dir), concurrency: 1, stopOnError: true, logger: false });
  t.deepEqual(report.tenants.map((r) => r.status), ['applied', 'failed', 'skipped', 'skipped', 'skipped']);
  t.deepEqual([report.applied, report.failed, report.skipped], [1, 1, 3]);
  for (const i of [2, 3, 4]) t.deepEqual(await fleet.history(i), [], `t${i} untouched`);
});

eachDialect('upgradeAll never has more than `concurrency` tenants in flight, and pulls a generator no further ahead', async (t, db) => {
  const fleet = await makeFleet(t, db, 9);
  let inFlight = 0;
  let maxInFlight = 0;
  const migrations = [
    {
      name: '001-slow',
      async up({ context }: { context: import('sequelize').QueryInterface }) {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          await new Promise((resolve) => setTimeout(resolve, 150));
          await context.createTable('slow', { id: { type: 'INTEGER', primaryKey: true } });
        } finally {
          inFlight--;
        }
      },
    },
  ];
  let pulled = 0;
  let finished = 0;
  let maxAhead = 0;
  async function* tenants(): AsyncGenerator<Tenant> {
    for (const tenant of fleet.tenants) {
      pulled++;
      maxAhead = Math.max(maxAhead, pulled - finished);
      yield tenant;
    }
  }
  const onTenant = (_r: TenantResult) => void finished++;
  const report = await upgradeAll({ tenants: tenants(), migrations, concurrency: 3, logger: false, onTenant });
  t.is(report.applied, 9);
  t.true(maxInFlight <= 3, `at most 3 tenants inside a migration at once, saw ${maxInFlight}`);
  t.true(maxInFlight >= 2, `tenants did run concurrently (saw ${maxInFlight})`);
  t.true(maxAhead <= 3, `the generator was pulled at most 3 tenants ahead of the finished ones, saw ${maxAhead}`);
  t.is(pulled, 9);
});

eachDialect('upgradeAll refuses bad options before any tenant runs', async (t, db) => {
  const fleet = await makeFleet(t, db, 1);
  const error = await t.throwsAsync(upgradeAll({ tenants: fleet.tenants, migrations: [], concurrency: 0 }));
  t.is((error as { code?: string }).code, 'E_OPTIONS');
  const broken = writeMigrations(join(db.dir, 'broken'), { '001-bad.js': 'module.exports = { up: 1 };' });
  const shape = await t.throwsAsync(upgradeAll({ tenants: fleet.tenants, migrations: broken, logger: false }));
  t.is((shape as { code?: string }).code, 'E_MIGRATION_SHAPE');
  t.deepEqual(await fleet.tables(0), [], 'nothing was created in the tenant');
});
