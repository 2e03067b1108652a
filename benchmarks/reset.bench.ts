/**
 * reset() for test suites (issue 6). With 60 migrations (30 tables with foreign keys and indexes,
 * then 30 changes to them), per dialect:
 * - baseline: `downgrade({ to: 0 })` + `upgrade()`, what a suite pays to start a test from an
 *   empty database at head without reset();
 * - repeated `reset()` after a test that wrote to 5 tables (the usual test), to all 30, and to none;
 *   target: at most 0.05x the baseline;
 * - the candidate ways of emptying the tables (the dialect's statements alone, without the checks
 *   reset() makes around them), to show why reset() uses the one it does.
 * SQLite runs on a file and in memory. The built library is measured: AUTOMIGRATE_DIST (default
 * ../dist/lib, built by `npm run bench`). BENCH_RUNS sets the number of samples of each variant
 * (30); the baseline runs a tenth of that, 3 at least, in rounds interleaved with the others.
 * DIALECTS narrows the dialects, as in the tests.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Sequelize, type Options } from 'sequelize';
import { ALL_DIALECTS, unreachable, withDatabase, type TestDialect } from '../test/helpers/databases';

type Library = typeof import('../lib');
type Migrator = ReturnType<Library['createMigrator']>;

const TABLES = Array.from({ length: 30 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
const TOUCHED = TABLES.slice(0, 5);

function loadLibrary(): Library {
  const dist = resolve(process.env.AUTOMIGRATE_DIST ?? join(__dirname, '..', 'dist', 'lib'));
  if (!existsSync(join(dist, 'index.js'))) throw new Error(`No built library at ${dist}: run \`npm run build\` or set AUTOMIGRATE_DIST.`);
  return require(dist) as Library;
}

/** 30 tables, each referencing the one before, then a column or an index added to each. */
function writeMigrations(folder: string): string {
  mkdirSync(folder, { recursive: true });
  TABLES.forEach((table, i) => {
    const parent = i === 0 ? '' : `references: { model: '${TABLES[i - 1]}', key: 'id' }, onDelete: 'CASCADE',`;
    writeFileSync(
      join(folder, `2025010100${String(i + 1).padStart(2, '0')}00-create-${table}.js`),
      `module.exports = {
  async up(qi, S) {
    await qi.createTable('${table}', {
      id: { type: S.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      name: { type: S.STRING(100), allowNull: false },
      qty: { type: S.INTEGER, allowNull: false, defaultValue: 0 },
      createdAt: { type: S.DATE, allowNull: false },
      parentId: { type: S.INTEGER, allowNull: true, ${parent} },
    });
    await qi.addIndex('${table}', ['name'], { name: '${table}_name' });
  },
  async down(qi) { await qi.dropTable('${table}'); },
};
`,
    );
  });
  TABLES.forEach((table, i) => {
    const file = join(folder, `2025010200${String(i + 1).padStart(2, '0')}00-change-${table}.js`);
    writeFileSync(
      file,
      i % 2 === 0
        ? `module.exports = {
  async up(qi, S) { await qi.addColumn('${table}', 'note', { type: S.TEXT, allowNull: true }); },
  async down(qi) { await qi.removeColumn('${table}', 'note'); },
};
`
        : `module.exports = {
  async up(qi) { await qi.addIndex('${table}', ['createdAt'], { name: '${table}_created' }); },
  async down(qi) { await qi.removeIndex('${table}', '${table}_created'); },
};
`,
    );
  });
  return folder;
}

