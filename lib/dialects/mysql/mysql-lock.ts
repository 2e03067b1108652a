import type { Sequelize } from 'sequelize';
import { LockError, LockTimeoutError, describeError, lostLock } from '../../errors';
import type { HeldLock, LockRequest } from '../dialect';
import { lockName64 } from '../lock-key';

interface RawConnection {
  query(sql: string, values: unknown[], callback?: (error: Error | null, rows: unknown) => void): unknown;
}

/** mysql2 connections take callbacks, the mariadb driver's return promises: accept both. */
function rawQuery(connection: RawConnection, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const result = connection.query(sql, values, (error, rows) => (error ? reject(error) : resolve(rows as Record<string, unknown>[])));
    if (result instanceof Promise) {
      (result as Promise<Record<string, unknown>[]>).then(resolve, reject);
    }
  });
}

/**
 * GET_LOCK on one pinned connection for the whole run. Its result is checked: 1 taken, 0 timed
 * out, NULL error (https://mariadb.com/kb/en/get_lock/). The lock belongs to the connection, so a
 * killed process frees it. Lock names are server-wide, hence the database in the name.
 */
export async function acquireMysqlLock(sequelize: Sequelize, request: LockRequest): Promise<HeldLock> {
  const manager = sequelize.connectionManager as unknown as {
    getConnection(options?: object): Promise<RawConnection>;
    releaseConnection(connection: RawConnection): Promise<void> | void;
  };
  const database = String(sequelize.config.database);
  const name = lockName64(`automigrate:${database}:${request.key}`);
  const connection = await manager.getConnection({ type: 'write' });
  try {
    const seconds = Math.max(0, request.timeoutMs) / 1000;
    const [row] = await rawQuery(connection, 'SELECT GET_LOCK(?, ?) AS taken', [name, seconds]);
    const taken = row?.taken === null || row?.taken === undefined ? null : Number(row.taken);
    if (taken === 0) throw await timeout(connection, database, name, request.timeoutMs);
    if (taken !== 1) throw new Error(`GET_LOCK('${name}') returned NULL`);
  } catch (error) {
    await manager.releaseConnection(connection);
    if (error instanceof LockTimeoutError) throw error;
    throw new LockError(`Could not take the migration lock on mysql database "${database}": ${describeError(error)}`, database, error);
  }
  return {
    async release() {
      try {
        await rawQuery(connection, 'SELECT RELEASE_LOCK(?) AS released', [name]);
      } finally {
        await manager.releaseConnection(connection);
      }
    },
    async verify() {
      let held = false;
      let why = 'another connection holds it now, or none';
      try {
        const [row] = await rawQuery(connection, 'SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS mine', [name]);
        held = Number(row?.mine) === 1;
      } catch (error) {
        why = `its connection failed: ${describeError(error)}`;
      }
      if (!held) throw lostLock('mysql', database, why);
    },
  };
}

async function timeout(connection: RawConnection, database: string, name: string, timeoutMs: number): Promise<LockTimeoutError> {
  let holder: string | undefined;
  try {
    const rows = await rawQuery(
      connection,
      'SELECT p.ID AS id, p.USER AS user, p.HOST AS host FROM information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK(?)',
      [name],
    );
    if (rows[0]) holder = `connection ${rows[0].id} (${rows[0].user}@${rows[0].host})`;
  } catch {
    holder = undefined;
  }
  return new LockTimeoutError(
    `Timed out after ${timeoutMs} ms waiting for the migration lock on mysql database "${database}"` +
      `${holder ? `, held by ${holder}` : ''}. Another process is migrating; raise \`lock.timeoutMs\` or wait for it.`,
    database,
    holder,
  );
}
