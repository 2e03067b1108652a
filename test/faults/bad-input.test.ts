/**
 * Bad input: each case is an error with a stable code that names the offending thing, and the
 * database is exactly as before, down to the history table's existence and its rows. Each case
 * runs twice: on a fresh database (where a careless runner would create the history table first)
 * and on one with a migration applied.
 */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { createMigrator, MigrationError, type Migrator, type MigratorOptions } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration, writeMigrations } from '../helpers/migrations';
import type { TestDatabase } from '../helpers/databases';
import { snapshot } from '../helpers/snapshot';

const quiet = { logger: false as const };

interface Case {
  readonly title: string;
  readonly code: string;
  /** What the error must name: its `subject`, and in its message. */
  readonly names: string;
  /** Dialects where the input is not wrong (default: every dialect). */
  readonly only?: readonly string[];
  /** Prepares the folder (and the database) and returns the call that must fail. */
  arrange(ctx: { db: TestDatabase; folder: string; make(extra?: Partial<MigratorOptions>): Migrator }): Promise<() => unknown> | (() => unknown);
}

const cases: readonly Case[] = [
  {
    title: 'a missing migrations folder',
    code: 'E_MIGRATIONS_FOLDER',
    names: 'does-not-exist',
    arrange: ({ db, make }) => () => make({ migrations: join(db.dir, 'does-not-exist') }).upgrade(),
  },
  {
    title: 'a file with a syntax error',
    code: 'E_MIGRATION_LOAD',
    names: '002-syntax.js',
    arrange: ({ folder, make }) => {
      writeFileSync(join(folder, '002-syntax.js'), 'module.exports = { async up( {');
      return () => make().upgrade();
    },
  },
  {
    title: 'a module without up',
    code: 'E_MIGRATION_SHAPE',
    names: '002-noup',
    arrange: ({ folder, make }) => {
      writeFileSync(join(folder, '002-noup.js'), 'module.exports = { async down() {} };');
      return () => make().upgrade();
    },
  },
  {
    title: 'two files with the same name in different extensions',
    code: 'E_DUPLICATE_MIGRATION',
    names: '002-twice',
    arrange: ({ folder, make }) => {
      writeFileSync(join(folder, '002-twice.js'), createTableMigration('twice'));
      writeFileSync(join(folder, '002-twice.cjs'), createTableMigration('twice'));
      return () => make().upgrade();
    },
  },
  { title: 'an unknown upgrade target', code: 'E_UNKNOWN_TARGET', names: '999-nope', arrange: ({ make }) => () => make().upgrade({ to: '999-nope' }) },
  { title: 'an unknown downgrade target', code: 'E_UNKNOWN_TARGET', names: '999-nope', arrange: ({ make }) => () => make().downgrade({ to: '999-nope' }) },
  { title: 'an unknown stamp target', code: 'E_UNKNOWN_TARGET', names: '999-nope', arrange: ({ make }) => () => make().stamp('999-nope') },
  {
    title: 'a mistyped option',
    code: 'E_OPTIONS',
    names: 'transacton',
    arrange: ({ make }) => () => make({ transacton: 'all' } as Partial<MigratorOptions>).upgrade(),
  },
  {
    title: 'contradictory downgrade options',
    code: 'E_OPTIONS',
    names: 'step',
    arrange: ({ make }) => () => make().downgrade({ step: 1, to: 0 }),
  },
  {
    title: "transaction: 'all' with a migration that opts out of transactions",
    code: 'E_OPTIONS',
    names: '002-optout',
    // MySQL cannot run 'all' as one transaction at all: there the opt-out contradicts nothing.
    only: ['sqlite', 'postgres'],
    arrange: ({ folder, make }) => {
      writeFileSync(join(folder, '002-optout.js'), `module.exports = { transaction: false, ${createTableMigration('optout').replace(/^[\s\S]*?module\.exports = \{/, '')}`);
      return () => make({ transaction: 'all' }).upgrade();
    },
  },
];

