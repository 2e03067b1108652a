import type { Sequelize } from 'sequelize';
import { connectionManagerOf } from '../../sequelize-internals';

export interface RawConnection {
  query(sql: string, values: unknown[], callback?: (error: Error | null, rows: unknown) => void): unknown;
}

export interface RawManager {
  getConnection(options?: object): Promise<RawConnection>;
  releaseConnection(connection: RawConnection): Promise<void> | void;
  destroyConnection(connection: RawConnection): Promise<void>;
}

/** mysql2 connections take callbacks, the mariadb driver's return promises: accept both. */
export function rawQuery(connection: RawConnection, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const result = connection.query(sql, values, (error, rows) => (error ? reject(error) : resolve(rows as Record<string, unknown>[])));
    if (result instanceof Promise) {
      (result as Promise<Record<string, unknown>[]>).then(resolve, reject);
    }
  });
}

export function rawManager(sequelize: Sequelize): RawManager {
  return connectionManagerOf<RawManager>(sequelize);
}

const galera = new WeakMap<Sequelize, Promise<boolean>>();

/**
 * Whether the server is a Galera cluster node (`@@wsrep_on` = 1), asked once per Sequelize
 * instance and only when a lock is needed. MySQL has no such variable (error 1193): not Galera.
 */
export function isGalera(sequelize: Sequelize, connection: RawConnection): Promise<boolean> {
  let known = galera.get(sequelize);
  if (!known) {
    known = rawQuery(connection, 'SELECT @@wsrep_on AS wsrep').then(
      (rows) => Number(rows[0]?.wsrep) === 1,
      (error: { errno?: number }) => {
        if (error?.errno === 1193) return false;
        galera.delete(sequelize);
        throw error;
      },
    );
    galera.set(sequelize, known);
  }
  return known;
}
