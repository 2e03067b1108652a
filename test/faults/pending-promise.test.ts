/**
 * A migration awaiting a promise that never settles: nothing else keeps Node's event loop alive,
 * and the process used to exit with status 0, the migration unapplied (issue 13). Now the run keeps
 * the process alive and warns, naming the migration, until someone stops it; a process that exits
 * anyway while the step is pending exits non-zero, naming it. Real processes throughout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { createMigrator } from '../../lib';
import { bootChild } from '../helpers/child';
import { CONFIG, binMissing, BIN, createProject, dbEnv } from '../cli/cli-project';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

const WARNING = /Migration "002-hang\.js" \(up\) is still running after \d+ s/g;

/** 002-hang creates a table, then awaits forever; with AM_EXIT the application exits meanwhile. */
const MIGRATIONS = {
  '001-a.js': createTableMigration('a'),
  '002-hang.js': createTableMigration(
    'b',
    `if (process.env.AM_EXIT) setTimeout(() => process.exit(0), 200).unref();
    await new Promise(() => {});`,
  ),
  '003-c.js': createTableMigration('c'),
};

interface Running {
  readonly process: ChildProcess;
  stderr(): string;
}

/** The `automigrate` binary in `cwd`, its stderr readable while it runs. */
function startCli(args: string[], cwd: string, env: Record<string, string>): Running & { done: Promise<unknown> } {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  delete childEnv.NODE_OPTIONS; // ava's --import=tsx must not leak into the binary
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return { process: child, stderr: () => stderr, done: new Promise((resolve) => child.on('close', resolve)) };
}

/** Waits (bounded, for loaded machines) until `count` warnings were logged or the child ended. */
async function warnings(child: Running, count: number): Promise<number> {
  const deadline = Date.now() + 90_000;
  const seen = () => (child.stderr().match(WARNING) ?? []).length;
  while (seen() < count && child.process.exitCode === null && child.process.signalCode === null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return seen();
}

/**
 * What a stopped run must leave: on MySQL 001-a applied, nothing of 002-hang recorded, 003-c never
 * run; with transactional DDL nothing at all (the fresh database ran in one transaction).
 */
async function assertStoppedInside002(t: ExecutionContext, db: TestDatabase, folder: string): Promise<void> {
  if (db.dialect === 'mysql') {
    t.deepEqual(await historyNames(db.sequelize), ['001-a.js']);
    // MySQL committed 002-hang's CREATE TABLE: its marker makes the next run name it.
    t.deepEqual(await tableNames(db.sequelize), ['SequelizeMeta_progress', 'a', 'b']);
    const stopped = await rejectsWith(t, createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade(), 'E_INCOMPLETE_MIGRATION');
    t.is(stopped.subject, '002-hang');
  } else {
    t.deepEqual(await tableNames(db.sequelize, ''), [], 'the pending transaction was rolled back, history table included');
  }
}

eachDialect('a migration awaiting a promise that never settles keeps the process alive, warning about it by name', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), MIGRATIONS);
  const child = bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_WARN_MS: '300' }, t);
  t.true((await warnings(child, 2)) >= 2, `expected repeated warnings naming 002-hang; stderr: ${child.stderr()}`);
  t.is(child.process.exitCode, null, 'the process is still alive: it did not exit 0 with the migration unapplied');
  child.process.kill('SIGKILL');
  t.is((await child.done).signal, 'SIGKILL');
  await assertStoppedInside002(t, db, folder);
});

eachDialect('a process that exits while a migration is pending exits non-zero, naming the migration', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), MIGRATIONS);
  const child = bootChild({ AM_CONNECTION: JSON.stringify(db.options), AM_FOLDER: folder, AM_WARN_MS: '300', AM_EXIT: '1' }, t);
  const result = await child.done;
  t.is(result.code, 1, `${JSON.stringify(result.output)}\n${child.stderr()}`);
  t.regex(child.stderr(), /error: The process is exiting \(code 0\) while migration "002-hang\.js" \(up\) is still running/);
  await assertStoppedInside002(t, db, folder);
});

/** A project whose config shortens the warning interval of the very module the binary runs. */
function cliProject(t: ExecutionContext): { dir: string; folder: string } {
  const project = createProject();
  t.teardown(() => project.remove());
  const watch = JSON.stringify(join(dirname(BIN), '..', 'runner', 'keep-alive.js'));
  project.write('automigrate.config.js', `Object.assign(require(${watch}).keepAliveTiming, { firstWarningMs: 300, warningEveryMs: 300 });\n${CONFIG}`);
  project.write('models.js', 'module.exports = () => {};');
  return { dir: project.dir, folder: writeMigrations(join(project.dir, 'migrations'), MIGRATIONS) };
}

eachDialect('cli: `automigrate upgrade` with a migration that never settles stays alive and warns, naming it', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const { dir, folder } = cliProject(t);
  const child = startCli(['upgrade'], dir, dbEnv(db.options));
  t.teardown(() => child.process.kill('SIGKILL'));
  t.true((await warnings(child, 2)) >= 2, `expected repeated warnings naming 002-hang; stderr: ${child.stderr()}`);
  t.regex(child.stderr(), /warning: Migration "002-hang\.js" \(up\) is still running/);
  t.is(child.process.exitCode, null, 'automigrate upgrade did not exit 0 with the migration unapplied');
  child.process.kill('SIGKILL');
  await child.done;
  await assertStoppedInside002(t, db, folder);
});

eachDialect('cli: `automigrate upgrade` exiting while a migration is pending exits 1, naming it', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const { dir, folder } = cliProject(t);
  const child = startCli(['upgrade'], dir, { ...dbEnv(db.options), AM_EXIT: '1' });
  t.teardown(() => child.process.kill('SIGKILL'));
  t.is(await child.done, 1, child.stderr());
  t.regex(child.stderr(), /error: The process is exiting \(code 0\) while migration "002-hang\.js" \(up\) is still running/);
  await assertStoppedInside002(t, db, folder);
});
