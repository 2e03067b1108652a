import type { Sequelize } from 'sequelize';
import type { BlockedStatement, StatementWatch } from '../dialect';

type Row = { pid: number; holder: number; wait: string | null; relation: string | null; holder_state: string | null; holder_query: string | null };

/**
 * `pg_blocking_pids()` names the backends whose locks a backend waits on
 * (https://www.postgresql.org/docs/current/functions-info.html). A statement of the migration
 * blocked by the run's own transaction can never finish: PostgreSQL's deadlock detector does not
 * see the cycle, which runs through the application. `pg_cancel_backend` stops it.
 */
export const postgresWatch: StatementWatch = {
  connectionId: (connection) => (connection as { processID?: number } | undefined)?.processID,

  async blockedBy(sequelize: Sequelize, waiting: readonly number[], holders: readonly number[]): Promise<BlockedStatement[]> {
    if (waiting.length === 0 || holders.length === 0) return [];
    const rows = (await sequelize.query(
      `SELECT a.pid, h.pid AS holder, a.wait_event_type || ':' || a.wait_event AS wait,
              (SELECT l.relation::regclass::text FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted LIMIT 1) AS relation,
              b.state AS holder_state, left(b.query, 200) AS holder_query
         FROM pg_stat_activity a
        CROSS JOIN LATERAL unnest(pg_blocking_pids(a.pid)) AS h(pid)
         JOIN pg_stat_activity b ON b.pid = h.pid
        WHERE a.pid IN (:waiting) AND h.pid IN (:holders)`,
      { replacements: { waiting: [...waiting], holders: [...holders] }, type: 'SELECT' as never, transaction: null as never, logging: false },
    )) as unknown as Row[];
    return rows.map((r) => ({
      id: r.pid,
      holder: r.holder,
      waitsOn:
        `a lock${r.relation ? ` on ${r.relation}` : ''} (${r.wait ?? 'Lock'}) held by backend ${r.holder} of this run ` +
        `(${r.holder_state ?? 'unknown state'}${r.holder_query ? `, last statement: ${r.holder_query}` : ''})`,
    }));
  },

  async cancel(sequelize: Sequelize, connections: readonly unknown[]): Promise<void> {
    const pids = connections.map((c) => postgresWatch.connectionId(c)).filter((p): p is number => p !== undefined);
    if (pids.length === 0) return;
    await sequelize.query('SELECT pg_cancel_backend(pid) FROM unnest(ARRAY[:pids]::int[]) AS p(pid)', {
      replacements: { pids },
      transaction: null as never,
      logging: false,
    });
  },
};
