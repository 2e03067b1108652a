/**
 * Progress markers carry their owner and a heartbeat (issue #15): a marker whose run is alive reads
 * as "in progress", never as interrupted; an older table without the owner columns still works.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMigrator, type MigrationError } from '../../lib';
import { lockName64 } from '../../lib/dialects/lock-key';
import { bootChild, untilWritten } from '../helpers/child';
import { bodyRuns, countedMigration } from '../helpers/crowd';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { historyNames, tableNames, writeMigrations } from '../helpers/migrations';

eachDialect(
  "the lock connection is killed while its holder lives: the waiter waits for the holder's migration instead of calling it interrupted",
  async (t, db) => {
    const signal = join(db.dir, 'inside');
    const release = join(db.dir, 'release');
    const ranFile = join(db.dir, 'ran.log');
    const folder = writeMigrations(join(db.dir, 'm'), {
      // Counts its body, signals, and holds until the test releases it.
      '001-a.js': `module.exports = { async up(qi, S) {
        const fs = require('node:fs');
        fs.appendFileSync(${JSON.stringify(ranFile)}, '001-a ' + process.pid + '\\n');
        fs.writeFileSync(${JSON.stringify(signal)}, String(process.pid));
        while (!fs.existsSync(${JSON.stringify(release)})) await new Promise((r) => setTimeout(r, 50));
        await qi.createTable('a', { id: { type: S.INTEGER, primaryKey: true } });
      } };`,
      '002-b.js': countedMigration(ranFile, '002-b', 'b'),
    });
    const env = { AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_LOCK_TIMEOUT_MS: '60000' };
    const holder = bootChild(env, t);
    t.is(await untilWritten(holder, signal), null, 'the holder is inside 001-a');

    const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
    const during = await migrator.status();
    t.deepEqual(during.incomplete, [], 'a live run is not interrupted');
    t.deepEqual(during.inProgress.map((s) => [s.migration, s.direction]), [['001-a', 'up']]);
    t.regex(during.inProgress[0].by!, new RegExp(` pid ${holder.process.pid}$`));
    t.truthy(during.inProgress[0].runId);

    // The server ends the holder's lock connection; its migration's connection lives on.
    const name = lockName64(`automigrate:${db.database}:SequelizeMeta`);
    const [[locked]] = (await db.sequelize.query('SELECT IS_USED_LOCK(?) AS id', { replacements: [name] })) as [{ id: number | null }[], unknown];
    t.truthy(locked.id, 'the holder holds GET_LOCK');
    await db.sequelize.query(`KILL CONNECTION ${Number(locked.id)}`);

    const waiter = bootChild(env, t);
    // The waiter takes the freed lock, then finds the holder's live marker and waits.
    const deadline = Date.now() + 60_000;
    let taken: number | null = null;
    while (Date.now() < deadline) {
      const [[row]] = (await db.sequelize.query('SELECT IS_USED_LOCK(?) AS id', { replacements: [name] })) as [{ id: number | null }[], unknown];
      if (row.id && row.id !== locked.id) {
        taken = row.id;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    t.truthy(taken, 'the waiter took the lock');
    const early = await Promise.race([waiter.done, new Promise((r) => setTimeout(() => r('waiting'), 1500))]);
    t.is(early, 'waiting', `the waiter waits for 001-a: ${JSON.stringify(early)}`);

    writeFileSync(release, '');
    const [held, waited] = await Promise.all([holder.done, waiter.done]);
    t.is(held.output?.error, 'E_LOCK', `the holder finished 001-a, then stopped on its lost lock: ${JSON.stringify(held.output)}`);
    t.is(waited.code, 0, `${JSON.stringify(waited.output)} ${waited.stderr.slice(-1000)}`);
    t.deepEqual(waited.output?.applied, ['002-b'], 'never E_INCOMPLETE_MIGRATION');
    t.deepEqual(bodyRuns(ranFile), { '001-a': 1, '002-b': 1 });
    t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js']);
    t.deepEqual(await tableNames(db.sequelize), ['a', 'b'], 'the last run removed the marker table');
  },
  { dialects: ['mysql'] },
);

/** The marker table as versions before owners were recorded created it. */
async function oldMarkerTable(db: { sequelize: import('sequelize').Sequelize }): Promise<void> {
  const S = db.sequelize.constructor as unknown as typeof import('sequelize');
  await db.sequelize.getQueryInterface().createTable('SequelizeMeta_progress', {
    name: { type: S.STRING, allowNull: false, primaryKey: true },
    direction: { type: S.STRING(4), allowNull: false },
    started_at: { type: S.DATE, allowNull: true },
    started_by: { type: S.STRING, allowNull: true },
  });
}

eachDialect('a marker table of the old shape: its markers read as interrupted, and an empty one gains the owner columns', async (t, db) => {
  const ranFile = join(db.dir, 'ran.log');
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': countedMigration(ranFile, '001-a', 'a') });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, transaction: 'none' });

  await oldMarkerTable(db);
  await db.sequelize.getQueryInterface().bulkInsert('SequelizeMeta_progress', [
    { name: '001-a.js', direction: 'up', started_at: new Date(), started_by: 'elsewhere pid 1' },
  ]);
  const error = await rejectsWith<MigrationError>(t, migrator.upgrade(), 'E_INCOMPLETE_MIGRATION');
  t.is(error.subject, '001-a');
  t.deepEqual((await migrator.status()).incomplete.map((s) => [s.migration, s.runId, s.heartbeatAt]), [['001-a', null, null]]);
  t.deepEqual(bodyRuns(ranFile), {}, 'nothing ran');

  // Resolved by stamp (the table goes); an empty table of the old shape left by an older run:
  await migrator.stamp(0);
  await oldMarkerTable(db);
  t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['001-a']);
  t.deepEqual(bodyRuns(ranFile), { '001-a': 1 });
  t.deepEqual(await tableNames(db.sequelize), ['a'], 'the marker table went with the run that completed');
});
