/**
 * Names the migrator derives from `tableName` (`<tableName>_progress`) must fit the dialect's
 * identifier limit: PostgreSQL truncates longer names to 63 bytes (the progress table became the
 * history table and a later DROP dropped the history), MySQL refuses names over 64 characters on
 * every statement (errno 1103). Names that cannot fit are refused before any query; the longest
 * names that fit work through a whole cycle, markers included.
 */
import { join } from 'node:path';
import { autoMigrate, createMigrator, MigrationError, type MigratorOptions } from '../../lib';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';
import { snapshot } from '../helpers/snapshot';

const quiet = { logger: false as const };

/** [tableName, what the message must say about the limit] per dialect. */
const TOO_LONG: Record<string, readonly [string, RegExp][]> = {
  // 63 characters: fits, but `<name>_progress` truncates to the name itself (the case).
  postgres: [
    ['h'.repeat(63), /limited to 63 bytes.*_progress", which is 72\. Use a tableName of at most 54 bytes/],
    ['h'.repeat(70), /limited to 63 bytes, and it is 70\. Use a tableName of at most 54 bytes/],
    // 28 characters, 56 bytes: PostgreSQL counts bytes.
    ['é'.repeat(28), /limited to 63 bytes.*which is 65\. Use a tableName of at most 54 bytes/],
  ],
  mysql: [
    ['h'.repeat(56), /limited to 64 characters.*_progress", which is 65\. Use a tableName of at most 55 characters/],
    ['h'.repeat(65), /limited to 64 characters, and it is 65\./],
  ],
};

/** The longest names that fit, per dialect (SQLite has no limit to speak of). */
const LONGEST: Record<string, readonly string[]> = {
  postgres: ['h'.repeat(54), 'é'.repeat(27)],
  mysql: ['h'.repeat(55)],
  sqlite: ['h'.repeat(200)],
};

async function applied(db: TestDatabase): Promise<string> {
  const folder = writeMigrations(join(db.dir, 'applied'), { '001-a.js': createTableMigration('a') });
  await createMigrator({ sequelize: db.sequelize, migrations: folder, ...quiet }).upgrade();
  return folder;
}

eachDialect(
  'a tableName whose derived names exceed the identifier limit is an OptionsError naming the limit, before any query',
  async (t, db) => {
    const folder = await applied(db);
    const before = await snapshot(db.sequelize);
    for (const [tableName, why] of TOO_LONG[db.dialect]) {
      const options: MigratorOptions = { sequelize: db.sequelize, migrations: folder, tableName, ...quiet };
      const error = t.throws(() => createMigrator(options));
      t.true(error instanceof MigrationError, String(error));
      t.is((error as MigrationError).code, 'E_OPTIONS', error?.message);
      t.is((error as MigrationError).subject, 'tableName');
      t.true(error!.message.includes(`"${tableName}"`), error!.message);
      t.regex(error!.message, why);
      await rejectsWith(t, autoMigrate({ ...options, onDrift: 'ignore' }), 'E_OPTIONS');
    }
    t.is(await snapshot(db.sequelize), before, 'nothing was created or changed');
  },
  { dialects: ['postgres', 'mysql'] },
);

eachDialect('the longest tableName that fits runs, leaves interrupted-run markers apart from the history, and cleans up', async (t, db) => {
  for (const tableName of LONGEST[db.dialect]) {
    const folder = writeMigrations(join(db.dir, `m-${tableName.length}-${Buffer.byteLength(tableName)}`), {
      '001-a.js': createTableMigration('a'),
    });
    // transaction: 'none' writes markers in `<tableName>_progress` on every dialect.
    const make = () => createMigrator({ sequelize: db.sequelize, migrations: folder, tableName, transaction: 'none', ...quiet });
    t.deepEqual((await make().upgrade()).map((s) => s.name), ['001-a']);
    // Creates a table, then fails: a marker stays, and the next run names the migration.
    writeMigrations(folder, {
      '002-b.js': createTableMigration('b', "throw new Error('half-way');"),
    });
    const failed = await rejectsWith(t, make().upgrade(), 'E_MIGRATION_FAILED');
    t.is(failed.subject, '002-b');
    const stopped = await rejectsWith(t, make().upgrade(), 'E_INCOMPLETE_MIGRATION');
    t.is(stopped.subject, '002-b');
    t.deepEqual(await historyNames(db.sequelize, tableName), ['001-a.js'], 'the history survived its progress table');
    t.deepEqual(await tableNames(db.sequelize, tableName), [`${tableName}_progress`, 'a', 'b'].sort());
    // The operator undoes the half and records it; the fixed migration then runs.
    await db.sequelize.getQueryInterface().dropTable('b');
    await make().stamp('001-a');
    writeMigrations(folder, { '002-b.js': createTableMigration('b') });
    t.deepEqual((await make().upgrade()).map((s) => s.name), ['002-b']);
    t.deepEqual(await make().upgrade(), [], 'a second boot finds the history and has nothing to do');
    t.deepEqual(await historyNames(db.sequelize, tableName), ['001-a.js', '002-b.js']);
    t.deepEqual(await tableNames(db.sequelize, tableName), ['a', 'b'], 'the progress table is gone, the history is not');
    await db.sequelize.getQueryInterface().dropAllTables();
  }
});
