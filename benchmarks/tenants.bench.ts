/**
 * Issue 20: a fleet of tenants, 20 migrations each, migrated by `upgradeAll()` at concurrency 1,
 * 2, 4 and 8 against the naive loop (a migrator per tenant, one after the other: what users write
 * today), each variant on a fresh fleet in a fresh process; then the no-op re-run of the fleet,
 * and peak RSS at 100 and at 1,000 SQLite tenants (upgradeAll and the naive loop).
 * Fleets: SQLite files, PostgreSQL schemas in one database (one shared Sequelize instance),
 * MariaDB databases. Sizes: BENCH_SQLITE (1000), BENCH_POSTGRES (200), BENCH_MYSQL (50).
 * Goals: the PostgreSQL fleet at concurrency 4 at most 0.6x of concurrency 1 (on two cores);
 * the no-op re-run of 1,000 SQLite tenants under 2 s; RSS flat in the number of tenants.
 * One run per variant (a fleet is itself hundreds of repetitions); ratios are taken in the same run.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionOptions, SERVERS } from '../test/helpers/databases';
import { distPath, machine, reachableDialects, serverVersion, withDatabase, type TestDatabase, type TestDialect } from './lib/bench-env';
import { fixed } from './lib/stats';
import { printTable } from './lib/table';

const SIZES: Record<TestDialect, number> = {
  sqlite: Number(process.env.BENCH_SQLITE ?? 1000),
  postgres: Number(process.env.BENCH_POSTGRES ?? 200),
  mysql: Number(process.env.BENCH_MYSQL ?? 50),
};
const CONCURRENCY = [1, 2, 4, 8] as const;
const MIGRATIONS = 20;

interface Outcome {
  readonly ms: number;
  readonly maxRssBytes: number;
  /** The heap still reachable once the fleet is done and garbage collected. */
  readonly heapAfterGcBytes: number;
  readonly applied: number;
  readonly noop: number;
  readonly failed: number;
  readonly error?: string;
}

/** Twenty sequelize-cli migrations: a table of five columns and an index each. */
function writeFleetMigrations(dir: string): string {
  const folder = join(dir, 'migrations');
  mkdirSync(folder, { recursive: true });
  for (let i = 1; i <= MIGRATIONS; i++) {
    const n = String(i).padStart(3, '0');
    writeFileSync(
      join(folder, `${n}-table-${n}.js`),
      `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('t${n}', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: Sequelize.STRING(100), allowNull: false },
      amount: { type: Sequelize.INTEGER, allowNull: true },
      note: { type: Sequelize.TEXT, allowNull: true },
      createdAt: { type: Sequelize.DATE, allowNull: true },
    });
    await queryInterface.addIndex('t${n}', ['name']);
  },
  async down(queryInterface) { await queryInterface.dropTable('t${n}'); },
};
`,
    );
  }
  return folder;
}

function runFleet(spec: object): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', join(__dirname, 'lib', 'children', 'fleet.cjs')], {
      env: { ...process.env, AM_BENCH: JSON.stringify(spec) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => {
      try {
        const parsed = JSON.parse(out) as Outcome;
        if (parsed.error && parsed.applied === undefined) reject(new Error(parsed.error));
        else resolve(parsed);
      } catch {
        reject(new Error(`fleet child printed no result: ${out}`));
      }
    });
  });
}

let variant = 0;

/** A fresh fleet of `count` tenants for one variant: its own file prefix, schemas or databases. */
async function fleetFor(db: TestDatabase, count: number): Promise<{ tenants: object; drop(): Promise<void> }> {
  const prefix = `v${variant++}_`;
  if (db.dialect === 'sqlite') return { tenants: { kind: 'sqlite', dir: db.dir, prefix, count }, drop: async () => undefined };
  if (db.dialect === 'postgres') return { tenants: { kind: 'schemas', options: db.options, prefix: `${db.database}_${prefix}`, count }, drop: async () => undefined };
  const names = Array.from({ length: count }, (_, i) => `${db.database}_${prefix}${i}`);
  for (const name of names) await db.sequelize.query(`CREATE DATABASE \`${name}\``);
  return {
    tenants: { kind: 'databases', options: connectionOptions('mysql', SERVERS.mysql.adminDatabase), prefix: `${db.database}_${prefix}`, count },
    drop: async () => {
      for (const name of names) await db.sequelize.query(`DROP DATABASE IF EXISTS \`${name}\``);
    },
  };
}

