import type { Sequelize } from 'sequelize';
import { LockError, LockTimeoutError, describeError, lostLock } from '../../errors';
import type { LockHolder } from '../../../types/options';
import type { HeldLock, LockRequest } from '../dialect';
import { lockKey32 } from '../lock-key';
import { postgresSchemas } from './postgres-schema';
import { pollForLock, processLabel, unsupportedStrategy, withDeadline } from '../lock-poll';
import { connectionManagerOf } from '../../sequelize-internals';

/** Our class id for two-key advisory locks: 'amig'. */
const LOCK_CLASS = 0x616d6967;

interface PgClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

interface Manager {
  getConnection(options?: object): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<void> | void;
  destroyConnection(connection: PgClient): Promise<void>;
}

/** What status() reports for this lock. */
export const POSTGRES_LOCK_DESCRIPTION = 'postgres transaction-scoped advisory lock (works direct and through transaction and session poolers)';

/** PostgreSQL's advisory lock holds everywhere: there is no lease row to choose. */
export function leaseUnsupported(): Error {
  return unsupportedStrategy('postgres', 'lease', `use 'auto' (or 'advisory'), the ${POSTGRES_LOCK_DESCRIPTION}`);
}

/**
 * A transaction-scoped advisory lock (`pg_try_advisory_xact_lock`) held by a transaction that
 * stays open for the whole run, on one connection. It is the one PostgreSQL lock that holds behind
 * a transaction-pooling proxy (PgBouncer or Supavisor in `pool_mode=transaction`): the open
 * transaction pins one server connection, and the lock ends with it, so neither a COMMIT nor a
 * killed process can leave it behind on an idle pooled backend (a session lock can: issue #15).
 * Used on direct connections too: one code path, and it costs the same.
 *
 * Waiters hold no server connection while they wait: a blocking `pg_advisory_xact_lock` would pin
 * one, and with a session pool of 2 the holder's migrations then could not get theirs. Each try is
 * a short transaction (BEGIN, try-lock, ROLLBACK) and its client connection is destroyed after a
 * failed try (a session pooler binds a server connection to a client until it disconnects).
 * Only `SET LOCAL` is used: a session `SET` leaks to other clients behind a transaction pooler.
 */
export async function acquirePostgresLock(sequelize: Sequelize, request: LockRequest): Promise<HeldLock> {
  if (request.strategy === 'lease') throw leaseUnsupported();
  const manager = connectionManagerOf<Manager>(sequelize);
  // A schema's migrator locks its schema only: tenants in one database migrate concurrently.
  const key = lockKey32(request.schema ? postgresSchemas.lockName(request.schema, request.key) : request.key);
  const database = String(sequelize.config.database);
  let failed: unknown;
  const connection = await pollForLock(request.timeoutMs, async (remainingMs) => {
    let client: PgClient | undefined;
    let disposed = false;
    const dispose = async () => {
      if (client && !disposed) {
        disposed = true;
        await manager.destroyConnection(client).catch(() => undefined);
      }
    };
    const work = (async () => {
      client = await manager.getConnection({ type: 'write' });
      return tryLock(client, key);
    })();
    try {
      // Behind a pooler with no server connection free, the BEGIN waits in its queue: bounded by
      // what is left of the timeout (at least 5 s, so one slow answer is not a timeout) and by
      // QUEUED_TRY_MS, below PgBouncer's query_wait_timeout (120 s), after which it would end
      // the try with an error; the next try queues again.
      const bound = Math.max(Math.min(remainingMs, QUEUED_TRY_MS), 5000);
      if (await withDeadline(work, bound, () => new QueuedTooLong())) return client!;
      await client!.query('ROLLBACK');
    } catch (error) {
      // Destroying the connection ends a try still queued; a try that failed otherwise fails the wait.
      void work.then(dispose, dispose);
      if (!(error instanceof QueuedTooLong) && !queueTimedOut(error)) failed = error;
    }
    await dispose();
    return failed === undefined ? null : Promise.reject(failed);
  }).catch((error: unknown) => {
    throw new LockError(`Could not take the migration lock on postgres database "${database}": ${describeError(error)}`, database, error);
  });
  if (!connection) throw await timeout(sequelize, database, key, request.timeoutMs);
  return {
    connection,
    async release() {
      try {
        await connection.query('COMMIT');
        await manager.releaseConnection(connection);
      } catch (error) {
        await manager.destroyConnection(connection).catch(() => undefined);
        throw error;
      }
    },
    async verify() {
      let held = false;
      let why = 'the lock is no longer listed for its transaction';
      try {
        // The lock's own transaction: the one backend that holds it, pooler or not. Integers
        // inlined, no parameters: pg then uses the simple protocol. A parameterised query leaves
        // its unnamed portal open until the next one, and that portal's snapshot holds the
        // backend's xmin for the rest of the run, so CREATE INDEX CONCURRENTLY in a migration
        // waited forever for the lock's own transaction.
        const { rows } = await connection.query(
          `SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
              AND classid = ${Number(LOCK_CLASS)} AND objid = ${key >>> 0} AND objsubid = 2 AND granted`,
        );
        held = rows[0]?.held === 1;
      } catch (error) {
        why = `its connection failed: ${describeError(error)}`;
      }
      if (!held) throw lostLock('postgres', database, why);
    },
  };
}

