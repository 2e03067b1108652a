/**
 * The CLI's pure parts and `main()` in-process: operation summaries, colour detection, the
 * progress printer, exit codes. No database, no build.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { main } from '../../lib/cli/main';
import { formatSummary, formatType, summarizeOperation } from '../../lib/cli/operation-summary';
import { Printer, colorEnabled, formatDuration, type CliStream } from '../../lib/cli/output';
import { parseTarget } from '../../lib/cli/session';
import type { Operation } from '../../types/operations';
import type { Column, Table } from '../../types/schema';

function capture(isTTY = false): CliStream & { text: string } {
  const stream = {
    text: '',
    isTTY,
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

const column = (name: string, extra: Partial<Column> = {}): Column => ({
  name,
  type: { name: 'STRING', length: 255 },
  allowNull: true,
  defaultValue: null,
  autoIncrement: false,
  comment: null,
  ...extra,
});

const users: Table = {
  name: 'users',
  schema: null,
  columns: [column('id', { type: { name: 'INTEGER' }, allowNull: false, autoIncrement: true }), column('email')],
  primaryKey: ['id'],
  indexes: [],
  foreignKeys: [],
  comment: null,
};
const ref = { name: 'users', schema: null };

test('every operation kind has a one-line summary', (t) => {
  const ops: [Operation, string][] = [
    [{ kind: 'createTable', table: users }, '+ table users (2 columns)'],
    [{ kind: 'dropTable', table: { ...users, schema: 'app' } }, '- table app.users'],
    [{ kind: 'addColumn', table: ref, column: column('bio', { type: { name: 'TEXT' } }) }, '+ column users.bio (TEXT, null)'],
    [{ kind: 'removeColumn', table: ref, column: column('bio') }, '- column users.bio'],
    [
      {
        kind: 'changeColumn',
        table: ref,
        from: column('email', { type: { name: 'STRING', length: 100 } }),
        to: column('email', { allowNull: false, defaultValue: { kind: 'value', value: 'x' } }),
      },
      "~ column users.email: type STRING(100) → STRING(255), null → not null, default none → 'x'",
    ],
    [
      { kind: 'addIndex', table: ref, index: { name: 'users_email', columns: ['email'], unique: true, origin: 'index' } },
      '+ unique index users_email on users (email)',
    ],
    [
      { kind: 'removeIndex', table: ref, index: { name: null, columns: [], unique: false, origin: 'index', expression: 'lower(email)' } },
      '- index on users (lower(email))',
    ],
    [
      {
        kind: 'addForeignKey',
        table: { name: 'posts', schema: null },
        foreignKey: {
          name: null,
          columns: ['userId'],
          referencedTable: 'users',
          referencedSchema: null,
          referencedColumns: ['id'],
          onDelete: 'CASCADE',
          onUpdate: 'NO ACTION',
        },
      },
      '+ foreign key posts(userId) → users(id) on delete cascade',
    ],
    [
      {
        kind: 'removeForeignKey',
        table: { name: 'posts', schema: null },
        foreignKey: {
          name: 'fk',
          columns: ['a', 'b'],
          referencedTable: 't',
          referencedSchema: 's',
          referencedColumns: ['x', 'y'],
          onDelete: 'NO ACTION',
          onUpdate: 'NO ACTION',
        },
      },
      '- foreign key posts(a, b) → s.t(x, y)',
    ],
    [
      {
        kind: 'rebuildTable',
        from: users,
        to: { ...users, columns: [users.columns[0]!, column('email', { allowNull: false }), column('bio')] },
      },
      '~ table users (rebuilt: ~email +bio)',
    ],
    [{ kind: 'createEnum', enum: { name: 'enum_users_role', schema: null, values: ['a', 'b'] } }, '+ enum enum_users_role (a, b)'],
    [{ kind: 'dropEnum', enum: { name: 'enum_users_role', schema: null, values: ['a'] } }, '- enum enum_users_role'],
    [
      {
        kind: 'addEnumValues',
        enum: { name: 'enum_users_role', schema: null, values: ['a'] },
        values: [
          { value: 'b', after: 'a' },
          { value: 'c', after: 'b' },
        ],
      },
      '~ enum enum_users_role: add b, c',
    ],
  ];
  for (const [op, expected] of ops) t.is(formatSummary(summarizeOperation(op)), expected, op.kind);
});

test('types are spelled the way Sequelize users write them', (t) => {
  t.is(formatType({ name: 'DECIMAL', precision: 10, scale: 2 }), 'DECIMAL(10,2)');
  t.is(formatType({ name: 'INTEGER', unsigned: true }), 'INTEGER UNSIGNED');
  t.is(formatType({ name: 'TEXT', variant: 'medium' }), 'MEDIUM TEXT');
  t.is(formatType({ name: 'ENUM', values: ['a', 'b'] }), "ENUM('a','b')");
  t.is(formatType({ name: 'ARRAY', element: { name: 'INTEGER' } }), 'INTEGER[]');
  t.is(formatType({ name: 'RAW', raw: 'tsvector' }), 'tsvector');
});

test('colours: FORCE_COLOR wins, then NO_COLOR, then the terminal', (t) => {
  const tty = { write: () => true, isTTY: true, hasColors: () => true };
  const monochrome = { write: () => true, isTTY: true, hasColors: () => false };
  const pipe = { write: () => true, isTTY: false };
  t.true(colorEnabled(tty, {}));
  t.false(colorEnabled(monochrome, {}));
  t.false(colorEnabled(pipe, {}));
  t.false(colorEnabled(tty, { NO_COLOR: '1' }));
  t.true(colorEnabled(tty, { NO_COLOR: '' }), 'an empty NO_COLOR is not set (no-color.org)');
  t.true(colorEnabled(pipe, { FORCE_COLOR: '1' }));
  t.true(colorEnabled(pipe, { FORCE_COLOR: '' }));
  t.false(colorEnabled(tty, { FORCE_COLOR: '0' }));
  t.true(colorEnabled(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }));
});

test('a progress line interrupted by a warning is repeated whole when it ends', (t) => {
  const stdout = capture();
  const stderr = capture();
  const printer = new Printer({ stdout, stderr, cwd: '/', env: {} });
  printer.startStep('↑ one');
  printer.endStep('✓ 1 ms');
  printer.startStep('↑ two');
  printer.warn('slow');
  printer.endStep('✓ 2 ms');
  printer.startStep('↑ three');
  printer.failStep();
  printer.failStep();
  t.is(stdout.text, '↑ one ✓ 1 ms\n↑ two\n↑ two ✓ 2 ms\n↑ three ✗\n');
  t.is(stderr.text, 'warning: slow\n');
});

test('durations and targets', (t) => {
  t.is(formatDuration(12.4), '12 ms');
  t.is(formatDuration(1260), '1.3 s');
  t.is(parseTarget('0'), 0);
  t.is(parseTarget('base'), 0);
  t.is(parseTarget('head'), 'head');
  t.is(parseTarget('20240101-x'), '20240101-x');
});

test('main(): exit codes and output go to the given streams', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'am-cli-unit-'));
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
  const run = async (argv: string[]) => {
    const stdout = capture();
    const stderr = capture();
    const code = await main(argv, { stdout, stderr, cwd, env: {} });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  const version = await run(['--version']);
  t.is(version.code, 0);
  t.regex(version.stdout, /^\d+\.\d+\.\d+/);
  t.is((await run(['--help'])).code, 0);
  t.is((await run(['nope'])).code, 2);
  t.is((await run(['upgrade', '--nope'])).code, 2);
  t.is((await run([])).code, 2);
  const noConfig = await run(['current', '--json']);
  t.is(noConfig.code, 1);
  t.is((JSON.parse(noConfig.stdout) as { error: { code: string } }).error.code, 'E_OPTIONS');
  t.true(noConfig.stderr.startsWith('error: '));
  const init = await run(['init']);
  t.is(init.code, 0, init.stderr);
  t.is((await run(['init'])).code, 1);
});
