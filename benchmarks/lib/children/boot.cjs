'use strict';
/**
 * One application boot, in a fresh process, as a deployed app runs it: plain JavaScript, the
 * built library, nothing preloaded. `node boot.cjs` with BENCH_CHILD = JSON of
 *   { mode: 'floor' | 'automigrate' | 'umzug', options, migrations, models, dist, onDrift, tableName }
 * - floor: load Sequelize (and the models), run one SELECT on the history table, close.
 * - automigrate: the same, then autoMigrate() from the build at `dist`.
 * - umzug: the same, with plain umzug + SequelizeStorage over the same sequelize-cli files,
 *   resolved as umzug's README shows for sequelize-cli migrations.
 * - bare: no runner at all: require each file in name order and await its up(), no history, no
 *   transaction, no lock. What the database itself costs: no runner can apply faster.
 * Before exiting it writes one JSON line on stdout: timings (ms since the process started),
 * CPU time, peak RSS, queries issued, modules loaded.
 */
const { performance } = require('node:perf_hooks');
const { realpathSync, writeSync } = require('node:fs');

const started = performance.now();
const config = JSON.parse(process.env.BENCH_CHILD);
let queries = 0;
const report = { started, mode: config.mode };

async function main() {
  const { Sequelize } = require('sequelize');
  const sequelize = new Sequelize({ ...config.options, logging: () => queries++ });
  if (config.models) require(config.models)(sequelize);
  report.sequelizeLoaded = performance.now();
  try {
    const before = performance.now();
    if (config.mode === 'floor') {
      const table = sequelize.getQueryInterface().quoteIdentifier(config.tableName);
      await sequelize.query(`SELECT * FROM ${table}`, { type: Sequelize.QueryTypes.SELECT });
    } else if (config.mode === 'automigrate') {
      const { autoMigrate } = require(config.dist);
      report.libraryLoaded = performance.now();
      const result = await autoMigrate({
        sequelize,
        migrations: config.migrations,
        tableName: config.tableName,
        logger: false,
        onDrift: config.onDrift,
      });
      report.applied = result.applied.length;
      report.drift = result.drift.length;
    } else if (config.mode === 'umzug') {
      const { Umzug, SequelizeStorage } = require('umzug');
      report.libraryLoaded = performance.now();
      const umzug = new Umzug({
        migrations: {
          glob: `${config.migrations}/*.js`,
          resolve: ({ name, path, context }) => {
            const migration = require(path);
            return { name, up: async () => migration.up(context, Sequelize), down: async () => migration.down(context, Sequelize) };
          },
        },
        context: sequelize.getQueryInterface(),
        storage: new SequelizeStorage({ sequelize, tableName: config.tableName }),
        logger: undefined,
      });
      report.applied = (await umzug.up()).length;
    } else if (config.mode === 'bare') {
      const { readdirSync } = require('node:fs');
      const queryInterface = sequelize.getQueryInterface();
      const files = readdirSync(config.migrations).filter((f) => f.endsWith('.js')).sort();
      for (const file of files) await require(`${config.migrations}/${file}`).up(queryInterface, Sequelize);
      report.applied = files.length;
    } else {
      throw new Error(`unknown mode ${config.mode}`);
    }
    report.workMs = performance.now() - before;
  } finally {
    await sequelize.close();
  }
  report.closed = performance.now();
}

process.on('exit', () => {
  const loaded = Object.keys(require.cache);
  report.exit = performance.now();
  report.queries = queries;
  const usage = process.resourceUsage();
  report.maxRssKb = usage.maxRSS;
  // CPU time (user + system) resists a busy machine better than wall time: a second witness.
  report.cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  report.modules = loaded.length;
  // require.cache holds real paths: compare with real paths (a temp folder may be a symlink).
  const under = (folder) => {
    const real = realpathSync(folder);
    return loaded.filter((f) => f.startsWith(real)).length;
  };
  report.libraryModules = under(config.dist);
  report.migrationFilesRequired = under(config.migrations);
  writeSync(1, `${JSON.stringify(report)}\n`);
});

main().catch((error) => {
  writeSync(2, `${error && error.stack ? error.stack : error}\n`);
  process.exitCode = 1;
});
