/**
 * Issue 8: the cold start of the bundled serverless example (examples/serverless) when there is
 * nothing to migrate, against the same handler bundled without migrations: sequelize-automigrate
 * and the migrations index replaced by stubs, so the baseline loads the same Sequelize, opens the
 * same connection and runs the same query. Each run is a fresh `node` process that loads the
 * bundle and invokes the handler twice (cold, then warm); the figures are taken inside it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Options } from 'sequelize';
import type { BuildOptions, Plugin } from 'esbuild';
import { distPath, machine, reachableDialects, runs, serverVersion, withDatabase } from './lib/bench-env';
import { fixed, formatMs, formatRatio, summarize } from './lib/stats';
import { printTable } from './lib/table';

const REPO = join(__dirname, '..');
const EXAMPLE = join(REPO, 'examples', 'serverless');
const LINKED = ['sequelize', 'sqlite3', 'pg', 'mysql2'];

interface ColdStart {
  /** Loading Sequelize (external, the same in both variants), timed apart so its noise stays out of the next figure. */
  readonly sequelizeMs: number;
  /** Loading the bundle itself: the handler, and in one variant the library and the migrations. */
  readonly bundleMs: number;
  /** The first invocation: connect, migrate (or not), query. */
  readonly firstMs: number;
  /** The second invocation of the same instance. */
  readonly warmMs: number;
  /** Process start (Node's time origin) to the first response: what a cold request waits for, platform aside. */
  readonly totalMs: number;
}

const VARIANTS = ['no migrations (baseline)', 'autoMigrate, nothing pending'] as const;
type Variant = (typeof VARIANTS)[number];

/** The handler without the library: the same code, its two migration imports answered by stubs. */
const withoutMigrations: Plugin = {
  name: 'without-migrations',
  setup(build) {
    build.onResolve({ filter: /^sequelize-automigrate$/ }, () => ({ path: 'library', namespace: 'stub' }));
    build.onResolve({ filter: /^\.\/migrations$/ }, () => ({ path: 'index', namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({
      contents: args.path === 'library' ? 'exports.autoMigrate = async () => ({ applied: [], drift: [] });' : 'module.exports = [];',
      loader: 'js',
    }));
  },
};

/** Loads the bundle, invokes it twice, prints the timings as JSON, ends like a reclaimed instance. */
const CHILD = `
const { performance } = require('node:perf_hooks');
const { createRequire } = require('node:module');
const start = performance.now();
createRequire(process.env.BUNDLE)('sequelize');
const sequelizeLoaded = performance.now();
const { handler } = require(process.env.BUNDLE);
const loaded = performance.now();
const context = { getRemainingTimeInMillis: () => 30000 };
(async () => {
  await handler({}, context);
  const first = performance.now();
  await handler({}, context);
  const warm = performance.now();
  console.log(JSON.stringify({
    sequelizeMs: sequelizeLoaded - start,
    bundleMs: loaded - sequelizeLoaded,
    firstMs: first - loaded,
    warmMs: warm - first,
    totalMs: first,
  }));
  process.exit(0);
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** Requires one module and prints how long that took: the library's own load, nothing else. */
const LOAD_CHILD = `
const { performance } = require('node:perf_hooks');
const start = performance.now();
require(process.env.TARGET);
console.log(JSON.stringify({ requireMs: performance.now() - start }));
`;

function databaseUrl(options: Options): string {
  if (options.dialect === 'sqlite') return `sqlite://${options.storage}`;
  const auth = `${encodeURIComponent(options.username ?? '')}:${encodeURIComponent(options.password ?? '')}`;
  return `${options.dialect}://${auth}@${options.host}:${options.port}/${options.database}`;
}

function coldStart(child: string, bundle: string, url: string): Promise<ColdStart> {
  return runChild<ColdStart>(child, { BUNDLE: bundle, DATABASE_URL: url }, '{"sequelizeMs"');
}

/** Runs `node child` on plain Node (without tsx) and parses the line of JSON starting with `prefix`. */
function runChild<T>(child: string, extra: Record<string, string>, prefix: string): Promise<T> {
  return new Promise((done, fail) => {
    const env: Record<string, string | undefined> = { ...process.env, ...extra };
    delete env.NODE_OPTIONS;
    const proc = spawn(process.execPath, [child], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    proc.on('error', fail);
    proc.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(prefix));
      if (code !== 0 || !line) fail(new Error(`${child} failed (exit ${code}):\n${stdout}\n${stderr}`));
      else done(JSON.parse(line) as T);
    });
  });
}

