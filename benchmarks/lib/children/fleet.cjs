/**
 * One fleet upgrade in a fresh process, for tenants.bench.ts: AM_BENCH (JSON) says which build,
 * which tenants, and whether to run upgradeAll() or the naive loop (a migrator per tenant, one
 * after the other, each requiring the files again). Prints { ms, maxRssBytes, applied, noop, failed }.
 */
const { performance } = require('node:perf_hooks');
const { join } = require('node:path');
const spec = JSON.parse(process.env.AM_BENCH);
const { Sequelize } = require('sequelize');
const lib = require(join(spec.dist, 'index.js'));

function tenants() {
  const { kind, prefix, count } = spec.tenants;
  let shared;
  if (kind === 'schemas') {
    const max = Math.max(10, 2 * spec.concurrency + 2);
    shared = new Sequelize({ ...spec.tenants.options, logging: false, pool: { max, min: 0, idle: 1000, acquire: 60000 } });
  }
  function* generate() {
    for (let i = 0; i < count; i++) {
      const id = `${prefix}${i}`;
      if (kind === 'schemas') {
        yield { id, sequelize: shared, schema: id };
        continue;
      }
      const options =
        kind === 'sqlite'
          ? { dialect: 'sqlite', storage: join(spec.tenants.dir, `${id}.sqlite`), logging: false }
          : { ...spec.tenants.options, database: id, logging: false };
      const sequelize = new Sequelize(options);
      yield { id, sequelize, release: () => sequelize.close() };
    }
  }
  return { generate, close: () => shared?.close() };
}

async function main() {
  const fleet = tenants();
  const started = performance.now();
  const counts = { applied: 0, noop: 0, failed: 0 };
  if (spec.mode === 'naive') {
    for (const tenant of fleet.generate()) {
      try {
        const steps = await lib
          .createMigrator({ sequelize: tenant.sequelize, migrations: spec.migrations, logger: false, ...(tenant.schema ? { schema: tenant.schema } : {}) })
          .upgrade();
        counts[steps.length > 0 ? 'applied' : 'noop']++;
      } catch {
        counts.failed++;
      } finally {
        await tenant.release?.();
      }
    }
  } else {
    const report = await lib.upgradeAll({ tenants: fleet.generate(), migrations: spec.migrations, concurrency: spec.concurrency, logger: false });
    Object.assign(counts, { applied: report.applied, noop: report.noop, failed: report.failed });
    const firstError = report.tenants.find((t) => t.error);
    if (firstError) counts.error = firstError.error.message;
  }
  const ms = performance.now() - started;
  await fleet.close();
  // What stays reachable after the fleet (run with --expose-gc): flat when nothing per tenant is kept.
  global.gc?.();
  const heapAfterGcBytes = process.memoryUsage().heapUsed;
  process.stdout.write(JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, heapAfterGcBytes, ...counts }));
}
main().catch((error) => {
  process.stdout.write(JSON.stringify({ error: String(error && error.stack) }));
  process.exitCode = 1;
});
