/**
 * Issue 19: a fresh database brought to head from a long history (300 migrations ending at 40
 * tables: benchmarks/lib/long-history.ts), by replaying every migration against by running the
 * baseline `squash` wrote for them (the replaced files deleted, as a project does once every
 * database is past them). Goal: the baseline at most 0.2x of the replay. Both with default
 * options, timed in process (the upgrade() call; creating the empty database is not timed). The
 * squash itself (scratch database, replay, introspection, rendering) is timed once, for the record.
 * Self-check: both reach the same schema (an empty diff) and record the same 300 names.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sequelize } from 'sequelize';
import type * as Library from '../lib';
import { distPath, machine, reachableDialects, runs, serverVersion, withDatabase, type TestDialect } from './lib/bench-env';
import { MIGRATIONS, writeLongHistory } from './lib/long-history';
import { fixed, formatMs, formatRatio, summarize, verdict } from './lib/stats';
import { printTable } from './lib/table';

type Lib = typeof Library;

async function timedUpgrade(lib: Lib, dialect: TestDialect, folder: string, check?: (sequelize: Sequelize) => Promise<void>): Promise<number> {
  return withDatabase(dialect, async (db) => {
    const migrator = lib.createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
    const started = performance.now();
    await migrator.upgrade();
    const ms = performance.now() - started;
    await check?.(db.sequelize);
    return ms;
  });
}

/** The schema and history of a database, for the self-check. */
async function fingerprint(sequelize: Sequelize): Promise<{ tables: number; history: number; schema: unknown }> {
  const dialects = require(join(distPath(), 'dialects')) as typeof import('../lib/dialects');
  const dialect = dialects.dialectOf(sequelize);
  const schema = await dialect.introspect(sequelize, { excludeTables: ['SequelizeMeta', 'SequelizeMeta_progress'] });
  const [row] = (await sequelize.query('SELECT COUNT(*) AS n FROM ' + sequelize.getQueryInterface().quoteIdentifier('SequelizeMeta'), { type: 'SELECT' as never })) as unknown as { n: number | string }[];
  const history = Number(row.n);
  return { tables: schema.tables.length, history, schema };
}

async function main(): Promise<void> {
  const dist = distPath();
  const lib = require(dist) as Lib;
  const { diffSchemas } = require(join(dist, 'diff', 'diff-schemas')) as typeof import('../lib/diff/diff-schemas');
  const n = runs(3);
  const dir = mkdtempSync(join(tmpdir(), 'automigrate-bench-squash-'));
  try {
    const replay = join(dir, 'replay');
    const names = writeLongHistory(replay);
    console.log(`A fresh database to head: ${MIGRATIONS} migrations (40 tables at the end) replayed, against their squashed baseline; ${n} runs each, alternating; library ${dist}`);
    console.log(machine());
    for (const dialect of await reachableDialects()) {
      const version = await withDatabase(dialect, serverVersion);
      const baseline = join(dir, `baseline-${dialect}`);
      cpSync(replay, baseline, { recursive: true });
      const squashStarted = performance.now();
      const result = await withDatabase(dialect, (db) => lib.createMigrator({ sequelize: db.sequelize, migrations: baseline, logger: false }).squash());
      const squashMs = performance.now() - squashStarted;
      for (const name of names) rmSync(join(baseline, name));

      // Self-check, not timed: the same schema and the same history either way.
      const prints: Awaited<ReturnType<typeof fingerprint>>[] = [];
      for (const folder of [replay, baseline]) await withDatabase(dialect, async (db) => {
        await lib.createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade();
        prints.push(await fingerprint(db.sequelize));
      });
      const [a, b] = prints as { tables: number; history: number; schema: import('../types/schema').Schema }[];
      const diff = await withDatabase(dialect, async (db) => {
        const d = (require(join(dist, 'dialects')) as typeof import('../lib/dialects')).dialectOf(db.sequelize);
        return diffSchemas(a.schema, b.schema, { capabilities: d.capabilities, normalize: (t) => d.normalizeTable(t) }).operations;
      });
      if (a.tables !== 40 || b.tables !== 40 || a.history !== MIGRATIONS || b.history !== MIGRATIONS + 1 || diff.length > 0) {
        throw new Error(`self-check failed on ${dialect}: tables ${a.tables}/${b.tables}, history ${a.history}/${b.history}, ${diff.length} difference(s)`);
      }

      const times = { replay: [] as number[], baseline: [] as number[] };
      for (let i = 0; i < n; i++) {
        const order: ('replay' | 'baseline')[] = i % 2 === 0 ? ['replay', 'baseline'] : ['baseline', 'replay'];
        for (const variant of order) times[variant].push(await timedUpgrade(lib, dialect, variant === 'replay' ? replay : baseline));
      }
      const replayed = summarize(times.replay);
      const based = summarize(times.baseline);
      console.log(`\n## ${dialect} (${version})\n`);
      printTable(
        ['variant', 'upgrade() of a fresh database', 'vs replay', 'target'],
        [
          [`replay of ${MIGRATIONS} migrations`, formatMs(replayed), '1.00x', ''],
          [`baseline (replaces ${result.replaces.length})`, formatMs(based), formatRatio(based.median, replayed.median), verdict(based.median, replayed.median, 0.2)],
        ],
      );
      console.log(`\nsquash itself (scratch database, replay, introspection, rendering): ${fixed(squashMs)} ms, once`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