/** A try that waited longer than the lock timeout (or QUEUED_TRY_MS) for a server connection. */
class QueuedTooLong extends Error {}

/** The longest one try waits in a pooler's queue for a server connection. */
const QUEUED_TRY_MS = 30_000;

/**
 * PgBouncer ended a try that waited in its queue longer than its `query_wait_timeout`
 * (`FATAL: query_wait_timeout`, SQLSTATE 08P01): the pool is busy, which is what a waiter waits
 * out, not a failure. Sequelize wraps the driver's error (`parent`, `original`).
 */
function queueTimedOut(error: unknown): boolean {
  for (let e = error as { message?: unknown; parent?: unknown; original?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (/query_wait_timeout/.test(String(e.message))) return true;
    e = (e.parent ?? e.original) as typeof e;
  }
  return false;
}

/**
 * One try in one round trip. `idle_in_transaction_session_timeout` is lifted for the lock's
 * transaction only (hosted PostgreSQL often sets it, and the lock transaction idles while the
 * migrations run on other connections); `application_name` names the holder in pg_stat_activity.
 */
async function tryLock(client: PgClient, key: number): Promise<boolean> {
  const label = `automigrate ${processLabel()}`.slice(0, 63).replace(/'/g, '');
  const results = (await client.query(
    `BEGIN; SET LOCAL idle_in_transaction_session_timeout = 0; SET LOCAL application_name = '${label}'; ` +
      `SELECT pg_try_advisory_xact_lock(${LOCK_CLASS}, ${key}) AS taken`,
  )) as unknown as { rows: Record<string, unknown>[] }[];
  const last = Array.isArray(results) ? results[results.length - 1] : (results as { rows: Record<string, unknown>[] });
  return last.rows[0]?.taken === true;
}

async function timeout(sequelize: Sequelize, database: string, key: number, timeoutMs: number): Promise<LockTimeoutError> {
  const found = await holderOf(sequelize, key).catch(() => null);
  const holder = found?.backend ? `${found.backend}${found.process ? ` (automigrate ${found.process})` : ''}` : undefined;
  return new LockTimeoutError(
    `Timed out after ${timeoutMs} ms waiting for the migration lock on postgres database "${database}"` +
      `${holder ? `, held by ${holder}` : ''}. Another process is migrating; raise \`lock.timeoutMs\` or wait for it.`,
    database,
    holder,
  );
}

/** Who holds the lock `request` names: for a waiting run's message (Dialect.lockHolder). */
export function postgresLockHolder(sequelize: Sequelize, request: LockRequest): Promise<Partial<LockHolder> | null> {
  return holderOf(sequelize, lockKey32(request.key));
}

/**
 * The backend holding the advisory lock (pg_locks), its client address, the `host pid N` its
 * application_name carries (tryLock sets it) and when its transaction began: when it took the lock.
 * Bounded: behind a busy session pooler this query waits for a server connection too.
 */
async function holderOf(sequelize: Sequelize, key: number): Promise<Partial<LockHolder> | null> {
  const query = sequelize.query(
    `SELECT a.pid, a.application_name, host(a.client_addr) AS addr, a.xact_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    { bind: [LOCK_CLASS, key >>> 0], type: 'SELECT' as never, raw: true, transaction: null as never, logging: false },
  );
  const rows = (await withDeadline(query, 5000, () => new QueuedTooLong())) as unknown as Record<string, unknown>[];
  const row = rows[0];
  if (!row) return null;
  const label = /^automigrate (.+)$/.exec(String(row.application_name ?? ''));
  return {
    backend: `backend pid ${row.pid}${row.addr ? ` from ${row.addr}` : ''}`,
    process: label ? label[1]! : null,
    since: row.xact_start ? new Date(row.xact_start as string) : null,
  };
}
