import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { LockError, LockTimeoutError, describeError, lostLock } from '../../errors';
import type { LockHolder } from '../../../types/options';
import type { HeldLock, LockRequest } from '../dialect';
import { leaseTableName } from '../lock-key';
import { pollForLock, processLabel } from '../lock-poll';
import { isGalera, rawManager, rawQuery, type RawConnection } from './mysql-raw';

/** A lease lasts this long unless renewed; renewed every third of it while the run lasts. */
export const LEASE_TTL_MS = 15_000;
const RENEW_EVERY_MS = LEASE_TTL_MS / 3;

/** ER_LOCK_DEADLOCK: Galera's certification failure for two nodes writing one row at once. */
const DEADLOCK = 1213;
/** ER_LOCK_WAIT_TIMEOUT, and Galera's "WSREP has not yet prepared node for application use". */
const RETRYABLE = new Set([DEADLOCK, 1205, 1047]);

/**
 * The lock on a Galera cluster, where GET_LOCK is node-local and `SELECT ... FOR UPDATE` is granted
 * on every node (it conflicts only at commit). A lease row in `<tableName>_lock` is taken by a
 * conditional autocommit UPDATE (`WHERE owner IS NULL OR expires_at < NOW(3)`): certification lets
 * exactly one node's UPDATE commit, the others get ER_LOCK_DEADLOCK or see the new owner. The
 * holder renews it on a timer; a killed holder's lease expires after LEASE_TTL_MS and a waiter
 * takes it. Released by owner. Statements run with `wsrep_sync_wait` (causal: they see every
 * write the cluster committed before they began), so the winner's node has applied the previous
 * holder's history rows before the run reads them
 * (https://mariadb.com/kb/en/galera-cluster-system-variables/#wsrep_sync_wait).
 */
export async function acquireLeaseLock(sequelize: Sequelize, connection: RawConnection, request: LockRequest): Promise<HeldLock> {
  const manager = rawManager(sequelize);
  const database = String(sequelize.config.database);
  const table = `\`${leaseTableName(request.key).replace(/`/g, '``')}\``;
  const owner = `${processLabel()} run ${request.runId ?? randomBytes(8).toString('hex')}`;
  // Causal reads and writes only where the variable exists (a forced lease on plain MariaDB/MySQL).
  const causal = (await isGalera(sequelize, connection)) ? (flags: number) => `SET STATEMENT wsrep_sync_wait = ${flags} FOR ` : () => '';
  const run = (sql: string, values: unknown[] = []) => rawQuery(connection, sql, values) as unknown as Promise<Record<string, unknown>>;
  try {
    await retrying(() => run(`CREATE TABLE IF NOT EXISTS ${table} (id INT NOT NULL PRIMARY KEY, owner VARCHAR(255) NULL, acquired_at DATETIME(3) NULL, expires_at DATETIME(3) NULL) ENGINE=InnoDB`));
    await retrying(() => run(`INSERT IGNORE INTO ${table} (id) VALUES (1)`));
  } catch (error) {
    throw new LockError(`Could not create the lease table ${table} on mysql database "${database}": ${describeError(error)}`, database, error);
  }
  const take = `${causal(3)}UPDATE ${table} SET owner = ?, acquired_at = NOW(3), expires_at = NOW(3) + INTERVAL ${LEASE_TTL_MS * 1000} MICROSECOND
                 WHERE id = 1 AND (owner IS NULL OR expires_at < NOW(3))`;
  const taken = await pollForLock(request.timeoutMs, async () => {
    try {
      return Number((await run(take, [owner])).affectedRows) === 1 ? true : null;
    } catch (error) {
      if (RETRYABLE.has((error as { errno?: number }).errno ?? 0)) return null;
      throw new LockError(`Could not take the migration lease ${table} on mysql database "${database}": ${describeError(error)}`, database, error);
    }
  });
  if (!taken) {
    const [row] = await rawQuery(connection, `SELECT owner, expires_at FROM ${table} WHERE id = 1`).catch(() => []);
    const holder = row?.owner ? `${String(row.owner)} (lease row ${table}, expires ${String(row.expires_at)})` : undefined;
    throw new LockTimeoutError(
      `Timed out after ${request.timeoutMs} ms waiting for the migration lock on mysql database "${database}"` +
        `${holder ? `, held by ${holder}` : ''}. Another process is migrating; raise \`lock.timeoutMs\` or wait for it.`,
      database,
      holder,
    );
  }
  let lost: string | null = null;
  const renew = async () => {
    try {
      const result = await run(`UPDATE ${table} SET expires_at = NOW(3) + INTERVAL ${LEASE_TTL_MS * 1000} MICROSECOND WHERE id = 1 AND owner = ?`, [owner]);
      if (Number(result.affectedRows) !== 1) lost ??= 'the lease row has another owner now';
    } catch (error) {
      if (!RETRYABLE.has((error as { errno?: number }).errno ?? 0)) lost ??= `renewing it failed: ${describeError(error)}`;
    }
  };
  let renewing: Promise<void> = Promise.resolve();
  // unref: a run that ends without release() (a crash in the application) must not keep Node alive.
  const timer = setInterval(() => (renewing = renewing.then(renew)), RENEW_EVERY_MS);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      try {
        await renewing;
        await run(`UPDATE ${table} SET owner = NULL, expires_at = NULL WHERE id = 1 AND owner = ?`, [owner]);
        await manager.releaseConnection(connection);
      } catch (error) {
        await manager.destroyConnection(connection).catch(() => undefined);
        throw error;
      }
    },
    async verify() {
      let why = lost;
      if (why === null) {
        try {
          const [row] = await rawQuery(connection, `${causal(1)}SELECT owner = ? AND expires_at > NOW(3) AS mine FROM ${table} WHERE id = 1`, [owner]);
          if (Number(row?.mine) !== 1) why = 'the lease expired or has another owner';
        } catch (error) {
          why = `its connection failed: ${describeError(error)}`;
        }
      }
      if (why !== null) throw lostLock('mysql', database, `lease row ${table}: ${why}`);
    },
  };
}

/** The lease row's owner (`host pid N run R`) and when it took the lease; null when free or expired. */
export async function leaseHolder(connection: RawConnection, key: string): Promise<Partial<LockHolder> | null> {
  const table = `\`${leaseTableName(key).replace(/`/g, '``')}\``;
  const [row] = await rawQuery(connection, `SELECT owner, acquired_at FROM ${table} WHERE id = 1 AND owner IS NOT NULL AND expires_at >= NOW(3)`);
  if (!row) return null;
  const owner = /^(.*) run (\w+)$/.exec(String(row.owner));
  return {
    process: owner ? owner[1]! : String(row.owner),
    runId: owner ? owner[2]! : null,
    backend: `lease row ${table}`,
    since: row.acquired_at instanceof Date ? row.acquired_at : row.acquired_at ? new Date(String(row.acquired_at)) : null,
  };
}

/** DDL and the seed row race between nodes (TOI, certification): retried a few times. */
async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= 5 || !RETRYABLE.has((error as { errno?: number }).errno ?? 0)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}
