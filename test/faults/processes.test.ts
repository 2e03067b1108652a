import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMigrator } from '../../lib';
import { bootChild, untilWritten } from '../helpers/child';
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

const PROCESSES = 8;

/** A migration slow enough (300 ms) that concurrent boots overlap inside it. */
const slowTable = (table: string) =>
  createTableMigration(table, `await new Promise((resolve) => setTimeout(resolve, 300));`);

eachDialect(`${PROCESSES} processes booting at once apply every migration exactly once, and all succeed`, async (t, db) => {
  const names = ['001-a', '002-b', '003-c', '004-d'];
  const folder = writeMigrations(join(db.dir, 'm'), Object.fromEntries(names.map((n) => [`${n}.js`, slowTable(n.slice(4))])));
  const startAt = String(Date.now() + 4000);
  const children = Array.from({ length: PROCESSES }, () =>
    bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_START_AT: startAt }, t),
  );
  const results = await Promise.all(children.map((c) => c.done));
  for (const r of results) t.is(r.code, 0, `a process failed: ${JSON.stringify(r.output)} ${r.stderr}`);
  const applied = results.flatMap((r) => r.output?.applied ?? []);
  t.deepEqual([...applied].sort(), names, 'each migration ran in exactly one process');
  t.deepEqual(await historyNames(db.sequelize), names.map((n) => `${n}.js`));
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b', 'c', 'd']);

  // The same again on an up-to-date database: every process succeeds and applies nothing.
  const again = await Promise.all(
    Array.from({ length: PROCESSES }, () => bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder }, t).done),
  );
  for (const r of again) t.deepEqual(r.output, { applied: [] });
});

eachDialect('SIGKILL in the middle of a migration: the lock is freed, MySQL names the half-applied migration, a fresh process completes', async (t, db) => {
  const marker = join(db.dir, 'inside-002');
  const folder = writeMigrations(join(db.dir, 'm'), {
    '001-a.js': createTableMigration('a'),
    // Creates one table, then (only in the doomed process) signals and hangs before the second.
    '002-b.js': `module.exports = { async up(qi, S) {
      await qi.createTable('b1', { id: { type: S.INTEGER, primaryKey: true } });
      if (process.env.AM_HANG) { require('node:fs').writeFileSync(${JSON.stringify(marker)}, ''); await new Promise(() => setInterval(() => {}, 1000)); }
      await qi.createTable('b2', { id: { type: S.INTEGER, primaryKey: true } });
    }, async down(qi) { await qi.dropTable('b2'); await qi.dropTable('b1'); } };`,
    '003-c.js': createTableMigration('c'),
  });
  // Per-migration commits on this fresh database, so 001-a stays (in one transaction nothing would).
  const doomed = bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_HANG: '1', AM_FRESH_IN_ONE: '0' }, t);
  t.is(await untilWritten(doomed, marker), null, 'the doomed process reached the middle of 002-b');
  doomed.process.kill('SIGKILL');
  t.is((await doomed.done).signal, 'SIGKILL');

  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js']);
  if (db.dialect === 'mysql') {
    // b1 was committed by MySQL's implicit commit: the next run names 002-b instead of failing
    // on "table b1 already exists", and says how to resolve it.
    const stopped = await bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_LOCK_TIMEOUT_MS: '10000' }, t).done;
    t.is(stopped.output?.error, 'E_INCOMPLETE_MIGRATION', JSON.stringify(stopped.output));
    t.regex(stopped.output!.message!, /"002-b" did not finish \(up, begun at .* by .* pid \d+\)/);
    t.regex(stopped.output!.message!, /automigrate stamp 002-b`.*automigrate stamp 001-a`/);
    t.deepEqual((await migrator.status()).incomplete.map((s) => [s.migration, s.direction]), [['002-b', 'up']]);
    t.deepEqual(await tableNames(db.sequelize), ['SequelizeMeta_progress', 'a', 'b1'], 'nothing else ran');
    // The operator undoes the half (drops b1) and records that 001-a is where the schema is.
    await db.sequelize.getQueryInterface().dropTable('b1');
    await migrator.stamp('001-a');
  } else {
    t.deepEqual(await tableNames(db.sequelize), ['a'], 'nothing of the killed migration remains');
  }
  // A short lock timeout: the killed process's lock must already be gone.
  const fresh = await bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_LOCK_TIMEOUT_MS: '10000' }, t).done;
  t.is(fresh.code, 0, JSON.stringify(fresh.output));
  t.deepEqual(fresh.output?.applied, ['002-b', '003-c']);
  t.deepEqual((await migrator.status()).pending, []);
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b1', 'b2', 'c']);
});

