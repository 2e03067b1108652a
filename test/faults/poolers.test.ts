/**
 * The lock through PgBouncer (issue #15): transaction pooling (Neon's and Supabase's pooled
 * connection strings) and session pooling with two server connections for the whole database.
 * PgBouncer is started by the tests (test/helpers/pgbouncer.ts). AM_TRIALS sets the trials per
 * setup (default 2; the README's figures were measured with more).
 */
import test from 'ava';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sequelize } from 'sequelize';
import { bootChild, untilWritten } from '../helpers/child';
import { NAMES, assertEachOnce, bootAll, bodyRuns, countedMigration, writeCountedMigrations } from '../helpers/crowd';
import { unreachable, withDatabase } from '../helpers/databases';
import { historyNames, tableNames } from '../helpers/migrations';
import { bouncedOptions, startPgBouncer, type Bouncer, type PoolMode } from '../helpers/pgbouncer';
import { unavailable } from '../helpers/servers';

const PROCESSES = 8;
const TRIALS = Number(process.env.AM_TRIALS ?? 2);
const only = process.env.DIALECTS;
const enabled = !only || only.split(',').includes('postgres');
const register = enabled ? test : () => undefined;

const bouncers = new Map<PoolMode, Promise<Bouncer>>();
function bouncer(mode: PoolMode): Promise<Bouncer> {
  let started = bouncers.get(mode);
  if (!started) {
    started = startPgBouncer(mode);
    started.catch(() => undefined);
    bouncers.set(mode, started);
  }
  return started;
}
test.after.always(async () => {
  for (const started of bouncers.values()) await (await started.catch(() => null))?.stop();
});

/** Advisory locks held on the database now, seen on a direct connection. */
async function advisoryLocks(sequelize: Sequelize): Promise<number> {
  const [rows] = (await sequelize.query(
    `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  )) as [{ n: number }[], unknown];
  return rows[0].n;
}

/** Null when PostgreSQL and PgBouncer in `mode` are there, else why not. */
async function setUp(mode: PoolMode): Promise<Bouncer | string> {
  const why = await unreachable('postgres');
  if (why) return why;
  return bouncer(mode).catch((error: Error) => error.message);
}

for (const mode of ['transaction', 'session'] as const) {
  for (const transaction of ['each', 'none'] as const) {
    const title = `PgBouncer ${mode} mode, transaction '${transaction}': ${PROCESSES} processes booting at once, each body once, all exit 0, no lock left [postgres]`;
    register(title, async (t) => {
      const b = await setUp(mode);
      if (typeof b === 'string') return unavailable(t, b);
      for (let trial = 1; trial <= TRIALS; trial++) {
        await withDatabase('postgres', async (db) => {
          const label = `trial ${trial}`;
          const { folder, ranFile } = writeCountedMigrations(db.dir);
          const through = bouncedOptions(b.port, db.database);
          const results = await bootAll(t, Array.from({ length: PROCESSES }, () => through), { AM_FOLDER: folder, AM_TRANSACTION: transaction });
          assertEachOnce(t, results, ranFile, NAMES, label);
          t.deepEqual(await historyNames(db.sequelize), NAMES.map((n) => `${n}.js`), label);
          t.deepEqual(await tableNames(db.sequelize), ['a', 'b', 'c', 'd'], label);
          t.is(await advisoryLocks(db.sequelize), 0, `${label}: no advisory lock is left held`);
          // A next deploy with a short lock timeout gets the lock at once.
          appendFileSync(join(folder, '005-e.js'), countedMigration(ranFile, '005-e', 'e'));
          const next = await bootChild({ AM_CONNECTION: JSON.stringify(through), AM_FOLDER: folder, AM_LOCK_TIMEOUT_MS: '2000', AM_TRANSACTION: transaction }, t).done;
          t.deepEqual(next.output, { applied: ['005-e'] }, `${label}: ${next.stderr}`);
          t.is(bodyRuns(ranFile)['005-e'], 1);
        });
      }
    });
  }

  register(`PgBouncer ${mode} mode: the holder is SIGKILLed mid-run, a waiter completes within its timeout [postgres]`, async (t) => {
    const b = await setUp(mode);
    if (typeof b === 'string') return unavailable(t, b);
    await withDatabase('postgres', async (db) => {
      const signal = join(db.dir, 'holding');
      const { folder, ranFile } = writeCountedMigrations(db.dir, NAMES.slice(0, 3));
      // A commit per migration (not one transaction for the fresh database): 001-a stays applied when the holder dies.
      const env = { AM_CONNECTION: JSON.stringify(bouncedOptions(b.port, db.database)), AM_FOLDER: folder, AM_FRESH_IN_ONE: '0' };
      const holder = bootChild({ ...env, AM_HANG_AFTER: '001-a', AM_SIGNAL_FILE: signal }, t);
      t.is(await untilWritten(holder, signal), null, 'the holder applied 001-a and holds the lock');
      t.is(readFileSync(signal, 'utf8'), String(holder.process.pid));
      const waiters = [1, 2].map(() => bootChild({ ...env, AM_LOCK_TIMEOUT_MS: '60000', AM_LOG: '1' }, t));
      const early = await Promise.race([Promise.all(waiters.map((w) => w.done)), new Promise((r) => setTimeout(() => r('waiting'), 2000))]);
      t.is(early, 'waiting', 'the waiters wait for the holder');
      holder.process.kill('SIGKILL');
      const killed = new Date().toISOString();
      const results = await Promise.all(waiters.map((w) => w.done));
      for (const r of results) t.is(r.code, 0, `holder killed at ${killed}: ${JSON.stringify(r.output)} ${r.stderr.slice(-2000)}`);
      t.deepEqual(results.flatMap((r) => r.output?.applied ?? []).sort(), ['002-b', '003-c'], 'each remaining migration ran once');
      t.deepEqual(bodyRuns(ranFile), { '001-a': 1, '002-b': 1, '003-c': 1 });
      t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js', '003-c.js']);
      t.is(await advisoryLocks(db.sequelize), 0);
    });
  });
}
