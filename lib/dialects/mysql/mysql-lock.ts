import type { Sequelize } from 'sequelize';
import type { LockHolder, LockStrategy } from '../../../types/options';
import { assertNever, LockError, LockTimeoutError, UnsupportedError, describeError, lostLock } from '../../errors';
import type { HeldLock, LockRequest } from '../dialect';
import { lockName64 } from '../lock-key';
import { isGalera, rawManager, rawQuery, type RawConnection } from './mysql-raw';

type MysqlLock = 'get-lock' | 'lease';

/**
 * GET_LOCK unless the server is a Galera node, where it is node-local (it returned 1 on three
 * nodes at once; some 10.6 releases reject it, MDEV-30473): there the lease row holds.
 */
async function chooseLock(sequelize: Sequelize, connection: RawConnection, strategy: LockStrategy): Promise<MysqlLock> {
  switch (strategy) {
    case 'lease':
      return 'lease';
    case 'auto':
      return (await isGalera(sequelize, connection)) ? 'lease' : 'get-lock';
    case 'advisory':
      if (await isGalera(sequelize, connection)) {
        throw new UnsupportedError(
          `lock.strategy 'advisory' (GET_LOCK) is node-local on a Galera cluster (wsrep_on=1 on ${sequelize.config.host}:${sequelize.config.port}): ` +
            "two nodes would both grant it and run migrations twice. Use lock.strategy 'auto' or 'lease' (a lease row that holds across nodes).",
          'wsrep_on',
        );
      }
      return 'get-lock';
    default:
      return assertNever(strategy, 'lock strategy');
  }
}

/** For status(): which lock a run with `strategy` takes on this server, and why. */
export async function describeMysqlLock(sequelize: Sequelize, strategy: LockStrategy): Promise<string> {
  const manager = rawManager(sequelize);
  const connection = await manager.getConnection({ type: 'write' });
  try {
    const galera = await isGalera(sequelize, connection);
    const lock = await chooseLock(sequelize, connection, strategy);
    if (lock === 'lease') return `galera lease row (${galera ? 'wsrep_on=1' : "lock.strategy 'lease'"}; GET_LOCK is node-local on Galera)`;
    return 'mysql GET_LOCK on one pinned connection (wsrep_on is off: not a Galera cluster)';
  } finally {
    await manager.releaseConnection(connection);
  }
}

/**
 * GET_LOCK on one pinned connection for the whole run. Its result is checked: 1 taken, 0 timed
 * out, NULL error (https://mariadb.com/kb/en/get_lock/). The lock belongs to the connection, so a
 * killed process frees it. Lock names are server-wide, hence the database in the name.
 */
export async function acquireMysqlLock(sequelize: Sequelize, request: LockRequest): Promise<HeldLock> {
  const manager = rawManager(sequelize);
  const database = String(sequelize.config.database);
  const name = lockName64(`automigrate:${database}:${request.key}`);
  const connection = await manager.getConnection({ type: 'write' });
  try {
    const lock = await chooseLock(sequelize, connection, request.strategy);
    if (lock === 'lease') {
      const { acquireLeaseLock } = require('./mysql-lease-lock') as typeof import('./mysql-lease-lock');
      return await acquireLeaseLock(sequelize, connection, request);
    }
  } catch (error) {
    await manager.releaseConnection(connection);
    throw error;
  }
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
    connection,
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
  const holder = (await getLockHolder(connection, name).catch(() => null))?.backend ?? undefined;
  return new LockTimeoutError(
    `Timed out after ${timeoutMs} ms waiting for the migration lock on mysql database "${database}"` +
      `${holder ? `, held by ${holder}` : ''}. Another process is migrating; raise \`lock.timeoutMs\` or wait for it.`,
    database,
    holder,
  );
}

/** The connection holding the GET_LOCK (IS_USED_LOCK), with its user and client address. */
async function getLockHolder(connection: RawConnection, name: string): Promise<Partial<LockHolder> | null> {
  const rows = await rawQuery(
    connection,
    'SELECT p.ID AS id, p.USER AS user, p.HOST AS host FROM information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK(?)',
    [name],
  );
  return rows[0] ? { backend: `connection ${rows[0].id} (${rows[0].user}@${rows[0].host})` } : null;
}

/**
 * Who holds the lock a run with `request` takes, on a connection of its own (the waiting run's
 * own is inside GET_LOCK): the GET_LOCK connection, or on Galera the lease row's owner and since
 * when. GET_LOCK says nothing of the holder's process or start: the runner adds those from the
 * holder's progress markers.
 */
export async function mysqlLockHolder(sequelize: Sequelize, request: LockRequest): Promise<Partial<LockHolder> | null> {
  const manager = rawManager(sequelize);
  const connection = await manager.getConnection({ type: 'write' });
  try {
    if ((await chooseLock(sequelize, connection, request.strategy)) === 'lease') {
      const { leaseHolder } = require('./mysql-lease-lock') as typeof import('./mysql-lease-lock');
      return await leaseHolder(connection, request.key);
    }
    return await getLockHolder(connection, lockName64(`automigrate:${String(sequelize.config.database)}:${request.key}`));
  } finally {
    await manager.releaseConnection(connection);
  }
}
