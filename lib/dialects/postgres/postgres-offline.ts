import type { Sequelize } from 'sequelize';
import type { OfflineScriptRules } from '../dialect';
import { connectionManagerOf } from '../../sequelize-internals';

/** `SELECT t.typname enum_name ... WHERE n.nspname = 'public' AND t.typname='enum_t_c'`: Sequelize's pgListEnums. */
const LIST_ENUMS = /JOIN pg_enum e ON t\.oid = e\.enumtypid[\s\S]*?(?:AND t\.typname='([^']+)')?\s+GROUP BY/i;

type Refreshing = { _refreshDynamicOIDs?: (...args: unknown[]) => Promise<void> };

/**
 * PostgreSQL scripts: each migration between BEGIN and COMMIT, as the runner runs it (DDL is
 * transactional). Before `CREATE TABLE` with an ENUM column, Sequelize asks whether the column's
 * enum type exists (ensureEnums): offline the type is assumed new, so the script creates it
 * (Sequelize's `DO ... EXCEPTION WHEN duplicate_object` leaves a type of that name as it is).
 * `renameColumn` reads the column's definition first, but RENAME COLUMN needs only the names.
 */
export const postgresOffline: OfflineScriptRules = {
  begin: ['BEGIN;'],
  commit: ['COMMIT;'],
  now: 'CURRENT_TIMESTAMP',
  assume(sql, call) {
    if (call === undefined) return undefined;
    if (call.method === 'renameColumn' && /\bFROM information_schema\.columns\b/i.test(sql)) {
      // renameColumn reads the column's definition, which RENAME COLUMN does not use (only its name).
      const [table, column] = call.args;
      return { value: { [String(column)]: { type: 'unknown', allowNull: true, defaultValue: null } }, note: `column ${String(table)}.${String(column)} exists (queryInterface.renameColumn() checks it online)` };
    }
    const match = LIST_ENUMS.exec(sql);
    if (!match) return undefined;
    const type = match[1] ?? 'of the column';
    return { value: null, note: `enum type ${type} does not exist yet (queryInterface.${call.method}() asks the database online; the script creates it, and a type of that name that exists stays as it is)` };
  },
  /** After creating an enum type Sequelize re-reads every type's OID for its parsers: not offline. */
  prepare(sequelize: Sequelize, capturing: () => boolean) {
    const manager = connectionManagerOf<Refreshing>(sequelize);
    const original = manager._refreshDynamicOIDs;
    if (typeof original !== 'function') return () => undefined;
    const hadOwn = Object.prototype.hasOwnProperty.call(manager, '_refreshDynamicOIDs');
    manager._refreshDynamicOIDs = function refresh(this: unknown, ...args: unknown[]) {
      return capturing() ? Promise.resolve() : original.apply(this, args);
    };
    return () => {
      if (hadOwn) manager._refreshDynamicOIDs = original;
      else delete manager._refreshDynamicOIDs;
    };
  },
};
