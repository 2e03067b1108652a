/**
 * Bad models (issue 13, items 7 and 8): two models describing one table differently, and a table
 * name holding the quote character Sequelize strips. diff(), generate() and check() each refuse
 * with a stable code naming the culprit, and the database (schema, rows, history) and the
 * migrations folder are exactly as before. Each case runs on a fresh database without migrations
 * and on one with a migration applied and a row in its table; and once through the binary.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { DataTypes, QueryTypes, type Sequelize } from 'sequelize';
import { createMigrator, MigrationError, type Migrator } from '../../lib';
import { dialectOf } from '../../lib/dialects';
import { binMissing, createProject, lines } from '../cli/cli-project';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration, writeMigrations } from '../helpers/migrations';

/** The schema as introspected, each table's rows, and the folder's files. */
async function everything(sequelize: Sequelize, folder: string): Promise<string> {
  const schema = await dialectOf(sequelize).introspect(sequelize);
  const qi = sequelize.getQueryInterface();
  const rows: Record<string, unknown[]> = {};
  for (const table of schema.tables) {
    rows[table.name] = await sequelize.query(`SELECT * FROM ${qi.quoteIdentifier(table.name)}`, { type: QueryTypes.SELECT });
  }
  return JSON.stringify({ schema, rows, files: readdirSync(folder).sort() });
}

interface BadModels {
  readonly title: string;
  readonly code: string;
  /** What the error's subject and message name. */
  readonly names: readonly string[];
  define(s: Sequelize, db: TestDatabase): void;
}

/** Sequelize strips `"` from identifiers on PostgreSQL and a backtick on MySQL and SQLite. */
const strippedQuote = (db: TestDatabase) => (db.dialect === 'postgres' ? '"' : '`');

const cases: readonly BadModels[] = [
  {
    title: 'two models on table a with different columns',
    code: 'E_MODEL_CONFLICT',
    names: ['a', 'Item', 'ItemCard', 'rating'],
    define: (s) => {
      s.define('Item', { title: DataTypes.STRING }, { tableName: 'a', timestamps: false });
      s.define('ItemCard', { title: DataTypes.STRING, rating: DataTypes.INTEGER }, { tableName: 'a', timestamps: false });
    },
  },
  {
    title: 'a table name holding the quote character Sequelize strips',
    code: 'E_MODEL_NAME',
    names: ['OrderItem', 'order'],
    define: (s, db) => {
      s.define('OrderItem', { sku: DataTypes.STRING(20) }, { tableName: `order${strippedQuote(db)}items`, timestamps: false });
    },
  },
];

async function refused(t: ExecutionContext, db: TestDatabase, badModels: BadModels, applied: boolean): Promise<void> {
  // Fresh: no migrations at all (a pending one would be E_NOT_AT_HEAD first).
  const folder = writeMigrations(join(db.dir, `m-${Math.random().toString(36).slice(2)}`), applied ? { '001-a.js': createTableMigration('a') } : {});
  if (applied) {
    await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade();
    await db.sequelize.query("INSERT INTO a (title) VALUES ('kept')");
  }
  const models = db.connect();
  badModels.define(models, db);
  const migrator: Migrator = createMigrator({ sequelize: models, migrations: folder, logger: false, language: 'js' });
  const before = await everything(db.sequelize, folder);
  for (const [call, run] of [
    ['diff', () => migrator.diff()],
    ['generate', () => migrator.generate('bad models')],
    ['check', () => migrator.check()],
  ] as const) {
    const label = `${badModels.title}, ${call}()${applied ? ' (001-a applied)' : ' (fresh database)'}`;
    const error = await run().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    t.true(error instanceof MigrationError, `${label}: expected a MigrationError, got ${String(error)}`);
    const e = error as MigrationError;
    t.is(e.code, badModels.code as never, `${label}: ${e.message}`);
    t.true(String(e.subject).includes(badModels.names[0]!), `${label}: subject ${e.subject}`);
    for (const name of badModels.names) t.true(e.message.includes(name), `${label}: ${e.message} should name ${name}`);
    t.is(await everything(db.sequelize, folder), before, `${label}: something changed`);
  }
}

eachDialect('bad models are refused by diff, generate and check with a stable code, changing nothing', async (t, db) => {
  for (const badModels of cases) {
    await refused(t, db, badModels, false);
    await refused(t, db, badModels, true);
    await db.sequelize.getQueryInterface().dropAllTables();
  }
});

eachDialect('automigrate check and migrate exit 1 on bad models with one error line, writing nothing', async (t, db) => {
  const missing = binMissing();
  if (missing) {
    t.fail(missing);
    return;
  }
  const project = createProject();
  t.teardown(() => project.remove());
  project.mkdir('migrations');
  project.write(
    'automigrate.config.js',
    `const { Sequelize, DataTypes } = require('sequelize');
const sequelize = new Sequelize(${JSON.stringify(db.options)});
sequelize.define('Item', { title: DataTypes.STRING }, { tableName: 'a', timestamps: false });
sequelize.define('ItemCard', { title: DataTypes.STRING, rating: DataTypes.INTEGER }, { tableName: 'a', timestamps: false });
module.exports = { sequelize, migrations: 'migrations' };
`,
  );
  for (const args of [['check'], ['migrate', '-m', 'bad models']]) {
    const result = await project.run(args);
    t.is(result.code, 1, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    const errors = lines(result.stderr);
    t.is(errors.length, 1, result.stderr);
    t.regex(errors[0] ?? '', /^error: .*"Item" and "ItemCard" .*table "a"/);
  }
  t.deepEqual(project.migrations(), []);
});
