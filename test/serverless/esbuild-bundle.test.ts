/**
 * Issue 8: the library bundles cleanly with esbuild. A handler using `sequelize-automigrate` (the
 * built package, resolved through node_modules as an application resolves it) and the static
 * migrations index is bundled with Sequelize and the drivers external, then run with plain `node`
 * in fresh processes, and it migrates: CommonJS, ES module and TypeScript flavours.
 */
import test from 'ava';
import { realpathSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import { createMigrator } from '../../lib';
import { writeBundleIndex } from '../../lib/bundle/bundle';
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration, historyNames, tableNames } from '../helpers/migrations';
import { LIB, coldStart, createApp, distMissing, outcome, type App } from './serverless-app';

const missing = distMissing();

/** The models the migrations build, so the bundled drift check (introspection) has work to do. */
const MODELS = `
  for (const table of ['alpha', 'beta']) {
    sequelize.define(table, { title: { type: DataTypes.STRING, allowNull: true } }, { tableName: table, timestamps: false });
  }`;

const HANDLER_BODY = `
const sequelize = new Sequelize(JSON.parse(process.env.AM_DB));
${MODELS}
let ready = null;
async function handler() {
  // onDrift 'throw': the comparison of models and database runs inside the bundle too.
  ready ??= autoMigrate({ sequelize, migrations, logger: false, onDrift: 'throw' });
  const { applied, drift } = await ready;
  return { applied: applied.map((step) => step.name), drift: drift.length };
}`;

const FLAVOURS = {
  cjs: {
    migrationExt: 'js',
    handler: `const { Sequelize, DataTypes } = require('sequelize');
const { autoMigrate } = require('sequelize-automigrate');
const migrations = require('./migrations');
${HANDLER_BODY}
exports.handler = handler;`,
    entry: 'handler.js',
    outfile: 'out/handler.js',
    options: {},
  },
  esm: {
    migrationExt: 'mjs',
    handler: `import { Sequelize, DataTypes } from 'sequelize';
import { autoMigrate } from 'sequelize-automigrate';
import migrations from './migrations/index.mjs';
${HANDLER_BODY}
export { handler };`,
    entry: 'handler.mjs',
    outfile: 'out/handler.mjs',
    // The library is CommonJS: in an ES module bundle its require() calls need a real `require`
    // (https://github.com/evanw/esbuild/issues/1921).
    options: {
      format: 'esm' as const,
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    },
  },
  ts: {
    migrationExt: 'ts',
    handler: `import { Sequelize, DataTypes } from 'sequelize';
import { autoMigrate } from 'sequelize-automigrate';
import migrations from './migrations';
${HANDLER_BODY.replace('let ready = null;', 'let ready: ReturnType<typeof autoMigrate> | null = null;')}
export { handler };`,
    entry: 'handler.ts',
    outfile: 'out/handler.js',
    options: {},
  },
} as const;

type Flavour = keyof typeof FLAVOURS;

/** A migration creating `table`, in the flavour's module syntax. */
function migrationSource(flavour: Flavour, table: string): string {
  if (flavour === 'cjs') return createTableMigration(table);
  const signature = flavour === 'ts' ? '{ context: queryInterface }: { context: any }' : '{ context: queryInterface }';
  return `export async function up(${signature}) {
  await queryInterface.createTable('${table}', {
    id: { type: 'INTEGER', primaryKey: true, autoIncrement: true, allowNull: false },
    title: { type: 'VARCHAR(255)', allowNull: true },
  });
}
export async function down(${signature}) {
  await queryInterface.dropTable('${table}');
}
`;
}

const MIGRATIONS = ['20260101000000-alpha', '20260102000000-beta'] as const;

interface Built {
  readonly app: App;
  readonly bundles: Record<Flavour, { path: string; metafile: Metafile; warnings: number; text: string }>;
}

let built: Promise<Built> | undefined;

/** One app folder per test file, three flavours in it, each bundled once. */
function build(): Promise<Built> {
  built ??= (async () => {
    const app = createApp();
    const bundles = {} as Built['bundles'];
    for (const flavour of Object.keys(FLAVOURS) as Flavour[]) {
      const spec = FLAVOURS[flavour];
      app.write(join(flavour, spec.entry), spec.handler);
      for (const name of MIGRATIONS) {
        app.write(join(flavour, 'migrations', `${name}.${spec.migrationExt}`), migrationSource(flavour, name.slice(15)));
      }
      writeBundleIndex(join(app.dir, flavour, 'migrations'));
      const result = await app.bundle(join(flavour, spec.entry), join(flavour, spec.outfile), spec.options);
      const path = join(app.dir, flavour, spec.outfile);
      bundles[flavour] = { path, metafile: result.metafile, warnings: result.warnings.length, text: app.read(join(flavour, spec.outfile)) };
    }
    return { app, bundles };
  })();
  return built;
}

test.after.always(async () => {
  if (built) (await built).app.remove();
});

const FLAVOUR_NAMES = Object.keys(FLAVOURS) as Flavour[];

/** A path esbuild reports (relative to the app folder), relative to the built library; null outside it. */
function inLibrary(app: App, path: string): string | null {
  const inLib = relative(realpathSync(LIB), isAbsolute(path) ? path : resolve(app.dir, path));
  return inLib.startsWith('..') ? null : inLib;
}

