/**
 * reset() on SQLite. Everything runs on Sequelize's own connection (`default`; the only one for
 * an in-memory database), as one transaction: opening a transaction through Sequelize would open
 * a second connection to the file for it.
 */
import type { Sequelize } from 'sequelize';
import { UnsupportedError } from '../../errors';
import { connectionManagerOf, runtimeOptions } from '../../sequelize-internals';
import { chunk, dirtyTables, quoter, rowsProbe, select, type ResetDriver, type ShapeRow } from '../reset-driver';

interface SqliteConnection {
  exec(sql: string, callback: (error: Error | null) => void): void;
  all(sql: string, callback: (error: Error | null, rows: Record<string, unknown>[]) => void): void;
}

/** SQLite refuses a compound SELECT of more than 500 terms (SQLITE_MAX_COMPOUND_SELECT). */
const MAX_TERMS = 400;

export const sqliteReset: ResetDriver = {
  // The CREATE statements SQLite keeps are the shape: ALTER TABLE rewrites them.
  shape: (sequelize) =>
    select<ShapeRow>(
      sequelize,
      `SELECT tbl_name AS t, type AS k, name || ' ' || coalesce(sql, '') AS d FROM sqlite_master WHERE type IN ('table', 'index', 'trigger')`,
    ),

  internal: (name) => name.startsWith('sqlite_'),

  async dirty(sequelize, owned, all) {
    const queries = chunk(owned, MAX_TERMS).map((tables) => rowsProbe(sequelize, tables));
    // AUTOINCREMENT counters live in sqlite_sequence, created with the first such table.
    if (all.includes('sqlite_sequence')) queries.push(`SELECT 'c' AS k, name AS t FROM sqlite_sequence WHERE seq > 0`);
    const found = (await Promise.all(queries.map((sql) => select<{ k: string; t: string }>(sequelize, sql)))).flat();
    return dirtyTables(found, owned);
  },

  async empty(sequelize, dirty) {
    const q = quoter(sequelize);
    const statements = dirty.rows.map((t) => `DELETE FROM ${q(t)};`);
    if (dirty.counters.length > 0) {
      statements.push(`DELETE FROM sqlite_sequence WHERE name IN (${dirty.counters.map((t) => sequelize.escape(t)).join(', ')});`);
    }
    await withoutForeignKeys(sequelize, statements.join('\n'));
  },

  async drop(sequelize, tables) {
    const q = quoter(sequelize);
    await withoutForeignKeys(sequelize, tables.map((t) => `DROP TABLE IF EXISTS ${q(t)};`).join('\n'));
  },
};

/**
 * Runs `script` in one transaction with foreign key enforcement off, then checks the references
 * before COMMIT, SQLite's documented procedure for changes that pass through inconsistent states
 * (https://www.sqlite.org/lang_altertable.html#otheralter). With enforcement on, deleting a parent
 * before its children fails at once on a RESTRICT reference, deferred or not
 * (https://www.sqlite.org/foreignkeys.html#fk_actions), and we do not know the tables' order.
 * `PRAGMA foreign_keys` is a no-op inside a transaction, hence before BEGIN.
 */
async function withoutForeignKeys(sequelize: Sequelize, script: string): Promise<void> {
  const manager = connectionManagerOf<{ getConnection(options: { uuid: string }): Promise<SqliteConnection> }>(sequelize);
  const connection = await manager.getConnection({ uuid: 'default' });
  const exec = (sql: string) => new Promise<void>((resolve, reject) => connection.exec(sql, (e) => (e ? reject(e) : resolve())));
  const all = (sql: string) =>
    new Promise<Record<string, unknown>[]>((resolve, reject) => connection.all(sql, (e, rows) => (e ? reject(e) : resolve(rows))));
  const enforced = runtimeOptions(sequelize).foreignKeys !== false;
  await exec('PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE;');
  try {
    await exec(script);
    const violations = await all('PRAGMA foreign_key_check');
    if (violations.length > 0) {
      const sample = violations.slice(0, 3).map((v) => `${String(v.table)} -> ${String(v.parent)}`);
      throw new UnsupportedError(
        `reset() would leave ${violations.length} row(s) pointing at emptied tables (${sample.join('; ')}): ` +
          'a table the include filter leaves alone references one reset() empties. Include it, or drop the reference.',
        String(violations[0].table),
      );
    }
    await exec('COMMIT');
  } catch (error) {
    await exec('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    if (enforced) await exec('PRAGMA foreign_keys = ON');
  }
}
