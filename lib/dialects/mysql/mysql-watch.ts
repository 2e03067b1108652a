import type { Sequelize } from 'sequelize';
import type { BlockedStatement, StatementWatch } from '../dialect';

type LockWait = { waiting: number; holder: number; query: string | null; lock_table: string | null };
type Waiting = { ID: number; STATE: string | null };

/**
 * Row locks: InnoDB's lock-wait tables name the blocking transaction's thread
 * (https://mariadb.com/kb/en/information-schema-innodb_lock_waits-table/). Metadata locks: without
 * the METADATA_LOCK_INFO plugin the holder is not named, so a statement of the migration waiting
 * for a metadata lock while another connection of the same migration holds an open transaction is
 * taken as blocked by it (`lock_wait_timeout` defaults to a year: it would wait that long).
 * `KILL QUERY` stops the blocked statement.
 */
export const mysqlWatch: StatementWatch = {
  connectionId: (connection) => (connection as { threadId?: number } | undefined)?.threadId,

  async blockedBy(sequelize: Sequelize, waiting: readonly number[], holders: readonly number[]): Promise<BlockedStatement[]> {
    if (waiting.length === 0 || holders.length === 0) return [];
    const options = { replacements: { waiting: [...waiting], holders: [...holders] }, type: 'SELECT' as never, transaction: null as never, logging: false };
    // MySQL 8 moved these tables to performance_schema (data_lock_waits): there only metadata locks are seen.
    const rows = ((await sequelize.query(
      `SELECT r.trx_mysql_thread_id AS waiting, b.trx_mysql_thread_id AS holder, LEFT(b.trx_query, 200) AS query, l.lock_table
         FROM information_schema.INNODB_LOCK_WAITS w
         JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id
         JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id
         LEFT JOIN information_schema.INNODB_LOCKS l ON l.lock_id = w.requested_lock_id
        WHERE r.trx_mysql_thread_id IN (:waiting) AND b.trx_mysql_thread_id IN (:holders)`,
      options,
    ).catch(() => [])) as unknown) as LockWait[];
    const found: BlockedStatement[] = rows.map((r) => ({
      id: Number(r.waiting),
      holder: Number(r.holder),
      waitsOn: `a row lock${r.lock_table ? ` on ${r.lock_table}` : ''} held by connection ${r.holder} of this run (an open transaction)`,
    }));
    const mdl = (await sequelize.query(
      "SELECT ID, STATE FROM information_schema.PROCESSLIST WHERE ID IN (:waiting) AND STATE LIKE 'Waiting for%metadata lock'",
      options,
    )) as unknown as Waiting[];
    if (mdl.length > 0) {
      const open = (await sequelize.query('SELECT trx_mysql_thread_id AS id FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id IN (:holders)', options)) as unknown as { id: number }[];
      const holder = open.find((o) => !mdl.some((m) => Number(m.ID) === Number(o.id)));
      if (holder) {
        for (const m of mdl) found.push({ id: Number(m.ID), holder: Number(holder.id), waitsOn: `a metadata lock (${m.STATE}) while connection ${holder.id} of this run holds an open transaction` });
      }
    }
    return found;
  },

  async cancel(sequelize: Sequelize, connections: readonly unknown[]): Promise<void> {
    for (const connection of connections) {
      const id = mysqlWatch.connectionId(connection);
      if (id !== undefined) await sequelize.query(`KILL QUERY ${Number(id)}`, { transaction: null as never, logging: false });
    }
  },
};