async function main(): Promise<void> {
  const lib = distPath();
  const n = runs(15);
  const dir = mkdtempSync(join(tmpdir(), 'automigrate-bench-serverless-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    for (const name of LINKED) symlinkSync(join(REPO, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
    const child = join(dir, 'cold-start.js');
    writeFileSync(child, CHILD);
    const { build } = require(join(EXAMPLE, 'build.js')) as { build(overrides: BuildOptions): Promise<unknown> };
    const bundles: Record<Variant, string> = {
      'no migrations (baseline)': join(dir, 'baseline', 'handler.js'),
      'autoMigrate, nothing pending': join(dir, 'automigrate', 'handler.js'),
    };
    await build({ outfile: bundles['no migrations (baseline)'], plugins: [withoutMigrations] });
    await build({ outfile: bundles['autoMigrate, nothing pending'], alias: { 'sequelize-automigrate': join(lib, 'index.js') } });

    console.log(`Cold start of examples/serverless bundled with esbuild, nothing to migrate; ${n} fresh processes per variant, alternating; library ${lib}`);
    console.log(machine());
    console.log(
      `bundle sizes: ${VARIANTS.map((v) => `${v} ${(statSync(bundles[v]).size / 1024).toFixed(0)} KiB`).join(', ')} ` +
        '(Sequelize and the driver are external, loaded from node_modules in both)',
    );
    await libraryLoad(dir, lib, n);
    for (const dialect of await reachableDialects()) {
      await withDatabase(dialect, async (db) => {
        const version = await serverVersion(db);
        const url = databaseUrl(db.options);
        // Bring the database to head once; every measured start then finds nothing pending.
        await coldStart(child, bundles['autoMigrate, nothing pending'], url);
        for (const variant of VARIANTS) await coldStart(child, bundles[variant], url); // warm the OS caches
        const results = new Map<Variant, ColdStart[]>(VARIANTS.map((v) => [v, []]));
        for (let i = 0; i < n; i++) {
          const order = i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
          for (const variant of order) results.get(variant)!.push(await coldStart(child, bundles[variant], url));
        }
        const base = results.get(VARIANTS[0])!;
        const metric = (list: ColdStart[], key: keyof ColdStart) => summarize(list.map((r) => r[key]));
        console.log(`\n## ${dialect} (${version})\n`);
        // What the library can change: loading the bundle and the first invocation. Node's own
        // start and Sequelize's load are the same code in both variants, and only add noise.
        const own = (list: ColdStart[]) => summarize(list.map((r) => r.bundleMs + r.firstMs));
        printTable(
          ['variant', 'load Sequelize', 'load bundle', 'first invocation', 'bundle + first', 'vs baseline', 'added', 'warm invocation', 'start to first response'],
          VARIANTS.map((variant) => {
            const list = results.get(variant)!;
            const mine = own(list);
            const baseline = own(base).median;
            return [
              variant,
              formatMs(metric(list, 'sequelizeMs')),
              formatMs(metric(list, 'bundleMs')),
              formatMs(metric(list, 'firstMs')),
              formatMs(mine),
              formatRatio(mine.median, baseline),
              variant === VARIANTS[0] ? '' : `${fixed(mine.median - baseline)} ms`,
              formatMs(metric(list, 'warmMs')),
              formatMs(metric(list, 'totalMs')),
            ];
          }),
        );
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Loading the library alone, bundled by esbuild against the built dist/lib it was bundled from. */
async function libraryLoad(dir: string, lib: string, n: number): Promise<void> {
  const child = join(dir, 'load.js');
  writeFileSync(child, LOAD_CHILD);
  const entry = join(dir, 'library-entry.js');
  writeFileSync(entry, `module.exports = require(${JSON.stringify(join(lib, 'index.js'))});`);
  const bundled = join(dir, 'library', 'index.js');
  const esbuild = require('esbuild') as typeof import('esbuild');
  await esbuild.build({ entryPoints: [entry], outfile: bundled, bundle: true, platform: 'node', target: 'node20', external: ['sequelize'], logLevel: 'warning' });
  const targets = [
    { name: 'dist/lib, unbundled (baseline)', path: join(lib, 'index.js') },
    { name: 'bundled by esbuild', path: bundled },
  ];
  const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  for (const target of targets) await runChild(child, { TARGET: target.path }, '{"requireMs"'); // warm the OS caches
  for (let i = 0; i < n; i++) {
    for (const target of i % 2 === 0 ? targets : [...targets].reverse()) {
      samples.get(target.name)!.push((await runChild<{ requireMs: number }>(child, { TARGET: target.path }, '{"requireMs"')).requireMs);
    }
  }
  const baseline = summarize(samples.get(targets[0].name)!).median;
  console.log('\n## Loading the library alone (require, in a fresh process)\n');
  printTable(
    ['library', 'require()', 'vs baseline'],
    targets.map((t) => {
      const summary = summarize(samples.get(t.name)!);
      return [t.name, formatMs(summary), formatRatio(summary.median, baseline)];
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
