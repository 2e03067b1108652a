/**
 * The lock on a 3-node MariaDB Galera cluster (issue #15), processes connected to different
 * nodes. GET_LOCK is node-local there; the run detects wsrep_on and takes the lease row instead.
 * The cluster is started once for this file (test/helpers/galera.ts). AM_TRIALS sets the trials
 * per setup (default 2).
 */
import test from 'ava';
import { appendFileSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import { hostname } from 'node:os';
import { createMigrator, type MigrationError } from '../../lib';
import { rejectsWith } from '../helpers/errors';
import { bootChild, untilWritten } from '../helpers/child';
import { NAMES, assertEachOnce, bootAll, bodyRuns, countedMigration, writeCountedMigrations } from '../helpers/crowd';
import { startGalera, withClusterDatabase, type GaleraCluster } from '../helpers/galera';
import { holdAndWait } from '../helpers/lock-wait';
import { historyNames, tableNames } from '../helpers/migrations';
import { unavailable } from '../helpers/servers';

const PROCESSES = 8;
const TRIALS = Number(process.env.AM_TRIALS ?? 2);
const only = process.env.DIALECTS;
const register = !only || only.split(',').includes('mysql') ? test.serial : () => undefined;

let started: Promise<GaleraCluster> | undefined;
function cluster(): Promise<GaleraCluster> {
  started ??= startGalera();
  started.catch(() => undefined);
  return started;
}
test.after.always(async () => {
  if (started) await (await started.catch(() => null))?.stop();
});

/** In a scratch folder, with a Sequelize instance on node `node` of `database`. */
async function onCluster(c: GaleraCluster, fn: (database: string, dir: string, node: (i: number) => Sequelize) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'am-galera-test-'));
  const opened: Sequelize[] = [];
  try {
    await withClusterDatabase(c, (database) =>
      fn(database, dir, (i) => {
        const s = new Sequelize(c.options(i, database));
        opened.push(s);
        return s;
      }),
    );
  } finally {
    await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The lease row, read causally on node `s`. */
async function lease(s: Sequelize): Promise<{ owner: string | null }[]> {
  const [rows] = (await s.query('SET STATEMENT wsrep_sync_wait = 1 FOR SELECT owner FROM `SequelizeMeta_lock`')) as [{ owner: string | null }[], unknown];
  return rows;
}

for (const transaction of ['each', 'none'] as const) {
  register(`Galera, 3 nodes, transaction '${transaction}': ${PROCESSES} processes spread over the nodes, each body once, all exit 0, lease released [mysql]`, async (t) => {
    const c = await cluster().catch((error: Error) => error.message);
    if (typeof c === 'string') return unavailable(t, c);
    for (let trial = 1; trial <= TRIALS; trial++) {
      await onCluster(c, async (database, dir, node) => {
        const label = `trial ${trial}`;
        const { folder, ranFile } = writeCountedMigrations(dir);
        const connections = Array.from({ length: PROCESSES }, (_, i) => c.options(i % 3, database));
        const results = await bootAll(t, connections, { AM_FOLDER: folder, AM_TRANSACTION: transaction });
        assertEachOnce(t, results, ranFile, NAMES, label);
        for (let i = 0; i < 3; i++) {
          t.deepEqual(await historyNames(node(i)), NAMES.map((n) => `${n}.js`), `${label}: node ${i + 1}'s history`);
        }
        t.deepEqual(await tableNames(node(1)), ['SequelizeMeta_lock', 'a', 'b', 'c', 'd'], label);
        t.deepEqual(await lease(node(2)), [{ owner: null }], `${label}: the lease was released`);
        // The next deploy, on another node, with a short lock timeout, takes the lock at once.
        appendFileSync(join(folder, '005-e.js'), countedMigration(ranFile, '005-e', 'e'));
        const next = await bootChild({ AM_CONNECTION: JSON.stringify(c.options(2, database)), AM_FOLDER: folder, AM_LOCK_TIMEOUT_MS: '2000' }, t).done;
        t.deepEqual(next.output, { applied: ['005-e'] }, `${label}: ${next.stderr.slice(-1000)}`);
        t.is(bodyRuns(ranFile)['005-e'], 1);
      });
    }
  });
}

register('Galera: the lease holder is SIGKILLed mid-run, waiters on the other nodes complete within their timeout [mysql]', async (t) => {
  const c = await cluster().catch((error: Error) => error.message);
  if (typeof c === 'string') return unavailable(t, c);
  await onCluster(c, async (database, dir, node) => {
    const signal = join(dir, 'holding');
    const { folder, ranFile } = writeCountedMigrations(dir, NAMES.slice(0, 3));
    const holder = bootChild({ AM_CONNECTION: JSON.stringify(c.options(0, database)), AM_FOLDER: folder, AM_HANG_AFTER: '001-a', AM_SIGNAL_FILE: signal }, t);
    t.is(await untilWritten(holder, signal), null, 'the holder applied 001-a and holds the lease');
    t.is(readFileSync(signal, 'utf8'), String(holder.process.pid));
    const waiters = [1, 2].map((i) => bootChild({ AM_CONNECTION: JSON.stringify(c.options(i, database)), AM_FOLDER: folder, AM_LOCK_TIMEOUT_MS: '60000' }, t));
    const early = await Promise.race([Promise.all(waiters.map((w) => w.done)), new Promise((r) => setTimeout(() => r('waiting'), 2000))]);
    t.is(early, 'waiting', 'the waiters wait for the lease');
    holder.process.kill('SIGKILL');
    const results = await Promise.all(waiters.map((w) => w.done));
    for (const r of results) t.is(r.code, 0, JSON.stringify(r.output) + r.stderr.slice(-2000));
    t.deepEqual(results.flatMap((r) => r.output?.applied ?? []).sort(), ['002-b', '003-c'], 'each remaining migration ran once');
    t.deepEqual(bodyRuns(ranFile), { '001-a': 1, '002-b': 1, '003-c': 1 });
    t.deepEqual(await historyNames(node(0)), ['001-a.js', '002-b.js', '003-c.js']);
    t.deepEqual(await lease(node(0)), [{ owner: null }]);
  });
});

register("Galera: status() names the lease and why; lock.strategy 'advisory' (GET_LOCK) is refused naming wsrep_on [mysql]", async (t) => {
  const c = await cluster().catch((error: Error) => error.message);
  if (typeof c === 'string') return unavailable(t, c);
  await onCluster(c, async (_database, dir, node) => {
    const { folder, ranFile } = writeCountedMigrations(dir, NAMES.slice(0, 1));
    const auto = createMigrator({ sequelize: node(1), migrations: folder, logger: false });
    t.regex(String((await auto.status()).lock), /^galera lease row \(wsrep_on=1/);
    const advisory = createMigrator({ sequelize: node(2), migrations: folder, logger: false, lock: { strategy: 'advisory' } });
    const error = await rejectsWith<MigrationError>(t, advisory.upgrade(), 'E_UNSUPPORTED');
    t.is(error.subject, 'wsrep_on');
    t.deepEqual(bodyRuns(ranFile), {}, 'nothing ran');
    t.deepEqual(await historyNames(node(0)).catch(() => []), []);
  });
});

register('Galera: a run waiting for the lease is told its holder (process, run id, since when, the lease row) [mysql]', async (t) => {
  const c = await cluster().catch((error: Error) => error.message);
  if (typeof c === 'string') return unavailable(t, c);
  await onCluster(c, async (_database, _dir, node) => {
    const { held, waited, events, ran } = await holdAndWait(node(0), node(1));
    t.deepEqual([held.map((s) => s.name), waited], [['001-slow'], []]);
    t.is(ran, 1);
    const seen = events[0]!;
    t.is(seen.state, 'waiting', JSON.stringify(events));
    t.is(seen.holder.process, `${hostname()} pid ${process.pid}`);
    t.regex(seen.holder.runId ?? '', /^[0-9a-f]{16}$/);
    t.true(seen.holder.since instanceof Date);
    t.regex(seen.holder.backend ?? '', /^lease row `SequelizeMeta_lock`/);
    t.is(events[events.length - 1]!.state, 'acquired');
  });
});

register('Galera: squash on one node, then a fresh database upgraded on another runs the folded baseline alone; every node sees its schema and history [mysql]', async (t) => {
  const c = await cluster().catch((error: Error) => error.message);
  if (typeof c === 'string') return unavailable(t, c);
  await onCluster(c, async (_database, dir, node) => {
    const { folder } = writeCountedMigrations(dir);
    const squashed = await createMigrator({ sequelize: node(0), migrations: folder, logger: false }).squash();
    t.deepEqual(squashed.replaces, NAMES.map((n) => `${n}.js`));
    t.deepEqual(await tableNames(node(0)), [], 'the squash ran on a scratch database');
    const applied = await createMigrator({ sequelize: node(1), migrations: folder, logger: false }).upgrade();
    t.deepEqual(applied.map((s) => s.name), ['004-d_squashed']);
    t.deepEqual(await historyNames(node(2)), [...NAMES.map((n) => `${n}.js`), '004-d_squashed.js'].sort());
    t.deepEqual(await tableNames(node(2)), ['SequelizeMeta_lock', 'a', 'b', 'c', 'd']);
  });
});
