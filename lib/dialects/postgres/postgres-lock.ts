import type { Sequelize } from 'sequelize';
import { LockError, LockTimeoutError, describeError, lostLock } from '../../errors';
import type { HeldLock, LockRequest } from '../dialect';
import { lockKey32 } from '../lock-key';

/** Our class id for two-key advisory locks: 'amig'. */
const LOCK_CLASS = 0x616d6967;

interface PgClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * A session-level advisory lock held on one pinned connection for the whole run: it vanishes with
 * the connection, so a killed process frees it. `lock_timeout` bounds the wait (it applies to
 * advisory locks: https://www.postgresql.org/docs/15/runtime-config-client.html#GUC-LOCK-TIMEOUT).
 * Session locks do not survive a transaction-mode pooler (PgBouncer): see the README.
 */
export async function acquirePostgresLock(sequelize: Sequelize, request: LockRequest): Promise<HeldLock> {
  const manager = sequelize.connectionManager as unknown as {
    getConnection(options?: object): Promise<PgClient>;
    releaseConnection(connection: PgClient): Promise<void> | void;
  };
  const key = lockKey32(request.key);
  const connection = await manager.getConnection({ type: 'write' });
  const database = String(sequelize.config.database);
  try {
    if (request.timeoutMs <= 0) {
      const { rows } = await connection.query('SELECT pg_try_advisory_lock($1, $2) AS taken', [LOCK_CLASS, key]);
      if (rows[0]?.taken !== true) throw await timeout(connection, database, key, request.timeoutMs);
    } else {
      await connection.query(`SET lock_timeout = ${Math.ceil(request.timeoutMs)}`);
      try {
        await connection.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, key]);
      } catch (error) {
        // 55P03 lock_not_available: lock_timeout passed.
        if ((error as { code?: string }).code === '55P03') throw await timeout(connection, database, key, request.timeoutMs);
        throw error;
      } finally {
        await connection.query('RESET lock_timeout').catch(() => undefined);
      }
    }
  } catch (error) {
    await manager.releaseConnection(connection);
    if (error instanceof LockTimeoutError) throw error;
    throw new LockError(`Could not take the migration lock on postgres database "${database}": ${describeError(error)}`, database, error);
  }
  return {
    async release() {
      try {
        await connection.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, key]);
      } finally {
        await manager.releaseConnection(connection);
      }
    },
    async verify() {
      let held = false;
      let why = 'the lock is no longer listed for its connection';
      try {
        const { rows } = await connection.query(
          `SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
              AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted`,
          [LOCK_CLASS, key >>> 0],
        );
        held = rows[0]?.held === 1;
      } catch (error) {
        why = `its connection failed: ${describeError(error)}`;
      }
      if (!held) throw lostLock('postgres', database, why);
    },
  };
}

async function timeout(connection: PgClient, database: string, key: number, timeoutMs: number): Promise<LockTimeoutError> {
  let holder: string | undefined;
  try {
    const { rows } = await connection.query(
      `SELECT a.pid, a.application_name, a.client_addr::text AS addr, a.backend_start
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [LOCK_CLASS, key >>> 0],
    );
    const row = rows[0];
    if (row) {
      holder = `backend pid ${row.pid}${row.addr ? ` from ${row.addr}` : ''}${row.application_name ? ` (${row.application_name})` : ''}`;
    }
  } catch {
    holder = undefined;
  }
  return new LockTimeoutError(
    `Timed out after ${timeoutMs} ms waiting for the migration lock on postgres database "${database}"` +
      `${holder ? `, held by ${holder}` : ''}. Another process is migrating; raise \`lock.timeoutMs\` or wait for it.`,
    database,
    holder,
  );
}