/** Cases that need an applied migration to be wrong about. */
const appliedCases: readonly Case[] = [
  {
    title: 'a history row whose file is gone',
    code: 'E_MISSING_MIGRATION',
    names: '001-a.js',
    arrange: ({ folder, make }) => {
      rmSync(join(folder, '001-a.js'));
      writeFileSync(join(folder, '002-b.js'), createTableMigration('b'));
      return () => make().upgrade();
    },
  },
  {
    title: 'an edited applied migration',
    code: 'E_CHECKSUM',
    names: '001-a.js',
    arrange: ({ folder, make }) => {
      appendFileSync(join(folder, '001-a.js'), '\n// edited after it was applied\n');
      writeFileSync(join(folder, '002-b.js'), createTableMigration('b'));
      return () => make().upgrade();
    },
  },
];

async function check(t: ExecutionContext, db: TestDatabase, testCase: Case, withApplied: boolean): Promise<void> {
  const folder = join(db.dir, `m-${Math.random().toString(36).slice(2)}`);
  mkdirSync(folder);
  writeMigrations(folder, { '001-a.js': createTableMigration('a') });
  const make = (extra: Partial<MigratorOptions> = {}) => createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet, ...extra });
  if (withApplied) await make().upgrade();
  const call = await testCase.arrange({ db, folder, make });
  const before = await snapshot(db.sequelize);
  let error: unknown;
  try {
    await call();
  } catch (caught) {
    error = caught;
  }
  const label = `${testCase.title}${withApplied ? ' (001-a applied)' : ' (fresh database)'}`;
  t.true(error instanceof MigrationError, `${label}: expected a MigrationError, got ${String(error)}`);
  const e = error as MigrationError;
  t.is(e.code, testCase.code as never, `${label}: ${e.message}`);
  t.true(String(e.subject).includes(testCase.names.replace(/\.js$/, '')), `${label}: subject ${e.subject}`);
  t.true(e.message.includes(testCase.names), `${label}: ${e.message}`);
  t.is(await snapshot(db.sequelize), before, `${label}: the database changed`);
}

eachDialect('bad input is an error naming the culprit with a stable code, and changes nothing in the database', async (t, db) => {
  for (const testCase of cases) {
    if (testCase.only && !testCase.only.includes(db.dialect)) continue;
    await check(t, db, testCase, false);
    await check(t, db, testCase, true);
    // Undo the applied state for the next case: a fresh database again.
    await db.sequelize.getQueryInterface().dropAllTables();
  }
  for (const testCase of appliedCases) {
    await check(t, db, testCase, true);
    await db.sequelize.getQueryInterface().dropAllTables();
  }
});

eachDialect('a history table of an unexpected shape is refused before any migration runs, naming it', async (t, db) => {
  const q = (name: string) => (db.dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);
  const shapes: [string, string, RegExp][] = [
    ['with rows, no name column', `CREATE TABLE ${q('SequelizeMeta')} (id INTEGER, label VARCHAR(20))`, /no `name` column/],
    ['empty, no name column', `CREATE TABLE ${q('SequelizeMeta')} (id INTEGER)`, /no `name` column/],
    ['a numeric name', `CREATE TABLE ${q('SequelizeMeta')} (name INTEGER PRIMARY KEY)`, /`name` column is .*INT/i],
    ['a required column we cannot fill', `CREATE TABLE ${q('SequelizeMeta')} (name VARCHAR(255) PRIMARY KEY, owner VARCHAR(20) NOT NULL)`, /`owner` cannot be null/],
  ];
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a') });
  for (const [label, ddl, why] of shapes) {
    await db.sequelize.query(ddl);
    if (label.startsWith('with rows')) await db.sequelize.query(`INSERT INTO ${q('SequelizeMeta')} (id, label) VALUES (1, 'x')`);
    const before = await snapshot(db.sequelize);
    const error = await t.throwsAsync(createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet }).upgrade());
    t.is((error as MigrationError).code, 'E_HISTORY_TABLE', `${label}: ${error?.message}`);
    t.is((error as MigrationError).subject, 'SequelizeMeta');
    t.regex(error!.message, why, label);
    t.is(await snapshot(db.sequelize), before, `${label}: 001-a must not have run`);
    await db.sequelize.getQueryInterface().dropAllTables();
  }
});
