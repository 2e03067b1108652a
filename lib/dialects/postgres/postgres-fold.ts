/**
 * A baseline's tables on PostgreSQL: `CREATE TABLE`, `ALTER TABLE ... ADD CONSTRAINT` and `CREATE
 * INDEX` statements in a row go as one multi-statement query (one round trip, one parse by the
 * driver and Sequelize) instead of one each; the server executes them in order, inside the
 * baseline's transaction. Statements with parameters never reach here (runner/fold-ddl.ts), and
 * `CONCURRENTLY` (refused in a multi-statement query) is sent by itself.
 */
import type { DDLFolder } from '../dialect';

const FOLDS = /^(?:CREATE TABLE |CREATE (?:UNIQUE )?INDEX (?!CONCURRENTLY)|ALTER TABLE \S+ ADD CONSTRAINT |COMMENT ON )/;

export const postgresFolder: DDLFolder = {
  fold(held, next) {
    if (!FOLDS.test(next) || /\bCONCURRENTLY\b/i.test(next)) return null;
    return { send: [], hold: [...held, next.trim().replace(/;$/, '')] };
  },
  flush: (held) => (held.length === 0 ? [] : [`${held.join(';\n')};`]),
};
