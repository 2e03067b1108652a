/**
 * Operator classes as compared on PostgreSQL. Introspection reports a key's class only when it is
 * not its type's default (pg_opclass.opcdefault), so a model naming a default class explicitly
 * (`operator: 'jsonb_ops'`) must read as naming none, or every diff would propose the index again.
 */

/**
 * PostgreSQL 15's built-in classes that are the default wherever they exist, from
 * `SELECT opcname FROM pg_opclass JOIN pg_namespace ... WHERE nspname = 'pg_catalog'
 * GROUP BY opcname HAVING bool_and(opcdefault)` (inet_ops is not: GiST's is not the default).
 * Extensions' default classes (citext_ops) are not listed: name only non-default ones.
 */
const BUILT_IN_DEFAULTS: ReadonlySet<string> = new Set([
  'aclitem_ops', 'array_ops', 'bit_minmax_ops', 'bit_ops', 'bool_ops', 'box_inclusion_ops', 'box_ops',
  'bpchar_minmax_ops', 'bpchar_ops', 'bytea_minmax_ops', 'bytea_ops', 'char_minmax_ops', 'char_ops',
  'cid_ops', 'circle_ops', 'date_minmax_ops', 'date_ops', 'enum_ops', 'float4_minmax_ops', 'float4_ops',
  'float8_minmax_ops', 'float8_ops', 'inet_inclusion_ops', 'int2_minmax_ops', 'int2_ops',
  'int4_minmax_ops', 'int4_ops', 'int8_minmax_ops', 'int8_ops', 'interval_minmax_ops', 'interval_ops',
  'jsonb_ops', 'macaddr8_minmax_ops', 'macaddr8_ops', 'macaddr_minmax_ops', 'macaddr_ops', 'money_ops',
  'multirange_ops', 'name_minmax_ops', 'name_ops', 'numeric_minmax_ops', 'numeric_ops',
  'oid_minmax_ops', 'oid_ops', 'oidvector_ops', 'pg_lsn_minmax_ops', 'pg_lsn_ops', 'point_ops',
  'poly_ops', 'quad_point_ops', 'range_inclusion_ops', 'range_ops', 'record_ops', 'text_minmax_ops',
  'text_ops', 'tid_minmax_ops', 'tid_ops', 'time_minmax_ops', 'time_ops', 'timestamp_minmax_ops',
  'timestamp_ops', 'timestamptz_minmax_ops', 'timestamptz_ops', 'timetz_minmax_ops', 'timetz_ops',
  'tsquery_ops', 'tsvector_ops', 'uuid_minmax_ops', 'uuid_ops', 'varbit_minmax_ops', 'varbit_ops',
  'xid8_ops', 'xid_ops',
]);

/** Lower case, as PostgreSQL folds the unquoted name Sequelize writes; null for a built-in default. */
export function canonicalOperatorClass(name: string | null): string | null {
  if (name === null || name === '') return null;
  const lower = name.toLowerCase();
  return BUILT_IN_DEFAULTS.has(lower) ? null : lower;
}
