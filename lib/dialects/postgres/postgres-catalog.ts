/**
 * The PostgreSQL catalog queries behind introspection: five SELECTs over pg_catalog that read
 * every table of one schema at once, however many tables there are. Sequelize's per-table
 * `describeTable` / `showIndex` / `getForeignKeyReferencesForTable` cost about three queries a
 * table, and `describeTable` goes through the slow information_schema views.
 *
 * Catalog reference: https://www.postgresql.org/docs/15/catalogs.html
 */
import { QueryTypes, type Sequelize } from 'sequelize';

export interface TableRow {
  readonly name: string;
  readonly comment: string | null;
}

export interface ColumnRow {
  readonly table_name: string;
  readonly name: string;
  /** `format_type(atttypid, atttypmod)`: the type as PostgreSQL spells it. */
  readonly type: string;
  /** The column's type is an enum: its oid (as text). */
  readonly enum_oid: string | null;
  /** The column's type is an array of an enum: the element's oid (as text). */
  readonly element_enum_oid: string | null;
  readonly not_null: boolean;
  /** pg_attribute.attidentity: 'a' (ALWAYS), 'd' (BY DEFAULT) or ''. */
  readonly identity: string;
  /** pg_attribute.attgenerated: 's' for a stored generated column, else ''. */
  readonly generated: string;
  readonly default: string | null;
  readonly comment: string | null;
}

export interface ConstraintRow {
  readonly table_name: string;
  readonly table_schema: string;
  readonly name: string;
  /** 'p' primary key, 'f' foreign key. */
  readonly type: string;
  readonly columns: readonly string[];
  readonly referenced_table: string | null;
  readonly referenced_schema: string | null;
  readonly referenced_columns: readonly string[];
  /** confdeltype / confupdtype: a, r, c, n, d. */
  readonly on_delete: string;
  readonly on_update: string;
}

export interface IndexRow {
  readonly table_name: string;
  readonly name: string;
  readonly unique: boolean;
  /** 'u' when the index backs a UNIQUE constraint, else null. */
  readonly constraint_type: string | null;
  /** Key columns in order; null for a key that is an expression. */
  readonly columns: readonly (string | null)[];
  /** Each key's operator class, null where it is its type's default (pg_opclass.opcdefault). */
  readonly operators: readonly (string | null)[];
  readonly method: string;
  readonly definition: string;
  readonly predicate: string | null;
}

export interface EnumRow {
  readonly oid: string;
  readonly schema: string;
  readonly name: string;
  readonly labels: readonly string[];
  /** The enum lives in the schema being read (enums elsewhere are only used to type columns). */
  readonly in_schema: boolean;
}

export interface Catalog {
  readonly tables: readonly TableRow[];
  readonly columns: readonly ColumnRow[];
  readonly constraints: readonly ConstraintRow[];
  readonly indexes: readonly IndexRow[];
  readonly enums: readonly EnumRow[];
}

/** `$1` is the schema name, or null for the connection's current schema (`public`). */
const IN_SCHEMA = `n.nspname = coalesce($1::text, current_schema())`;

/** Ordinary and partitioned tables; partitions are reported through their parent. */
const TABLES = `
SELECT c.relname AS name, d.description AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
WHERE ${IN_SCHEMA} AND c.relkind IN ('r', 'p') AND NOT c.relispartition`;

const COLUMNS = `
SELECT c.relname AS table_name, a.attname AS name,
  pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
  CASE WHEN t.typtype = 'e' THEN t.oid::text END AS enum_oid,
  CASE WHEN et.typtype = 'e' THEN et.oid::text END AS element_enum_oid,
  a.attnotnull AS not_null, a.attidentity::text AS identity, a.attgenerated::text AS generated,
  pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default,
  d.description AS comment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum
WHERE ${IN_SCHEMA} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum`;

/** Column names of a constraint, in key order (conkey is in key order, attnums are not). */
const keyNames = (keys: string, relation: string) => `ARRAY(
    SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY AS u(attnum, ord)
    JOIN pg_catalog.pg_attribute a ON a.attrelid = ${relation} AND a.attnum = u.attnum
    ORDER BY u.ord)`;

const CONSTRAINTS = `
SELECT c.relname AS table_name, n.nspname AS table_schema, k.conname AS name, k.contype::text AS type,
  ${keyNames('k.conkey', 'k.conrelid')} AS columns,
  rc.relname AS referenced_table, rn.nspname AS referenced_schema,
  ${keyNames('k.confkey', 'k.confrelid')} AS referenced_columns,
  k.confdeltype::text AS on_delete, k.confupdtype::text AS on_update
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE ${IN_SCHEMA} AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND k.contype IN ('p', 'f')
ORDER BY c.relname, k.conname`;

/**
 * Every index but the primary key's and exclusion constraints'. Only the first indnkeyatts
 * entries of indkey are keys; the rest are INCLUDE columns. A 0 in indkey is an expression.
 * indclass holds one operator class per key
 * (https://www.postgresql.org/docs/15/catalog-pg-index.html).
 */
const INDEXES = `
SELECT c.relname AS table_name, ic.relname AS name, i.indisunique AS unique,
  k.contype::text AS constraint_type,
  ARRAY(
    SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS u(attnum, ord)
    LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum AND u.attnum > 0
    WHERE u.ord <= i.indnkeyatts
    ORDER BY u.ord) AS columns,
  ARRAY(
    SELECT CASE WHEN oc.opcdefault THEN NULL ELSE oc.opcname::text END
    FROM unnest(i.indclass::oid[]) WITH ORDINALITY AS u(opclass, ord)
    JOIN pg_catalog.pg_opclass oc ON oc.oid = u.opclass
    ORDER BY u.ord) AS operators,
  am.amname AS method,
  pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
  pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
LEFT JOIN pg_catalog.pg_constraint k
  ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')
WHERE ${IN_SCHEMA} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND NOT i.indisprimary AND (k.contype IS NULL OR k.contype = 'u')
ORDER BY c.relname, ic.relname`;

/** Every enum in the database: a column may use one from another schema. */
const ENUMS = `
SELECT t.oid::text AS oid, n.nspname AS schema, t.typname AS name,
  array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels,
  ${IN_SCHEMA} AS in_schema
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
GROUP BY t.oid, n.nspname, t.typname
ORDER BY t.typname`;

/** Reads the catalog of one schema (null: the connection's current schema) in five queries. */
export async function readPostgresCatalog(sequelize: Sequelize, schema: string | null): Promise<Catalog> {
  // Sequential on purpose: one pooled connection, and a caller's CLS transaction (if any) is
  // joined by each query the same way.
  const select = <T extends object>(sql: string) =>
    sequelize.query<T>(sql, { type: QueryTypes.SELECT, raw: true, bind: [schema] });
  const tables = await select<TableRow>(TABLES);
  const columns = await select<ColumnRow>(COLUMNS);
  const constraints = await select<ConstraintRow>(CONSTRAINTS);
  const indexes = await select<IndexRow>(INDEXES);
  const enums = await select<EnumRow>(ENUMS);
  return { tables, columns, constraints, indexes, enums };
}
