import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { upgradeAll } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { ALL, fleetMigrations, makeFleet } from './fleet';

/** 002, in the child only: the third tenant to reach it creates `posts`, says so, and hangs until killed. */
const HANGING = `module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.query('CREATE TABLE posts (id INTEGER PRIMARY KEY)');
    const fs = require('node:fs');
    const count = process.env.AM_COUNT_FILE;
    if (!count) return;
    fs.appendFileSync(count, 'x');
    if (fs.readFileSync(count, 'utf8').length === 3) {
      fs.writeFileSync(process.env.AM_SIGNAL, 'inside');
      await new Promise((resolve) => setTimeout(resolve, 600000));
    }
  },
  async down(queryInterface) { await queryInterface.dropTable('posts'); },
};`;

eachDialect('a fleet killed (SIGKILL) in the middle resumes: a second run finishes every tenant from its own history', async (t, db) => {
  const fleet = await makeFleet(t, db, 5);
  const migrations = fleetMigrations(db.dir, '', { '002-posts.js': HANGING });
  const signal = join(db.dir, 'inside');
  const doneFile = join(db.dir, 'done.log');
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'fixtures', 'fleet-child.ts')], {
    env: {
      ...process.env,
      AM_FLEET: JSON.stringify(fleet.specs),
      AM_MIGRATIONS: migrations,
      AM_DONE_FILE: doneFile,
      AM_COUNT_FILE: join(db.dir, 'count'),
      AM_SIGNAL: signal,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('close', resolve));
  t.teardown(() => void child.kill('SIGKILL'));
  t.true(await waitForFile(signal, child), `the child reached the third tenant's 002: ${stderr.slice(-2000)}`);
  child.kill('SIGKILL');
  await exited;
  t.deepEqual(readFileSync(doneFile, 'utf8').trim().split('\n'), ['t0 applied', 't1 applied'], 'two tenants finished before the kill');
  t.deepEqual(await fleet.history(3), [], 't3 was never started');

  const report = await upgradeAll({ tenants: fleet.tenants, migrations, concurrency: 2, logger: false });
  const statuses = report.tenants.map((r) => `${r.id} ${r.status}`);
  if (db.dialect === 'mysql') {
    // DDL commits as it runs: the killed 002 may be half done, and says so instead of running again.
    t.deepEqual(statuses, ['t0 noop', 't1 noop', 't2 failed', 't3 applied', 't4 applied']);
    t.is((report.tenants[2].error as { code?: string }).code, 'E_INCOMPLETE_MIGRATION');
  } else {
    t.deepEqual(statuses, ['t0 noop', 't1 noop', 't2 applied', 't3 applied', 't4 applied'], 'the killed transaction was rolled back: t2 runs again');
    // A fresh SQLite tenant is upgraded in one transaction (freshInOneTransaction), so the kill in
    // its 002 rolled back its 001 too and it starts over; schema tenants commit each migration.
    const rerun = db.dialect === 'sqlite' ? ['001-users', '002-posts', '003-tags'] : ['002-posts', '003-tags'];
    t.deepEqual(report.tenants[2].steps.map((s) => s.name), rerun);
    t.deepEqual(await fleet.history(2), ALL);
  }
  for (const i of [0, 1, 3, 4]) t.deepEqual(await fleet.history(i), ALL, `t${i} at head`);
});

/** True once `file` exists (the child writes it when it reaches the point to kill it at); false when the child ended or 240 s passed first. */
async function waitForFile(file: string, child: { exitCode: number | null; signalCode: string | null }, ms = 240_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!existsSync(file) && child.exitCode === null && child.signalCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return existsSync(file);
}
