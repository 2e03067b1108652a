/**
 * A fleet of tenants inside one test database: SQLite files in the test's folder, MariaDB
 * databases next to the test's (dropped afterwards), PostgreSQL schemas sharing the test's
 * Sequelize instance (the schema-per-tenant recipe).
 */
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { QueryTypes, type Options, type Sequelize } from 'sequelize';
import type { Tenant } from '../../lib';
import type { TestDatabase } from '../helpers/databases';
import { createTableMigration, writeMigrations } from '../helpers/migrations';

/** What a child process needs to rebuild the fleet. */
export interface TenantSpec {
  readonly id: string;
  readonly options: Options;
  readonly schema?: string;
}

export interface Fleet {
  readonly specs: readonly TenantSpec[];
  readonly tenants: readonly Tenant[];
  /** Runs `sql` in tenant `i`; `{t}` in it stands for the tenant's qualifier (`"t3".` or nothing). */
  exec(i: number, sql: string): Promise<void>;
  /** The tenant's tables, history table included, sorted. */
  tables(i: number): Promise<string[]>;
  history(i: number): Promise<string[]>;
}

export async function makeFleet(t: ExecutionContext, db: TestDatabase, size: number): Promise<Fleet> {
  const ids = Array.from({ length: size }, (_, i) => `t${i}`);
  let specs: TenantSpec[];
  let instances: Sequelize[];
  if (db.dialect === 'postgres') {
    // One instance for every schema: its pool must hold two connections per running tenant.
    const shared = db.connect({ pool: { max: 12, min: 0, idle: 1000, acquire: 20000 } });
    specs = ids.map((id) => ({ id, options: { ...db.options, pool: { max: 12, min: 0, idle: 1000, acquire: 20000 } }, schema: `${db.database}_${id}` }));
    instances = ids.map(() => shared);
  } else if (db.dialect === 'mysql') {
    for (const id of ids) await db.sequelize.query(`CREATE DATABASE \`${db.database}_${id}\``);
    t.teardown(async () => {
      for (const id of ids) await db.sequelize.query(`DROP DATABASE IF EXISTS \`${db.database}_${id}\``).catch(() => undefined);
    });
    specs = ids.map((id) => ({ id, options: { ...db.options, database: `${db.database}_${id}` } }));
    instances = specs.map((s) => db.connect({ database: s.options.database }));
  } else {
    specs = ids.map((id) => ({ id, options: { ...db.options, storage: join(db.dir, `${id}.sqlite`) } }));
    instances = specs.map((s) => db.connect({ storage: s.options.storage }));
  }
  const qualifier = (i: number) => (specs[i].schema ? `"${specs[i].schema}".` : '');
  const select = async <T extends object>(i: number, sql: string, bind: unknown[] = []) => instances[i].query<T>(sql, { type: QueryTypes.SELECT, bind });
  const fleet: Fleet = {
    specs,
    tenants: specs.map((s, i) => ({ id: s.id, sequelize: instances[i], ...(s.schema ? { schema: s.schema } : {}) })),
    async exec(i, sql) {
      if (specs[i].schema) await instances[i].query(`CREATE SCHEMA IF NOT EXISTS "${specs[i].schema}"`);
      await instances[i].query(sql.replace(/\{t\}/g, qualifier(i)));
    },
    async tables(i) {
      const rows =
        db.dialect === 'postgres'
          ? await select<{ t: string }>(i, 'SELECT tablename AS t FROM pg_tables WHERE schemaname = $1', [specs[i].schema])
          : db.dialect === 'mysql'
            ? await select<{ t: string }>(i, 'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()')
            : await select<{ t: string }>(i, "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
      return rows.map((r) => r.t).sort();
    },
    async history(i) {
      if (!(await fleet.tables(i)).includes('SequelizeMeta')) return [];
      const q = db.dialect === 'mysql' ? '`SequelizeMeta`' : `${qualifier(i)}"SequelizeMeta"`;
      return (await select<{ name: string }>(i, `SELECT name FROM ${q} ORDER BY name`)).map((r) => r.name);
    },
  };
  return fleet;
}

/** 002 creates `posts` with plain SQL: it fails in a tenant that already has a `posts` table. */
export function fleetMigrations(dir: string, loadsKey = '', extra: Record<string, string> = {}): string {
  const counted = loadsKey ? `globalThis[${JSON.stringify(loadsKey)}] = (globalThis[${JSON.stringify(loadsKey)}] ?? 0) + 1;\n` : '';
  return writeMigrations(join(dir, 'migrations'), {
    '001-users.js': counted + createTableMigration('users', "await queryInterface.bulkInsert('users', [{ title: 'one' }]);"),
    '002-posts.js': `module.exports = {
  async up(queryInterface) { await queryInterface.sequelize.query('CREATE TABLE posts (id INTEGER PRIMARY KEY)'); },
  async down(queryInterface) { await queryInterface.dropTable('posts'); },
};`,
    '003-tags.js': createTableMigration('tags'),
    ...extra,
  });
}

/** Every migration of fleetMigrations, as the history records them. */
export const ALL = ['001-users.js', '002-posts.js', '003-tags.js'];
