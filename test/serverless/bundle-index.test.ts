/**
 * `writeBundleIndex` / `checkBundleIndex` without a database: what the index lists, in which
 * language, what it exports when loaded, and when it is stale.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ts from 'typescript';
import { checkBundleIndex, findBundleIndex, writeBundleIndex } from '../../lib/bundle/bundle';
import { parseIndex, renderIndex } from '../../lib/bundle/bundle-render';
import { MigrationError } from '../../lib/errors';
import { checksumOf } from '../../lib/runner/sources';
import { createTableMigration, umzugTableMigration, writeMigrations } from '../helpers/migrations';

function tempFolder(t: { teardown(fn: () => void): void }, files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'am-bundle-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  return writeMigrations(join(root, 'migrations'), files);
}

const CLI_SHAPE = createTableMigration('users');
const TS_SHAPE = `import type { QueryInterface } from 'sequelize';
export async function up(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.createTable('posts', { id: { type: 'INTEGER', primaryKey: true } });
}
export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.dropTable('posts');
}
export default { up, down };
`;

test('a CommonJS folder gets index.js: the in-code array, names with extension, the files\' checksums', async (t) => {
  const folder = tempFolder(t, {
    '20260102000000-posts.js': createTableMigration('posts'),
    '20260101000000-users.js': CLI_SHAPE,
    '20260103000000-tags.cjs': "exports.up = async () => {}; exports.transaction = false;",
    '.hidden.js': 'not a migration',
  });
  const result = writeBundleIndex(folder);
  t.is(result.path, join(folder, 'index.js'));
  t.is(result.language, 'js');
  t.true(result.changed);
  t.deepEqual(result.migrations, ['20260101000000-users.js', '20260102000000-posts.js', '20260103000000-tags.cjs']);
  const loaded = require(result.path) as { name: string; checksum: string; up: unknown; down: unknown; transaction: unknown }[];
  t.deepEqual(
    loaded.map((m) => [m.name, m.checksum, typeof m.up, typeof m.down, m.transaction]),
    [
      ['20260101000000-users.js', checksumOf(CLI_SHAPE), 'function', 'function', undefined],
      ['20260102000000-posts.js', checksumOf(createTableMigration('posts')), 'function', 'function', undefined],
      ['20260103000000-tags.cjs', checksumOf(readFileSync(join(folder, '20260103000000-tags.cjs'), 'utf8')), 'function', 'undefined', false],
    ],
  );
});

test('writing again leaves an index that is current untouched', (t) => {
  const folder = tempFolder(t, { '20260101000000-users.js': CLI_SHAPE });
  const first = writeBundleIndex(folder);
  const before = statSync(first.path).mtimeMs;
  const again = writeBundleIndex(folder);
  t.false(again.changed);
  t.is(statSync(again.path).mtimeMs, before);
  t.deepEqual(checkBundleIndex(folder), { stale: false, missing: [], extra: [], changed: [], index: first.path });
});

test('the index follows the language of the files, and of the package for an empty folder', (t) => {
  const typescript = tempFolder(t, { '20260101000000-users.js': CLI_SHAPE, '20260102000000-posts.ts': TS_SHAPE });
  t.is(writeBundleIndex(typescript).path, join(typescript, 'index.ts'));
  const mjs = tempFolder(t, { '20260101000000-users.mjs': umzugTableMigration('users') });
  t.is(writeBundleIndex(mjs).path, join(mjs, 'index.mjs'));

  const esmPackage = tempFolder(t, { '20260101000000-users.js': umzugTableMigration('users') });
  writeFileSync(join(esmPackage, '..', 'package.json'), JSON.stringify({ type: 'module' }));
  t.is(writeBundleIndex(esmPackage).language, 'mjs');

  const empty = tempFolder(t);
  writeFileSync(join(empty, '..', 'tsconfig.json'), '{}');
  const written = writeBundleIndex(empty);
  t.is(written.language, 'ts');
  t.deepEqual(written.migrations, []);
  t.is(writeBundleIndex(tempFolder(t), { defaultLanguage: 'mjs' }).language, 'mjs');
  t.is(writeBundleIndex(tempFolder(t, { '20260101000000-users.js': CLI_SHAPE }), { language: 'ts' }).language, 'ts');
  const error = t.throws(() => writeBundleIndex(tempFolder(t), { language: 'py' as never }), { instanceOf: MigrationError });
  t.is(error?.code, 'E_OPTIONS');
});

test('an ES module index exports the array as default and as `migrations`, from named or default exports', async (t) => {
  const folder = tempFolder(t, {
    '20260101000000-users.mjs': umzugTableMigration('users'),
    '20260102000000-posts.mjs': 'export default { async up() {}, async down() {} };',
    '20260103000000-legacy.cjs': CLI_SHAPE,
  });
  const { path } = writeBundleIndex(folder);
  const loaded = (await import(pathToFileURL(path).href)) as { default: { name: string; up: unknown; down: unknown }[]; migrations: unknown };
  t.is(loaded.migrations, loaded.default);
  t.deepEqual(
    loaded.default.map((m) => [m.name, typeof m.up, typeof m.down]),
    [
      ['20260101000000-users.mjs', 'function', 'function'],
      ['20260102000000-posts.mjs', 'function', 'function'],
      ['20260103000000-legacy.cjs', 'function', 'function'],
    ],
  );
});

test('the TypeScript index loads, and compiles under strict settings next to JavaScript migrations', (t) => {
  const folder = tempFolder(t, { '20260101000000-users.js': CLI_SHAPE, '20260102000000-posts.ts': TS_SHAPE });
  const { path } = writeBundleIndex(folder);
  const loaded = (require(path) as { default: { name: string; up: unknown }[] }).default;
  t.deepEqual(
    loaded.map((m) => [m.name, typeof m.up]),
    [
      ['20260101000000-users.js', 'function'],
      ['20260102000000-posts.ts', 'function'],
    ],
  );
  // What an application's tsc says about the generated file (no allowJs: the JavaScript
  // migration has no types, which the index must cope with under noImplicitAny).
  const program = ts.createProgram([path], {
    strict: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noEmit: true,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    types: [],
    typeRoots: [join(__dirname, '..', '..', 'node_modules', '@types')],
    baseUrl: join(__dirname, '..', '..', 'node_modules'),
    paths: { sequelize: [join(__dirname, '..', '..', 'node_modules', 'sequelize')] },
    skipLibCheck: true,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  t.deepEqual(diagnostics, []);
});

test('check: no index is not stale; a new, removed or edited file is', (t) => {
  const folder = tempFolder(t, {
    '20260101000000-users.js': CLI_SHAPE,
    '20260102000000-posts.js': createTableMigration('posts'),
  });
  t.deepEqual(checkBundleIndex(folder), { stale: false, missing: [], extra: [], changed: [], index: null });
  const { path } = writeBundleIndex(folder);
  writeMigrations(folder, { '20260103000000-tags.js': createTableMigration('tags') });
  unlinkSync(join(folder, '20260102000000-posts.js'));
  writeFileSync(join(folder, '20260101000000-users.js'), `${CLI_SHAPE}// edited\n`);
  t.deepEqual(checkBundleIndex(folder), {
    stale: true,
    missing: ['20260103000000-tags.js'],
    extra: ['20260102000000-posts.js'],
    changed: ['20260101000000-users.js'],
    index: path,
  });
  writeBundleIndex(folder);
  t.false(checkBundleIndex(folder).stale);
});

test('check reads an index a formatter rewrote (double quotes, trailing commas)', (t) => {
  const folder = tempFolder(t, { '20260101000000-users.js': CLI_SHAPE });
  const { path } = writeBundleIndex(folder);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/'/g, '"').replace(/, m0\)/, ', m0,)'));
  t.deepEqual(checkBundleIndex(folder), { stale: false, missing: [], extra: [], changed: [], index: path });
});

test('a language change replaces the previous generated index; a hand-written index is never overwritten', (t) => {
  const folder = tempFolder(t, { '20260101000000-users.js': CLI_SHAPE });
  const js = writeBundleIndex(folder).path;
  writeMigrations(folder, { '20260102000000-posts.ts': TS_SHAPE });
  const result = writeBundleIndex(folder);
  t.is(result.path, join(folder, 'index.ts'));
  t.deepEqual(result.removed, [js]);
  t.false(existsSync(js));
  t.is(findBundleIndex(folder), result.path);

  const own = tempFolder(t, { '20260101000000-users.js': CLI_SHAPE, 'index.js': 'module.exports = [];\n' });
  const error = t.throws(() => writeBundleIndex(own), { instanceOf: MigrationError });
  t.is(error?.code, 'E_MIGRATIONS_FOLDER');
  t.is(error?.subject, join(own, 'index.js'));
  t.is(readFileSync(join(own, 'index.js'), 'utf8'), 'module.exports = [];\n');
  t.deepEqual(checkBundleIndex(own).index, null, 'a hand-written index is not ours to check');
});

test('two files with one name are refused, as a folder run refuses them', (t) => {
  const folder = tempFolder(t, { '20260101000000-users.js': CLI_SHAPE, '20260101000000-users.ts': TS_SHAPE });
  const error = t.throws(() => writeBundleIndex(folder), { instanceOf: MigrationError });
  t.is(error?.code, 'E_DUPLICATE_MIGRATION');
  t.false(existsSync(join(folder, 'index.ts')));
});

test('render and parse are inverse for names that need escaping', (t) => {
  const entries = [
    { fileName: "20260101000000-it's.js", checksum: 'a'.repeat(64) },
    { fileName: '20260102000000-back\\slash.js', checksum: 'b'.repeat(64) },
  ];
  for (const language of ['js', 'mjs', 'ts'] as const) {
    t.deepEqual(parseIndex(renderIndex(language, entries)), entries, language);
  }
});