/** What a test does: a row in each table, each pointing at the row before. */
async function touch(sequelize: Sequelize, tables: readonly string[]): Promise<void> {
  const q = (n: string) => (sequelize.getQueryInterface() as unknown as { quoteIdentifier(n: string): string }).quoteIdentifier(n);
  const now = sequelize.escape(new Date());
  for (const [i, table] of tables.entries()) {
    const parent = i === 0 ? 'NULL' : `(SELECT MAX(${q('id')}) FROM ${q(tables[i - 1])})`;
    await sequelize.query(`INSERT INTO ${q(table)} (${q('name')}, ${q('createdAt')}, ${q('parentId')}) VALUES ('row', ${now}, ${parent})`);
  }
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Row {
  readonly label: string;
  readonly ms: number;
}

/** The ways of emptying `dirty` a dialect offers, each as a function run after the tables were filled. */
function candidates(sequelize: Sequelize, dialect: string, dirty: readonly string[]): Record<string, () => Promise<unknown>> {
  const q = (n: string) => (sequelize.getQueryInterface() as unknown as { quoteIdentifier(n: string): string }).quoteIdentifier(n);
  const list = (tables: readonly string[]) => tables.map(q).join(', ');
  const pinned = (statements: string[]) =>
    sequelize.transaction(async (transaction) => {
      for (const sql of statements) await sequelize.query(sql, { transaction });
    });
  switch (dialect) {
    case 'postgres':
      return {
        'DELETE children first + setval(), one multi-statement query (reset)': () =>
          sequelize.query(
            [...[...dirty].reverse().map((t) => `DELETE FROM ${q(t)};`), `SELECT ${dirty.map((t) => `setval('${t}_id_seq', 1, false)`).join(', ')};`].join('\n'),
          ),
        'DELETE + ALTER SEQUENCE RESTART, one transaction': () =>
          pinned([...[...dirty].reverse().map((t) => `DELETE FROM ${q(t)}`), ...dirty.map((t) => `ALTER SEQUENCE ${q(`${t}_id_seq`)} RESTART`)]),
        'TRUNCATE the dirty tables RESTART IDENTITY CASCADE': () => sequelize.query(`TRUNCATE ${list(dirty)} RESTART IDENTITY CASCADE`),
        'TRUNCATE all 30 tables RESTART IDENTITY CASCADE': () => sequelize.query(`TRUNCATE ${list(TABLES)} RESTART IDENTITY CASCADE`),
      };
    case 'mysql':
      return {
        'FK checks off, TRUNCATE the dirty tables (reset: their counters moved)': () =>
          pinned(['SET FOREIGN_KEY_CHECKS = 0', ...dirty.map((t) => `TRUNCATE TABLE ${q(t)}`), 'SET FOREIGN_KEY_CHECKS = 1']),
        'FK checks off, DELETE + AUTO_INCREMENT = 1, dirty tables': () =>
          pinned([
            'SET FOREIGN_KEY_CHECKS = 0',
            ...dirty.map((t) => `DELETE FROM ${q(t)}`),
            ...dirty.map((t) => `ALTER TABLE ${q(t)} AUTO_INCREMENT = 1`),
            'SET FOREIGN_KEY_CHECKS = 1',
          ]),
        'FK checks off, TRUNCATE all 30 tables': () =>
          pinned(['SET FOREIGN_KEY_CHECKS = 0', ...TABLES.map((t) => `TRUNCATE TABLE ${q(t)}`), 'SET FOREIGN_KEY_CHECKS = 1']),
        'DELETE only, dirty tables (no counter restart: not correct, for scale)': () =>
          pinned(['SET FOREIGN_KEY_CHECKS = 0', ...dirty.map((t) => `DELETE FROM ${q(t)}`), 'SET FOREIGN_KEY_CHECKS = 1']),
      };
    default: {
      const script = [...dirty.map((t) => `DELETE FROM ${q(t)};`), `DELETE FROM sqlite_sequence WHERE name IN (${dirty.map((t) => sequelize.escape(t)).join(', ')});`];
      type Raw = { exec(sql: string, cb: (e: Error | null) => void): void };
      const raw = async (sql: string) => {
        const c = (await (sequelize.connectionManager as unknown as { getConnection(o: object): Promise<Raw> }).getConnection({ uuid: 'default' })) as Raw;
        await new Promise<void>((ok, ko) => c.exec(sql, (e) => (e ? ko(e) : ok())));
      };
      return {
        'FK off, DELETE + sqlite_sequence, one transaction on the open connection (reset)': () =>
          raw(`PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE; ${script.join(' ')} COMMIT; PRAGMA foreign_keys = ON;`),
        'deferred FKs, DELETE + sqlite_sequence, Sequelize transaction': () =>
          pinned(['PRAGMA defer_foreign_keys = ON', ...script.map((s) => s.slice(0, -1))]),
        'DELETE all 30 tables + sqlite_sequence, one transaction': () =>
          raw(`PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE; ${TABLES.map((t) => `DELETE FROM ${q(t)};`).join(' ')} DELETE FROM sqlite_sequence; COMMIT; PRAGMA foreign_keys = ON;`),
      };
    }
  }
}

/** SQLite's other candidate: copy a template of the database at head over it (online backup API). */
async function templateCopy(sequelize: Sequelize, template: string): Promise<() => Promise<unknown>> {
  type Backup = { step(n: number, cb: (e: Error | null) => void): void; finish(cb: (e: Error | null) => void): void };
  type Raw = { backup(file: string, dest: string, src: string, fileIsDest: boolean, cb: (e: Error | null) => void): Backup };
  const c = (await (sequelize.connectionManager as unknown as { getConnection(o: object): Promise<Raw> }).getConnection({ uuid: 'default' })) as Raw;
  const copy = (fileIsDest: boolean) =>
    new Promise<void>((ok, ko) => {
      const backup = c.backup(template, 'main', 'main', fileIsDest, (e) => {
        if (e) return ko(e);
        backup.step(-1, (stepError) => {
          // step() reports SQLITE_DONE as an error-less callback once every page is copied.
          if (stepError) return ko(stepError);
          backup.finish((finishError) => (finishError ? ko(finishError) : ok()));
        });
      });
    });
  await copy(true);
  return () => copy(false);
}

interface Variant {
  readonly label: string;
  /** Untimed, before each sample: what the test wrote. */
  readonly prepare: () => Promise<unknown>;
  readonly run: () => Promise<unknown>;
  /** Untimed, after each sample of a candidate: back to a clean state for the next variant. */
  readonly cleanup?: () => Promise<unknown>;
}

/**
 * Rounds of every variant in turn (one baseline sample, then a share of the others' samples), so
 * a machine busy for a while slows them all alike instead of the one measured then.
 */
async function benchDialect(lib: Library, label: string, options: Options, dir: string, dialect: TestDialect | 'sqlite-memory'): Promise<Row[]> {
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 30));
  const rounds = Math.max(3, Math.round(runs / 10));
  const perRound = Math.ceil(runs / rounds);
  const slug = label.replace(/\W+/g, '-');
  const sequelize = new Sequelize({ ...options, logging: false });
  try {
    const migrator: Migrator = lib.createMigrator({ sequelize, migrations: writeMigrations(join(dir, `migrations-${slug}`)), logger: false });
    await migrator.reset();
    const clean = () => migrator.reset();
    const nothing = async () => {};
    const variants: Variant[] = [
      { label: 'reset(), the test wrote to 5 tables', prepare: () => touch(sequelize, TOUCHED), run: () => migrator.reset() },
      { label: 'reset(), the test wrote to all 30 tables', prepare: () => touch(sequelize, TABLES), run: () => migrator.reset() },
      { label: 'reset(), the test wrote nothing', prepare: nothing, run: () => migrator.reset() },
    ];
    const engine = dialect === 'sqlite-memory' ? 'sqlite' : dialect;
    const restore = engine === 'sqlite' ? await templateCopy(sequelize, join(dir, `template-${slug}.sqlite`)) : null;
    for (const [count, dirty] of [
      ['5', TOUCHED],
      ['30', TABLES],
    ] as const) {
      const offers = Object.entries(candidates(sequelize, engine, dirty));
      if (restore) offers.push(['copy a template over the database (backup API)', restore]);
      for (const [name, run] of offers) {
        variants.push({ label: `  emptying only, ${count} dirty: ${name}`, prepare: () => touch(sequelize, dirty), run, cleanup: clean });
      }
    }
    const baseline: number[] = [];
    const samples = new Map<string, number[]>(variants.map((v) => [v.label, []]));
    for (let round = 0; round < rounds; round++) {
      baseline.push(
        await time(async () => {
          await migrator.downgrade({ to: 0 });
          await migrator.upgrade();
        }),
      );
      await migrator.reset();
      for (const variant of variants) {
        for (let i = 0; i < perRound; i++) {
          await variant.prepare();
          samples.get(variant.label)?.push(await time(variant.run));
          await variant.cleanup?.();
        }
      }
    }
    return [
      { label: 'downgrade({ to: 0 }) + upgrade()  [baseline]', ms: median(baseline) },
      ...variants.map((v) => ({ label: v.label, ms: median(samples.get(v.label) ?? []) })),
    ];
  } finally {
    await sequelize.close();
  }
}

