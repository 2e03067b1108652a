/**
 * Target 2: applying 200 migrations (each a table with ten columns, an index and a foreign key)
 * to an empty database, in a fresh process, against plain umzug + SequelizeStorage running the
 * same sequelize-cli files: at most 0.6x umzug's time (issue 19: 0.5x on SQLite, and at most
 * 1.1x the bare loop on every dialect; an empty database is upgraded in one transaction where DDL
 * is transactional, `freshInOneTransaction`). The figure is the migration call itself
 * (autoMigrate / umzug.up()), timed inside the child; whole-process times are shown beside it.
 * A third variant, no runner at all (each file's up() awaited in turn), shows what the database
 * itself costs for those statements: the bound below which no runner can go.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distPath, machine, reachableDialects, runs, serverVersion, withDatabase, type TestDialect } from './lib/bench-env';
import { bucketTable } from './lib/cpu-profile';
import { runBoot, type BootMode, type BootRun } from './lib/child-process';
import { writeApp, type AppFixture } from './lib/fixture';
import { fixed, formatMs, formatRatio, summarize, verdict } from './lib/stats';
import { printTable } from './lib/table';

const COUNT = 200;

const VARIANTS: readonly { readonly name: string; readonly mode: BootMode }[] = [
  { name: 'umzug + SequelizeStorage', mode: 'umzug' },
  { name: 'autoMigrate', mode: 'automigrate' },
  { name: 'bare loop (no runner)', mode: 'bare' },
];

/** One run of one variant on a database of its own, created empty for it. */
function applyOnce(dialect: TestDialect, app: AppFixture, dist: string, mode: BootMode, nodeArgs: readonly string[] = []): Promise<BootRun> {
  return withDatabase(dialect, async (db) => {
    const config = { mode, options: db.options, migrations: app.migrations, models: null, dist, tableName: 'SequelizeMeta' };
    const run = await runBoot(config, nodeArgs);
    if (run.report.applied !== COUNT) throw new Error(`${mode} applied ${run.report.applied} migrations, not ${COUNT}`);
    return run;
  });
}

/**
 * BENCH_PROFILE=1: one more run of each variant under `node --cpu-prof`, self time by origin.
 * "idle" is the client waiting: on the database executing the migrations' DDL, and on its commits.
 */
async function profile(dialect: TestDialect, app: AppFixture, dist: string, dir: string): Promise<void> {
  const files: Record<string, string[]> = {};
  for (const variant of VARIANTS) {
    const out = join(dir, `profile-${dialect}-${variant.mode}`);
    await applyOnce(dialect, app, dist, variant.mode, ['--cpu-prof', `--cpu-prof-dir=${out}`]);
    files[variant.name] = readdirSync(out).map((f) => join(out, f));
  }
  console.log('\nProfile: self time by origin, ms, one run each under --cpu-prof:\n');
  printTable(['origin', ...Object.keys(files)], bucketTable(files, dist, 10));
}

async function main(): Promise<void> {
  const dist = distPath();
  const n = runs(3);
  const dir = mkdtempSync(join(tmpdir(), 'automigrate-bench-apply-'));
  try {
    const app = writeApp(dir, COUNT);
    console.log(`Applying ${COUNT} migrations to an empty database; ${n} runs per variant, alternating; library ${dist}`);
    console.log(machine());
    for (const dialect of await reachableDialects()) {
      const version = await withDatabase(dialect, serverVersion);
      const results = new Map<string, BootRun[]>(VARIANTS.map((v) => [v.name, []]));
      for (let i = 0; i < n; i++) {
        // Reverse the order every other round: the server's caches and the machine's load treat all alike.
        const order = i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
        for (const variant of order) results.get(variant.name)?.push(await applyOnce(dialect, app, dist, variant.mode));
      }
      const baseline = summarize((results.get(VARIANTS[0].name) ?? []).map((r) => r.report.workMs)).median;
      const baselineWall = summarize((results.get(VARIANTS[0].name) ?? []).map((r) => r.wallMs)).median;
      const bare = summarize((results.get(VARIANTS[2].name) ?? []).map((r) => r.report.workMs)).median;
      console.log(`\n## ${dialect} (${version})\n`);
      printTable(
        ['variant', 'migration call', 'vs umzug', 'target', 'vs no runner', 'target', 'whole process', 'vs umzug', 'queries'],
        [...results.entries()].map(([name, list]) => {
          const work = summarize(list.map((r) => r.report.workMs));
          const wall = summarize(list.map((r) => r.wallMs));
          return [
            name,
            formatMs(work),
            formatRatio(work.median, baseline),
            name === 'autoMigrate' ? verdict(work.median, baseline, dialect === 'sqlite' ? 0.5 : 0.6) : '',
            formatRatio(work.median, bare),
            name === 'autoMigrate' ? verdict(work.median, bare, 1.1) : '',
            `${fixed(wall.median)} ms`,
            formatRatio(wall.median, baselineWall),
            String(list[0].report.queries),
          ];
        }),
      );
      if (process.env.BENCH_PROFILE) await profile(dialect, app, dist, dir);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
