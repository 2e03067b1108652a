/**
 * A second `upgrade` that waits for the lock says who holds it (issue 18), through two real
 * processes. No clock in the assertions: the first run's migration blocks until the second run's
 * `onLockWait` hook (the config's own, composed with the command line's) has been called with two
 * seconds waited, so the second run has reported at least two ticks before the lock frees.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { binMissing, createProject, dbEnv, type Project, type RunResult } from './cli-project';
import { runInTerminal } from './pty';

/** The config's own hook writes `waited` once this run has waited two seconds. */
const CONFIG = `
const { appendFileSync, writeFileSync } = require('node:fs');
const { Sequelize } = require('sequelize');
module.exports = () => ({
  sequelize: new Sequelize(JSON.parse(process.env.AM_DB)),
  migrations: 'migrations',
  hooks: {
    onLockWait(wait) {
      appendFileSync(__dirname + '/events', wait.state + ' ' + (wait.holder.process || '') + '\\n');
      if (wait.waitedMs >= 2000) writeFileSync(__dirname + '/waited', '');
    },
  },
});
`;

/** Records its pid, then holds the lock until the waiting run's hook has fired; counts its runs. */
const SLOW = `
const { appendFileSync, existsSync, writeFileSync } = require('node:fs');
module.exports = {
  async up(queryInterface) {
    appendFileSync(__dirname + '/../ran', 'up\\n');
    writeFileSync(__dirname + '/../holder-pid', String(process.pid));
    const deadline = Date.now() + 60000;
    while (!existsSync(__dirname + '/../waited')) {
      if (Date.now() > deadline) throw new Error('the second run never reported its wait');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await queryInterface.createTable('slow', { id: { type: 'INTEGER', primaryKey: true } });
  },
  async down(queryInterface) { await queryInterface.dropTable('slow'); },
};
`;

const BACKEND: Record<string, RegExp> = {
  sqlite: /, lock file \S+-automigrate-lock/,
  postgres: /, backend pid \d+/,
  mysql: /, connection \d+ \(/,
};

function project(t: ExecutionContext): Project {
  const p = createProject();
  t.teardown(() => p.remove());
  p.write('automigrate.config.js', CONFIG);
  p.write('migrations/20261201000000-slow.js', SLOW);
  return p;
}

/** Starts the holder and resolves once its migration runs (it holds the lock then). */
async function startHolder(p: Project, env: Record<string, string>): Promise<{ done: Promise<RunResult>; pid: string }> {
  const done = p.run(['upgrade'], env);
  const file = join(p.dir, 'holder-pid');
  // Created, then written: wait for the pid itself, not only the file.
  const pid = () => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  for (let i = 0; i < 600 && pid() === ''; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return { done, pid: pid() || 'never started' };
}

function assertRanOnce(t: ExecutionContext, p: Project, holder: RunResult): void {
  t.is(holder.code, 0, holder.stderr);
  t.is(readFileSync(join(p.dir, 'ran'), 'utf8'), 'up\n', 'the migration ran once, in the holder');
}

eachDialect('cli upgrade waiting for the lock names the holder and the wait, in plain lines', async (t, db: TestDatabase) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const p = project(t);
  const env = dbEnv(db.options);
  const holder = await startHolder(p, env);
  const waiter = await p.run(['upgrade'], env);
  assertRanOnce(t, p, await holder.done);
  t.is(waiter.code, 0, waiter.stderr);
  const out = waiter.stdout.split('\n');
  const waiting = out.find((line) => line.startsWith('waiting for the migration lock held by '));
  t.truthy(waiting, waiter.stdout);
  t.true(waiting!.startsWith(`waiting for the migration lock held by ${hostname()} pid ${holder.pid}`), waiting);
  t.regex(waiting!, BACKEND[db.dialect]!);
  t.regex(waiting!, / since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \.\.\.$/);
  t.true(out.some((line) => /^got the migration lock after \d/.test(line)), waiter.stdout);
  t.is(out.filter((line) => line.startsWith('waiting for')).length, 1, 'said once, not once a second');
  t.regex(waiter.stdout, /Already at head: nothing to apply/);
  t.false(waiter.stdout.includes('\r'), 'no terminal control without a terminal');
  // The library's hook saw the holder too, and 'acquired' once at the end.
  const events = readFileSync(join(p.dir, 'events'), 'utf8').trim().split('\n');
  t.true(events.length >= 3, events.join('|'));
  t.is(events[events.length - 1], `acquired ${hostname()} pid ${holder.pid}`);
  t.is(events.filter((e) => e.startsWith('acquired')).length, 1);
});

eachDialect('cli upgrade waiting for the lock on a terminal keeps one live line with the elapsed time', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const p = project(t);
  const env = dbEnv(db.options);
  const holder = await startHolder(p, env);
  const waiter = await runInTerminal(p, ['upgrade'], env, []);
  assertRanOnce(t, p, await holder.done);
  t.is(waiter.code, 0, waiter.output);
  // The line is rewritten in place (carriage return, erase line) as the seconds pass.
  const frames = waiter.output.split('\r\u001b[2K');
  t.true(frames.length >= 3, JSON.stringify(waiter.output));
  t.true(frames[0]!.includes(`waiting for the migration lock held by ${hostname()} pid ${holder.pid}`), JSON.stringify(frames[0]));
  t.regex(frames[0]!, /\(1 s\)$/);
  t.true(frames.some((frame) => /\(2 s\)$/.test(frame)), JSON.stringify(waiter.output));
  const last = frames[frames.length - 1]!;
  t.regex(last, /^✓ got the migration lock after \d[\d.]* s\r\n/);
  t.regex(last, /Already at head: nothing to apply/);
  t.false(/\(\d+ s\)\r\n/.test(waiter.output), 'no waiting line left behind: each is replaced');
});
