/**
 * Issue #12: an existing project's migration files run unchanged under the default options
 * (transaction: 'each') on every dialect where their SQL is valid. Each pattern of the corpus is
 * applied by the runner (each body once, history complete, a second run a no-op) and by
 * sequelize-cli's bare loop on a second database; the two schemas must be the same.
 */
import type { ExecutionContext } from 'ava';
import { createMigrator } from '../../lib';
import { withDatabase, type TestDatabase, type TestDialect } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { historyNames, tableNames } from '../helpers/migrations';
import { bareLoop, column, fixture, fixtureFiles, recordingLogger, runsOf, schemaOf } from './helpers';

interface Pattern {
  readonly dialects?: readonly TestDialect[];
  /** Extra assertions on the data the pattern leaves (same after the runner and the bare loop). */
  readonly data: (db: TestDatabase) => Promise<unknown>;
  /** Checks the log of the runner's run. */
  readonly log?: (t: ExecutionContext, log: ReturnType<typeof recordingLogger>, db: TestDatabase) => void;
  /** The bare loop needs one connection at a time (un-awaited statements would race the next file). */
  readonly serialBare?: boolean;
}

const PATTERNS: Record<string, Pattern> = {
  'own-transaction': {
    data: async (db) => ({
      accounts: await column(db.sequelize, 'SELECT nickname FROM accounts'),
      profiles: await column(db.sequelize, 'SELECT bio FROM profiles ORDER BY bio'),
    }),
  },
  'forgotten-await': {
    serialBare: true,
    data: async (db) => column(db.sequelize, "SELECT total FROM orders WHERE status = 'new'"),
    log: (t, log) => {
      t.is(log.warnings.length, 2, log.warnings.join('\n'));
      t.regex(log.warnings[0], /"002-forgot-query-interface\.js" did not await 1 call\(s\): queryInterface\.addColumn\(\) \(at [^)]*002-forgot-query-interface\.js:11:\d+\)/);
      t.regex(log.warnings[1], /"003-forgot-raw-query\.js" did not await 1 call\(s\): INSERT INTO orders .*\(at [^)]*003-forgot-raw-query\.js:7:\d+\)/);
    },
  },
  concurrently: {
    dialects: ['postgres'],
    data: async (db) => column(db.sequelize, "SELECT indexname FROM pg_indexes WHERE tablename = 'events' ORDER BY indexname"),
    log: (t, log) => {
      t.true(
        log.warnings.some((w) => /"002-index-concurrently\.js" cannot run inside a transaction.*ran it again outside one/.test(w)),
        log.warnings.join('\n'),
      );
    },
  },
  'raw-sql': { data: async (db) => column(db.sequelize, 'SELECT label FROM tags ORDER BY label') },
  helpers: { data: async (db) => column(db.sequelize, 'SELECT COUNT(*) AS n FROM settings').then((n) => n.map(Number)) },
  'models-file': { data: async (db) => column(db.sequelize, 'SELECT name FROM users WHERE role IS NOT NULL') },
};

const EXPECTED_DATA: Record<string, unknown> = {
  'own-transaction': { accounts: ['ann'], profiles: ['after rollback', 'kept', 'one', 'three', 'two'] },
  'forgotten-await': [42],
  concurrently: ['events_kind', 'events_pkey'],
  'raw-sql': ['b', "it's", 'seen 2'],
  helpers: [0],
  'models-file': ['ada'],
};

for (const [name, pattern] of Object.entries(PATTERNS)) {
  eachDialect(
    `compat corpus "${name}": applied once each under the default options, the same schema as sequelize-cli's bare loop`,
    async (t, db) => {
      const files = fixtureFiles(name);
      const log = recordingLogger();
      const migrator = createMigrator({ sequelize: db.sequelize, migrations: fixture(name), logger: log });
      const applied = await migrator.upgrade();
      t.deepEqual(applied.map((s) => s.name), files.map((f) => f.replace(/\.js$/, '')));
      t.deepEqual(await historyNames(db.sequelize), files);
      // Every body that counts ran exactly once (a rerun leaves its first attempt's row only if it committed).
      const runs = await runsOf(db.sequelize);
      t.deepEqual([...runs].sort(), files.slice(1).map((f) => f.replace(/\.js$/, '')));
      t.deepEqual(await pattern.data(db), EXPECTED_DATA[name]);
      pattern.log?.(t, log, db);
      t.deepEqual(await migrator.upgrade(), [], 'a second run has nothing to do');
      t.false((await tableNames(db.sequelize)).includes('SequelizeMeta_progress'), 'no progress marker left');
      const schema = await schemaOf(db.sequelize);
      t.true(schema.tables.length > 1);

      await withDatabase(db.dialect, async (bare) => {
        const sequelize = pattern.serialBare ? bare.connect({ pool: { max: 1, min: 0, idle: 1000, acquire: 20000 } }) : bare.sequelize;
        await bareLoop(sequelize, name);
        // One more statement on the same pool: with one connection it waits for any straggler.
        await sequelize.query('SELECT 1');
        t.deepEqual(await schemaOf(bare.sequelize), schema, 'the runner and the bare loop leave the same schema');
        t.deepEqual(await pattern.data(bare), EXPECTED_DATA[name]);
        t.deepEqual([...(await runsOf(bare.sequelize))].sort(), [...runs].sort());
      });
    },
    { dialects: pattern.dialects },
  );
}