function print(label: string, rows: readonly Row[]): void {
  const baseline = rows[0].ms;
  console.log(`\n${label}`);
  for (const row of rows) {
    const ratio = row.ms / baseline;
    const verdict = row.label.startsWith('reset()') ? (ratio <= 0.05 ? '  (target <= 0.05x: met)' : '  (target <= 0.05x: MISSED)') : '';
    console.log(`  ${row.label.padEnd(92)} ${row.ms.toFixed(2).padStart(9)} ms  ${ratio.toFixed(4).padStart(7)}x${verdict}`);
  }
}

async function main(): Promise<void> {
  const lib = loadLibrary();
  console.log(`reset() vs downgrade({ to: 0 }) + upgrade(), 60 migrations, 30 tables; medians; ratios against the baseline of the same database`);
  for (const dialect of ALL_DIALECTS) {
    const why = await unreachable(dialect);
    if (why) {
      console.log(`SKIPPED ${dialect}: ${why}`);
      continue;
    }
    await withDatabase(dialect, async (db) => {
      print(`${dialect}${dialect === 'sqlite' ? ' (file)' : ''}`, await benchDialect(lib, dialect, db.options, db.dir, dialect));
      if (dialect === 'sqlite') {
        print('sqlite (:memory:)', await benchDialect(lib, 'memory', { dialect: 'sqlite', storage: ':memory:' }, db.dir, 'sqlite-memory'));
      }
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
