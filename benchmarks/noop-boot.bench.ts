/**
 * Targets 1 and 5: the no-op boot. A fresh process loads Sequelize and calls autoMigrate on a
 * database where 200 of 200 migrations are applied, then exits. Its wall time must be at most
 * 1.10x the floor (the same process running one SELECT on the history table instead), and its
 * peak RSS is reported against the floor's. Plain umzug + SequelizeStorage is the reference.
 *
 * Two applications: without models (the runner alone), and with the 200 models that match the
 * migrations: under NODE_ENV=production autoMigrate's default skips comparing them with the
 * database; in development its default `onDrift: 'warn'` compares them on every boot.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bucketTable, hotFunctions } from './lib/cpu-profile';
import { distPath, machine, reachableDialects, runs, serverVersion, withDatabase, type TestDatabase } from './lib/bench-env';
import { interleaved, runBoot, type BootConfig, type BootRun } from './lib/child-process';
import { writeApp, type AppFixture } from './lib/fixture';
import { fixed, formatMs, formatRatio, summarize, verdict } from './lib/stats';
import { printTable } from './lib/table';

const COUNT = 200;
const TABLE = 'SequelizeMeta';

async function applyAll(db: TestDatabase, app: AppFixture, dist: string): Promise<void> {
  const { createMigrator } = require(dist) as typeof import('../lib');
  const applied = await createMigrator({ sequelize: db.sequelize, migrations: app.migrations, logger: false }).upgrade();
  if (applied.length !== COUNT) throw new Error(`set-up applied ${applied.length} migrations, not ${COUNT}`);
}

function medianOf(runsOf: readonly BootRun[], pick: (r: BootRun) => number | undefined): number {
  return summarize(runsOf.map((r) => pick(r) ?? 0)).median;
}

function rows(results: Record<string, BootRun[]>, floorKey: string, target: Record<string, number | undefined>): string[][] {
  const floor = summarize(results[floorKey].map((r) => r.wallMs)).median;
  const floorRss = medianOf(results[floorKey], (r) => r.report.maxRssKb);
  const floorCpu = medianOf(results[floorKey], (r) => r.report.cpuMs);
  return Object.entries(results).map(([name, list]) => {
    const wall = summarize(list.map((r) => r.wallMs));
    const rss = medianOf(list, (r) => r.report.maxRssKb);
    const cpu = medianOf(list, (r) => r.report.cpuMs);
    const first = list[0].report;
    const goal = target[name];
    return [
      name,
      formatMs(wall),
      formatRatio(wall.median, floor),
      goal === undefined ? '' : verdict(wall.median, floor, goal),
      `${fixed(cpu)} ms (${formatRatio(cpu, floorCpu)})`,
      `${(rss / 1024).toFixed(1)} MB (${formatRatio(rss, floorRss)})`,
      String(first.queries),
      `${first.modules} (${first.libraryModules} ours)`,
      String(first.migrationFilesRequired),
    ];
  });
}

/** Where a boot's time goes, from the child's own clock: medians in ms. */
function phases(results: Record<string, BootRun[]>): string[][] {
  return Object.entries(results).map(([name, list]) => [
    name,
    fixed(medianOf(list, (r) => r.report.started)),
    fixed(medianOf(list, (r) => r.report.sequelizeLoaded - r.report.started)),
    fixed(medianOf(list, (r) => (r.report.libraryLoaded === undefined ? 0 : r.report.libraryLoaded - r.report.sequelizeLoaded))),
    fixed(medianOf(list, (r) => r.report.workMs - (r.report.libraryLoaded === undefined ? 0 : r.report.libraryLoaded - r.report.sequelizeLoaded))),
    fixed(medianOf(list, (r) => r.report.exit - r.report.closed)),
    fixed(medianOf(list, (r) => r.wallMs - r.report.exit)),
  ]);
}

/**
 * BENCH_PROFILE=1: a few more boots of each variant under `node --cpu-prof`, their self time
 * added up by origin (Node's loader, Sequelize, this library, the drivers, waiting on I/O...).
 * The profiler slows everything down, so these figures explain; the table above measures.
 */