/** The inputs of a bundle that are the library's own files, by their path in dist/lib. */
function libraryInputs(app: App, metafile: Metafile): Map<string, Metafile['inputs'][string]> {
  const inputs = new Map<string, Metafile['inputs'][string]>();
  for (const [path, input] of Object.entries(metafile.inputs)) {
    const inLib = inLibrary(app, path);
    if (inLib !== null) inputs.set(inLib, input);
  }
  return inputs;
}

for (const flavour of FLAVOUR_NAMES) {
  test(`the ${flavour} handler bundles without a warning, the library in, Sequelize and the drivers out`, async (t) => {
    if (missing) return t.fail(missing);
    const { app, bundles } = await build();
    const bundle = bundles[flavour];
    t.is(bundle.warnings, 0);
    const library = libraryInputs(app, bundle.metafile);
    t.true(library.has('index.js'));
    t.true(library.has(join('runner', 'run.js')));
    // The command line (and commander) is not part of what a handler pulls in.
    t.deepEqual([...library.keys()].filter((p) => p.startsWith('cli')), []);
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const externals = new Set<string>();
    for (const input of library.values()) {
      // `<runtime>` is esbuild's own helper module (its require shim in ES module bundles).
      for (const imported of input.imports) if (imported.external && imported.path !== '<runtime>') externals.add(imported.path);
    }
    // Packages only: Sequelize (its own modules too: offline SQL formats parameters with them).
    const packages = new Set([...externals].filter((p) => !builtins.has(p)).map((p) => p.split('/')[0]));
    t.deepEqual([...packages], ['sequelize']);
    // Every migration is in the bundle, through the index's static imports.
    const migrationInputs = Object.keys(bundle.metafile.inputs).filter((p) => /\/migrations\/2026/.test(p));
    t.is(migrationInputs.length, MIGRATIONS.length);
  });
}

test('the only run-time require() and import() left in a bundle are the migrations-folder loader', async (t) => {
  if (missing) return t.fail(missing);
  const { app, bundles } = await build();
  // esbuild prefixes each module's code with a `// path` comment: attribute each non-literal
  // require()/import() to the module it is in. A new one would break bundling: a call esbuild
  // cannot resolve at build time is left to Node at run time, where the file is not.
  const found = new Set<string>();
  let module = '';
  for (const line of bundles.cjs.text.split('\n')) {
    const header = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(line);
    if (header) module = inLibrary(app, header[1]!) ?? header[1]!;
    // A template literal line is text being generated (lib/bundle/bundle-render.ts writes require()
    // calls into index files), not a call.
    if (line.includes('`')) continue;
    if (/(?<![\w$.])require\((?!["'])/.test(line) || /(?<![\w$.])import\((?!["'])/.test(line)) found.add(module);
  }
  t.deepEqual([...found], [join('runner', 'sources.js')]);
});

test('loading the bundled library does no work: no module loaded, no handle opened', async (t) => {
  if (missing) return t.fail(missing);
  const { app } = await build();
  app.write('probe/library.js', "module.exports = require('sequelize-automigrate');");
  await app.bundle('probe/library.js', 'probe/out/library.js');
  app.write(
    'probe/load.js',
    `const before = new Set(Object.keys(require.cache));
const resources = process.getActiveResourcesInfo();
const lib = require('./out/library.js');
console.log(JSON.stringify({
  exports: ['autoMigrate', 'createMigrator', 'MigrationError'].filter((name) => typeof lib[name] === 'function'),
  loaded: Object.keys(require.cache).filter((file) => !before.has(file)).map((file) => require('node:path').basename(file)),
  resources: [resources, process.getActiveResourcesInfo()],
}));`,
  );
  const result = await app.node('probe/load.js');
  t.is(result.code, 0, result.stderr);
  const record = result.records[0]!;
  t.deepEqual(record.exports, ['autoMigrate', 'createMigrator', 'MigrationError']);
  // Only the bundle itself: not Sequelize, not a driver, not one file of the library's own.
  t.deepEqual(record.loaded, ['library.js']);
  t.deepEqual(record.resources[1], record.resources[0]);
});

for (const flavour of FLAVOUR_NAMES) {
  eachDialect(`the ${flavour} bundle migrates on its first cold start, is a no-op on the next, and records what a folder run records`, async (t, db) => {
    if (missing) return t.fail(missing);
    const { app, bundles } = await build();
    const env = { AM_DB: JSON.stringify(db.options) };
    const first = outcome(await coldStart(bundles[flavour].path, env, { invocations: 2 }));
    t.is(first.msg, 'done', first.message);
    // The second invocation is warm: the memoised run, not a second one.
    t.deepEqual(first.responses, [
      { applied: [...MIGRATIONS], drift: 0 },
      { applied: [...MIGRATIONS], drift: 0 },
    ]);
    const second = outcome(await coldStart(bundles[flavour].path, env));
    t.deepEqual(second.responses, [{ applied: [], drift: 0 }]);
    t.deepEqual(await tableNames(db.sequelize), ['alpha', 'beta']);
    const ext = FLAVOURS[flavour].migrationExt;
    t.deepEqual(await historyNames(db.sequelize), MIGRATIONS.map((name) => `${name}.${ext}`));
    // The folder the bundle came from sees the same history: nothing pending, checksums verified.
    const migrator = createMigrator({ sequelize: db.sequelize, migrations: join(app.dir, flavour, 'migrations'), logger: false });
    const status = await migrator.status();
    t.deepEqual(status.pending, []);
    t.deepEqual(await migrator.upgrade(), []);
  });
}