function check(outcome: Outcome, count: number, what: string, noop = false): Outcome {
  const expected = noop ? outcome.noop : outcome.applied;
  if (expected !== count || outcome.failed > 0) throw new Error(`${what}: expected ${count} ${noop ? 'noop' : 'applied'} tenants, got ${JSON.stringify(outcome)}`);
  return outcome;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function benchDialect(db: TestDatabase, dist: string, migrations: string): Promise<void> {
  const count = SIZES[db.dialect];
  console.log(`\n${db.dialect}: ${count} tenants x ${MIGRATIONS} migrations (${await serverVersion(db)})`);
  const rows: string[][] = [];
  const run = async (mode: 'naive' | 'all', concurrency: number, size = count) => {
    const fleet = await fleetFor(db, size);
    try {
      const outcome = check(await runFleet({ dist, mode, concurrency, migrations, tenants: fleet.tenants }), size, `${mode} c${concurrency}`);
      return { outcome, fleet };
    } catch (error) {
      await fleet.drop();
      throw error;
    }
  };
  const naive = await run('naive', 1);
  await naive.fleet.drop();
  rows.push(['naive loop', fixed(naive.outcome.ms), '1.00x', '', mb(naive.outcome.maxRssBytes)]);
  let c1 = 0;
  let noop: Outcome | undefined;
  for (const concurrency of CONCURRENCY) {
    const { outcome, fleet } = await run('all', concurrency);
    if (concurrency === 1) c1 = outcome.ms;
    rows.push([
      `upgradeAll, concurrency ${concurrency}`,
      fixed(outcome.ms),
      `${(outcome.ms / naive.outcome.ms).toFixed(2)}x`,
      `${(outcome.ms / c1).toFixed(2)}x`,
      mb(outcome.maxRssBytes),
    ]);
    if (concurrency === 4) {
      noop = check(await runFleet({ dist, mode: 'all', concurrency, migrations, tenants: fleet.tenants }), count, 'no-op re-run', true);
    }
    await fleet.drop();
  }
  rows.push(['no-op re-run (upgradeAll, concurrency 4)', fixed(noop!.ms), `${(noop!.ms / naive.outcome.ms).toFixed(2)}x`, '', mb(noop!.maxRssBytes)]);
  printTable(['variant', 'ms', 'vs naive loop', 'vs concurrency 1', 'peak RSS'], rows);
}

/**
 * Peak RSS against the number of tenants (100 and 1,000 SQLite tenants, BENCH_RSS_TENANTS),
 * upgradeAll and the naive loop. The files live in RSS_DIR (default /dev/shm when present):
 * memory is the process's, and a disk shared with other work would make 1,000 tenants take
 * many minutes without changing it.
 */
async function benchRss(dist: string, migrations: string, dir: string): Promise<void> {
  const sizes = [100, Number(process.env.BENCH_RSS_TENANTS ?? 1000)];
  const rows: string[][] = [];
  for (const [mode, concurrency] of [['all', 4], ['naive', 1]] as const) {
    const measured: Outcome[] = [];
    for (const count of sizes) {
      const tenants = { kind: 'sqlite', dir, prefix: `rss_${mode}_${count}_`, count };
      measured.push(check(await runFleet({ dist, mode, concurrency, migrations, tenants }), count, `rss ${mode} ${count}`));
    }
    const per = (key: 'maxRssBytes' | 'heapAfterGcBytes') => `${((measured[1][key] - measured[0][key]) / (sizes[1] - sizes[0]) / 1024).toFixed(1)} KB`;
    rows.push([
      mode === 'all' ? 'upgradeAll (concurrency 4)' : 'naive loop',
      ...measured.map((m) => `${mb(m.maxRssBytes)} / ${mb(m.heapAfterGcBytes)}`),
      `${per('maxRssBytes')} / ${per('heapAfterGcBytes')}`,
    ]);
  }
  console.log(`\nPeak RSS / heap after GC, SQLite tenants in ${dir}`);
  printTable(['memory', `${sizes[0]} tenants`, `${sizes[1]} tenants`, 'per extra tenant'], rows);
}

/**
 * The no-op re-run at 1,000 SQLite tenants (BENCH_NOOP_TENANTS) without migrating 1,000 files
 * first: one tenant is migrated, and its file copied (a tenant at head is a file at head).
 */
async function benchNoop(dist: string, migrations: string, dir: string): Promise<void> {
  const count = Number(process.env.BENCH_NOOP_TENANTS ?? 1000);
  check(await runFleet({ dist, mode: 'all', concurrency: 1, migrations, tenants: { kind: 'sqlite', dir, prefix: 'seed_', count: 1 } }), 1, 'seed');
  for (let i = 0; i < count; i++) copyFileSync(join(dir, 'seed_0.sqlite'), join(dir, `noop_${i}.sqlite`));
  const rows: string[][] = [];
  for (const concurrency of [1, 4]) {
    const outcome = check(await runFleet({ dist, mode: 'all', concurrency, migrations, tenants: { kind: 'sqlite', dir, prefix: 'noop_', count } }), count, 'no-op', true);
    rows.push([`upgradeAll, concurrency ${concurrency}`, fixed(outcome.ms), `${fixed(outcome.ms / count)} ms`]);
  }
  const naive = check(await runFleet({ dist, mode: 'naive', concurrency: 1, migrations, tenants: { kind: 'sqlite', dir, prefix: 'noop_', count } }), count, 'no-op naive', true);
  rows.push(['naive loop', fixed(naive.ms), `${fixed(naive.ms / count)} ms`]);
  console.log(`\nNo-op re-run, ${count} SQLite tenants at head (goal: under 2 s)`);
  printTable(['variant', 'ms', 'per tenant'], rows);
}

async function main(): Promise<void> {
  const dist = distPath();
  console.log(`Tenant fleets (issue 20). ${machine()}`);
  const dialects = await reachableDialects();
  for (const dialect of dialects) {
    await withDatabase(dialect, async (db) => {
      const migrations = writeFleetMigrations(db.dir);
      await benchDialect(db, dist, migrations);
      if (dialect !== 'sqlite' || process.env.BENCH_RSS === '0') return;
      const dir = mkdtempSync(join(process.env.RSS_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'am-rss-'));
      try {
        await benchNoop(dist, migrations, dir);
        await benchRss(dist, migrations, dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
