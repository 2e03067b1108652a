/**
 * Target 3: the diff of a 200-table schema that matches its models, against per-table
 * QueryInterface introspection (`describeTable` + `showIndex` + `getForeignKeyReferencesForTable`
 * for each table, after `showAllTables`): at most 0.2x its time, in 10 queries or fewer.
 * Both run in this process, warm (one warm-up each), alternating.
 */
import type { Sequelize } from 'sequelize';
import { distPath, machine, reachableDialects, runs, serverVersion, withDatabase } from './lib/bench-env';
import { writeApp } from './lib/fixture';
import { countQueries, timed } from './lib/query-counter';
import { formatMs, formatRatio, summarize, verdict } from './lib/stats';
import { printTable } from './lib/table';

const COUNT = 200;
const HISTORY = 'SequelizeMeta';

/** What an application without this library would do: three QueryInterface calls per table. */
async function perTableIntrospection(sequelize: Sequelize): Promise<number> {
  const qi = sequelize.getQueryInterface();
  const tables = ((await qi.showAllTables()) as unknown[])
    .map((t) => (typeof t === 'string' ? t : String((t as { tableName: string }).tableName)))
    .filter((t) => t !== HISTORY);
  for (const table of tables) {
    await qi.describeTable(table);
    await qi.showIndex(table);
    await qi.getForeignKeyReferencesForTable(table);
  }
  return tables.length;
}

async function main(): Promise<void> {
  const dist = distPath();
  const n = runs(3);
  const { createMigrator } = require(dist) as typeof import('../lib');
  console.log(`Diff of a ${COUNT}-table schema matching its models; ${n} runs each after one warm-up, alternating; library ${dist}`);
  console.log(machine());
  for (const dialect of await reachableDialects()) {
    await withDatabase(dialect, async (db) => {
      const app = writeApp(db.dir, COUNT);
      const migrator = createMigrator({ sequelize: db.sequelize, migrations: app.migrations, logger: false });
      await migrator.upgrade();
      (require(app.models) as (s: Sequelize) => void)(db.sequelize);

      const variants = {
        'per-table QueryInterface': async () => {
          const tables = await perTableIntrospection(db.sequelize);
          if (tables !== COUNT) throw new Error(`per-table introspection saw ${tables} tables, not ${COUNT}`);
        },
        'migrator.diff()': async () => {
          const operations = await migrator.diff();
          if (operations.length !== 0) {
            throw new Error(`the fixture's models differ from its database: ${JSON.stringify(operations.slice(0, 3))}`);
          }
        },
      };
      const names = Object.keys(variants) as (keyof typeof variants)[];
      const queries = new Map<string, number>();
      for (const name of names) queries.set(name, (await countQueries(db.sequelize, variants[name])).queries);
      const samples = new Map<string, number[]>(names.map((name) => [name, []]));
      for (let i = 0; i < n; i++) {
        for (const name of i % 2 === 0 ? names : [...names].reverse()) samples.get(name)?.push((await timed(variants[name])).ms);
      }
      const baseline = summarize(samples.get(names[0]) ?? []).median;
      console.log(`\n## ${dialect} (${await serverVersion(db)})\n`);
      printTable(
        ['variant', 'time', 'vs per-table', 'target', 'queries', 'target'],
        names.map((name) => {
          const s = summarize(samples.get(name) ?? []);
          const q = queries.get(name) ?? 0;
          const ours = name === 'migrator.diff()';
          return [
            name,
            formatMs(s),
            formatRatio(s.median, baseline),
            ours ? verdict(s.median, baseline, 0.2) : '',
            String(q),
            ours ? (q <= 10 ? 'met (<= 10)' : 'MISSED (target <= 10)') : '',
          ];
        }),
      );
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
