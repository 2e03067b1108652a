/**
 * examples/serverless builds with its own esbuild script, and its bundle, run with plain `node`
 * in fresh processes, migrates once per cold start: the first start applies, the next is a no-op,
 * and several starting at once apply each migration once.
 */
import test from 'ava';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import type { Options } from 'sequelize';
import { checkBundleIndex } from '../../lib/bundle/bundle';
import { eachDialect } from '../helpers/each-dialect';
import { historyNames, tableNames } from '../helpers/migrations';
import { LIB, REPO, coldStart, createApp, distMissing, outcome, type App } from './serverless-app';

const EXAMPLE = join(REPO, 'examples', 'serverless');
const MIGRATIONS = ['20260101000000-create-notes', '20260102000000-add-notes-done'];
const missing = distMissing();

interface Built {
  readonly app: App;
  readonly bundle: string;
  readonly metafile: Metafile;
  readonly warnings: number;
}

let built: Promise<Built> | undefined;

/** The example's own build, written into a throwaway app folder whose node_modules has Sequelize and the drivers. */
function build(): Promise<Built> {
  built ??= (async () => {
    const app = createApp();
    const bundle = join(app.dir, 'dist', 'handler.js');
    const { build: buildExample } = require(join(EXAMPLE, 'build.js')) as {
      build(overrides: object): Promise<{ metafile: Metafile; warnings: unknown[] }>;
    };
    // The example resolves `sequelize-automigrate` to this repository's dist/ (a package may import
    // itself by name); a private build is aliased in instead.
    const alias = process.env.AUTOMIGRATE_DIST ? { alias: { 'sequelize-automigrate': join(LIB, 'index.js') } } : {};
    const result = await buildExample({ outfile: bundle, logLevel: 'silent', ...alias });
    return { app, bundle, metafile: result.metafile, warnings: result.warnings.length };
  })();
  return built;
}

test.after.always(async () => {
  if (built) (await built).app.remove();
});

/** The example reads DATABASE_URL, as a deployed function would. */
function databaseUrl(options: Options): string {
  if (options.dialect === 'sqlite') return `sqlite://${options.storage}`;
  const auth = `${encodeURIComponent(options.username ?? '')}:${encodeURIComponent(options.password ?? '')}`;
  return `${options.dialect}://${auth}@${options.host}:${options.port}/${options.database}`;
}

/** What one cold start reported applying (the handler logs it once, on its first invocation). */
function appliedBy(result: Awaited<ReturnType<typeof coldStart>>): string[] {
  const logged = result.records.filter((r) => r.msg === 'migrations');
  if (logged.length !== 1) throw new Error(`expected one migrations record, got ${logged.length}:\n${result.stdout}\n${result.stderr}`);
  return logged[0]!.applied as string[];
}

test('the example\'s index lists every migration, and its build bundles the library and both migrations', async (t) => {
  if (missing) return t.fail(missing);
  t.deepEqual(checkBundleIndex(join(EXAMPLE, 'migrations')), {
    stale: false,
    missing: [],
    extra: [],
    changed: [],
    index: join(EXAMPLE, 'migrations', 'index.js'),
  });
  const { metafile, warnings } = await build();
  t.is(warnings, 0);
  const inputs = Object.keys(metafile.inputs);
  t.is(inputs.filter((p) => /examples\/serverless\/migrations\/2026/.test(p)).length, MIGRATIONS.length);
  const externals = new Set(Object.values(metafile.inputs).flatMap((i) => i.imports.filter((m) => m.external).map((m) => m.path)));
  t.false(externals.has('sequelize-automigrate'), 'the library is inside the bundle');
  t.true(externals.has('sequelize'));
});

eachDialect('the example bundle applies on the first cold start, once across warm invocations, and is a no-op on the next', async (t, db) => {
  if (missing) return t.fail(missing);
  const { bundle } = await build();
  const env = { DATABASE_URL: databaseUrl(db.options) };
  const first = await coldStart(bundle, env, { invocations: 3 });
  t.is(outcome(first).msg, 'done', first.stdout + first.stderr);
  t.deepEqual(appliedBy(first), MIGRATIONS);
  t.deepEqual(outcome(first).responses, Array(3).fill({ statusCode: 200, body: '{"open":0}' }));

  const second = await coldStart(bundle, env);
  t.deepEqual(appliedBy(second), []);
  t.deepEqual(await tableNames(db.sequelize), ['notes']);
  t.deepEqual(await historyNames(db.sequelize), MIGRATIONS.map((m) => `${m}.js`));
});

eachDialect('several cold starts at once apply each migration once', async (t, db) => {
  if (missing) return t.fail(missing);
  const { bundle } = await build();
  const env = { DATABASE_URL: databaseUrl(db.options) };
  // Every process waits for the same instant before loading the bundle, as instances scaled out
  // by a burst of requests do.
  const startAt = Date.now() + 3_000;
  const starts = await Promise.all(Array.from({ length: 4 }, () => coldStart(bundle, env, { startAt, invocations: 2 })));
  for (const start of starts) t.is(outcome(start).msg, 'done', start.stdout + start.stderr);
  t.deepEqual(starts.flatMap(appliedBy).sort(), MIGRATIONS);
  t.deepEqual(await historyNames(db.sequelize), MIGRATIONS.map((m) => `${m}.js`));
});