eachDialect('the lock holder dies while others wait: a waiter takes over within its timeout and finishes the upgrade', async (t, db) => {
  const signal = join(db.dir, 'holding');
  const names = ['001-a', '002-b', '003-c'];
  const folder = writeMigrations(join(db.dir, 'm'), Object.fromEntries(names.map((n) => [`${n}.js`, createTableMigration(n.slice(4))])));
  const env = { AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_FRESH_IN_ONE: '0' };
  // The holder applies 001-a, then hangs holding the lock.
  const holder = bootChild({ ...env, AM_HANG_AFTER: '001-a', AM_SIGNAL_FILE: signal }, t);
  t.is(await untilWritten(holder, signal), null, 'the holder applied 001-a and holds the lock');
  t.is(readFileSync(signal, 'utf8'), String(holder.process.pid));
  const waiters = [bootChild({ ...env, AM_LOCK_TIMEOUT_MS: '60000' }, t), bootChild({ ...env, AM_LOCK_TIMEOUT_MS: '60000' }, t)];
  // Both are blocked on the lock, not finished.
  const early = await Promise.race([Promise.all(waiters.map((w) => w.done)), new Promise((r) => setTimeout(() => r('waiting'), 2000))]);
  t.is(early, 'waiting');
  holder.process.kill('SIGKILL');
  const results = await Promise.all(waiters.map((w) => w.done));
  // Exit 0 is "within the lock timeout": a waiter past it fails with E_LOCK_TIMEOUT. (A wall-clock
  // bound measured here would add the processes' start and exit, minutes on a loaded machine.)
  for (const r of results) t.is(r.code, 0, JSON.stringify(r.output) + r.stderr);
  t.deepEqual(results.flatMap((r) => r.output?.applied ?? []).sort(), ['002-b', '003-c'], 'each remaining migration ran once');
  t.deepEqual(await historyNames(db.sequelize), names.map((n) => `${n}.js`));
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b', 'c']);
});

eachDialect('a waiter whose lock timeout passes fails with LockTimeoutError naming the database', async (t, db) => {
  const marker = join(db.dir, 'holding');
  const release = join(db.dir, 'release');
  // Holds the lock until the test says so, however slow the machine is.
  const folder = writeMigrations(join(db.dir, 'm'), {
    '001-hold.js': `module.exports = { async up() {
      const fs = require('node:fs');
      fs.writeFileSync(${JSON.stringify(marker)}, '');
      while (!fs.existsSync(${JSON.stringify(release)})) await new Promise((r) => setTimeout(r, 50));
    } };`,
  });
  const holder = bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder }, t);
  t.is(await untilWritten(holder, marker), null, 'the holder is inside 001-hold');
  const waiter = await bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_LOCK_TIMEOUT_MS: '500' }, t).done;
  t.is(waiter.code, 1);
  t.is(waiter.output?.error, 'E_LOCK_TIMEOUT');
  t.true(waiter.output!.message!.includes(db.dialect === 'sqlite' ? db.database : `"${db.database}"`), waiter.output!.message);
  if (db.dialect !== 'sqlite') t.regex(waiter.output!.message!, /held by/);
  writeFileSync(release, '');
  t.is((await holder.done).code, 0, 'the holder finished its migration');
});
