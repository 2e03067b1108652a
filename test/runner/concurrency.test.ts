import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMigrator } from '../../lib';
import { bootChild } from '../helpers/child';
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

const PROCESSES = 6;

/** A migration slow enough (300 ms) that concurrent boots overlap inside it. */
const slowTable = (table: string) =>
  createTableMigration(table, `await new Promise((resolve) => setTimeout(resolve, 300));`);

eachDialect(`${PROCESSES} processes booting at once apply every migration exactly once, and all succeed`, async (t, db) => {
  const names = ['001-a', '002-b', '003-c', '004-d'];
  const folder = writeMigrations(join(db.dir, 'm'), Object.fromEntries(names.map((n) => [`${n}.js`, slowTable(n.slice(4))])));
  const startAt = String(Date.now() + 4000);
  const children = Array.from({ length: PROCESSES }, () =>
    bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_START_AT: startAt }),
  );
  const results = await Promise.all(children.map((c) => c.done));
  for (const r of results) t.is(r.code, 0, `a process failed: ${JSON.stringify(r.output)} ${r.stderr}`);
  const applied = results.flatMap((r) => r.output?.applied ?? []);
  t.deepEqual([...applied].sort(), names, 'each migration ran in exactly one process');
  t.deepEqual(await historyNames(db.sequelize), names.map((n) => `${n}.js`));
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b', 'c', 'd']);

  // The same again on an up-to-date database: every process succeeds and applies nothing.
  const again = await Promise.all(
    Array.from({ length: PROCESSES }, () => bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder }).done),
  );
  for (const r of again) t.deepEqual(r.output, { applied: [] });
});

eachDialect('a process killed in the middle of a migration frees the lock; a fresh process completes the upgrade', async (t, db) => {
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
  const doomed = bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_HANG: '1' });
  const deadline = Date.now() + 120_000;
  while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.true(existsSync(marker), 'the doomed process reached the middle of 002-b');
  doomed.process.kill('SIGKILL');
  t.is((await doomed.done).signal, 'SIGKILL');

  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  if (db.dialect !== 'mysql') {
    t.deepEqual(await historyNames(db.sequelize), ['001-a.js']);
    t.deepEqual(await tableNames(db.sequelize), ['a'], 'nothing of the killed migration remains');
  }
  // A short lock timeout: the killed process's lock must already be gone.
  const fresh = await bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_LOCK_TIMEOUT_MS: '10000' }).done;
  t.is(fresh.code, 0, JSON.stringify(fresh.output));
  t.deepEqual(fresh.output?.applied, ['002-b', '003-c']);
  t.deepEqual((await migrator.status()).pending, []);
  t.deepEqual(await tableNames(db.sequelize), ['a', 'b1', 'b2', 'c']);
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
  const holder = bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder });
  const deadline = Date.now() + 120_000;
  while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const waiter = await bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_LOCK_TIMEOUT_MS: '500' }).done;
  t.is(waiter.code, 1);
  t.is(waiter.output?.error, 'E_LOCK_TIMEOUT');
  t.true(waiter.output!.message!.includes(db.dialect === 'sqlite' ? db.database : `"${db.database}"`), waiter.output!.message);
  if (db.dialect !== 'sqlite') t.regex(waiter.output!.message!, /held by/);
  writeFileSync(release, '');
  t.is((await holder.done).code, 0, 'the holder finished its migration');
});
