/**
 * PostgreSQL schemas as tenants (issue 20): the history table, markers and lock of a migrator
 * created with `schema` live in that schema, and its migrations (written with unqualified names,
 * as every sequelize-cli migration is) land there through `SET LOCAL search_path`, the way
 * django-tenants scopes a tenant's connection. `SET LOCAL` ends with the transaction, so a pooled
 * connection (Sequelize's pool, PgBouncer in transaction mode) never carries one tenant's path
 * into another tenant's work: https://www.postgresql.org/docs/current/sql-set.html
 */
import type { QueryInterface, Sequelize, Transaction } from 'sequelize';
import type { SchemaRules } from '../dialect';

type Quoting = { quoteIdentifier(name: string): string };

function quote(sequelize: Sequelize, name: string): string {
  return (sequelize.getQueryInterface() as unknown as Quoting).quoteIdentifier(name);
}

export const postgresSchemas: SchemaRules = {
  qualify: (sequelize, schema, table) => `${quote(sequelize, schema)}.${quote(sequelize, table)}`,

  async ensure(sequelize, schema) {
    // IF NOT EXISTS: two migrators of one schema may race here; the second is a no-op.
    await sequelize.query(`CREATE SCHEMA IF NOT EXISTS ${quote(sequelize, schema)}`, { transaction: null as never });
  },

  async enter(sequelize: Sequelize, transaction: Transaction, schema: string) {
    // Only the tenant's schema: an unqualified CREATE TABLE goes to the first schema of the path.
    await sequelize.query(`SET LOCAL search_path TO ${quote(sequelize, schema)}`, { transaction, raw: true });
  },

  async tableExists(sequelize, schema, table) {
    const rows = (await sequelize.query('SELECT 1 AS found FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = $2', {
      bind: [schema, table],
      type: 'SELECT' as never,
      raw: true,
      transaction: null as never,
    })) as unknown as unknown[];
    return rows.length > 0;
  },

  lockName: (schema, key) => `${schema}.${key}`,

  queryInterface: scopedQueryInterface,

  async tables(sequelize, schema) {
    const rows = (await sequelize.query(
      "SELECT c.relname AS t FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition",
      { bind: [schema], type: 'SELECT' as never, raw: true, transaction: null as never },
    )) as unknown as { t: string }[];
    return rows.map((r) => r.t).sort();
  },

  async empty(sequelize, schema, tables) {
    if (tables.length === 0) return;
    const list = tables.map((t) => postgresSchemas.qualify(sequelize, schema, t)).join(', ');
    await sequelize.query(`TRUNCATE TABLE ${list} RESTART IDENTITY CASCADE`, { transaction: null as never });
  },

  async drop(sequelize, schema, tables) {
    const list = tables.map((t) => postgresSchemas.qualify(sequelize, schema, t)).join(', ');
    if (tables.length > 0) await sequelize.query(`DROP TABLE IF EXISTS ${list} CASCADE`, { transaction: null as never });
    // The migrations' own CREATE TYPE would fail on the enum types their tables left.
    const enums = (await sequelize.query(
      `SELECT t.typname AS name FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = $1 AND t.typtype = 'e'
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.atttypid IN (t.oid, t.typarray) AND NOT a.attisdropped)`,
      { bind: [schema], type: 'SELECT' as never, raw: true, transaction: null as never },
    )) as unknown as { name: string }[];
    if (enums.length > 0) {
      await sequelize.query(`DROP TYPE ${enums.map((e) => postgresSchemas.qualify(sequelize, schema, e.name)).join(', ')}`, { transaction: null as never });
    }
  },
};

/**
 * Sequelize's PostgreSQL query generator qualifies some statements with `public` whatever the
 * search_path (`addColumn`, `removeColumn`, `describeTable`, enum types: `extractTableDetails`
 * falls back to `sequelize.options.schema || 'public'`), so `SET LOCAL search_path` alone would
 * send `addColumn('users', ...)` to `public.users`. The migration gets a QueryInterface whose
 * generator reads the tenant's schema as that default; the shared instance is not touched, so
 * other tenants on the same Sequelize instance keep theirs.
 */
function scopedQueryInterface(sequelize: Sequelize, schema: string): QueryInterface {
  const shared = sequelize.getQueryInterface() as unknown as { queryGenerator: { options: object } };
  const generator = Object.create(shared.queryGenerator, { options: { value: { ...shared.queryGenerator.options, schema } } });
  return Object.create(shared, { queryGenerator: { value: generator } }) as QueryInterface;
}