async function profile(variants: Record<string, () => BootConfig>, count: number, dist: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'automigrate-bench-profile-'));
  try {
    const files: Record<string, string[]> = {};
    for (const [name, config] of Object.entries(variants)) {
      const out = join(dir, String(Object.keys(files).length));
      for (let i = 0; i < count; i++) await runBoot(config(), ['--cpu-prof', `--cpu-prof-dir=${out}`]);
      files[name] = readdirSync(out).map((f) => join(out, f));
    }
    console.log(`\nProfile: self time by origin, ms, mean of ${count} boots under --cpu-prof:\n`);
    printTable(['origin', ...Object.keys(variants)], bucketTable(files, dist));
    const last = Object.keys(files).pop() ?? '';
    console.log(`\nThis library's busiest functions in "${last}", ms of self time over ${count} boots:\n`);
    printTable(['function', 'ms'], hotFunctions(files[last] ?? [], dist, 10).map(([name, ms]) => [name, ms.toFixed(1)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HEADERS = ['variant', 'wall time', 'vs floor', 'target', 'CPU time (vs floor)', 'peak RSS (vs floor)', 'queries', 'modules loaded', 'migration files required'];
const PHASE_HEADERS = ['variant', 'node start', 'load Sequelize (+models)', 'load library', 'work', 'close→exit', 'exit→parent'];

async function main(): Promise<void> {
  const dist = distPath();
  const n = runs(8);
  console.log(`No-op boot: ${COUNT} of ${COUNT} migrations applied; ${n} runs per variant after one warm-up; library ${dist}`);
  console.log(machine());
  for (const dialect of await reachableDialects()) {
    await withDatabase(dialect, async (db) => {
      const app = writeApp(db.dir, COUNT);
      await applyAll(db, app, dist);
      const base = { options: db.options, migrations: app.migrations, dist, tableName: TABLE };
      const boot = (config: Omit<BootConfig, keyof typeof base>) => () => runBoot({ ...base, ...config });

      console.log(`\n## ${dialect} (${await serverVersion(db)})\n`);
      const bare = await interleaved(
        {
          floor: boot({ mode: 'floor', models: null }),
          autoMigrate: boot({ mode: 'automigrate', models: null }),
          'umzug + SequelizeStorage': boot({ mode: 'umzug', models: null }),
        },
        n,
      );
      console.log('Application without models (the runner alone):\n');
      printTable(HEADERS, rows(bare, 'floor', { autoMigrate: 1.1 }));

      const withModels = await interleaved(
        {
          'floor + models': boot({ mode: 'floor', models: app.models }),
          'autoMigrate, NODE_ENV=production (default: no drift check)': boot({ mode: 'automigrate', models: app.models, nodeEnv: 'production' }),
          "autoMigrate, onDrift 'warn' (default in development)": boot({ mode: 'automigrate', models: app.models, nodeEnv: 'development' }),
        },
        n,
      );
      const drift = withModels["autoMigrate, onDrift 'warn' (default in development)"][0].report.drift;
      if (drift !== 0) console.log(`WARNING: the fixture's models differ from its migrations by ${drift} operation(s)`);
      console.log(`\nApplication with ${COUNT} models matching the migrations:\n`);
      printTable(HEADERS, rows(withModels, 'floor + models', { 'autoMigrate, NODE_ENV=production (default: no drift check)': 1.1, "autoMigrate, onDrift 'warn' (default in development)": 1.1 }));
      console.log('\nWhere the time goes (medians, ms):\n');
      printTable(PHASE_HEADERS, [...phases(bare), ...phases(withModels)]);
      if (process.env.BENCH_PROFILE) {
        const config = (c: Omit<BootConfig, keyof typeof base>): (() => BootConfig) => () => ({ ...base, ...c });
        await profile(
          {
            floor: config({ mode: 'floor', models: null }),
            autoMigrate: config({ mode: 'automigrate', models: null }),
            'floor + models': config({ mode: 'floor', models: app.models }),
            "autoMigrate 'warn'": config({ mode: 'automigrate', models: app.models, onDrift: 'warn' }),
          },
          5,
          dist,
        );
      }
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
