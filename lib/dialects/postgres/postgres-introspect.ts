/**
 * PostgreSQL introspection: the live schema as a Schema, read from pg_catalog in a constant
 * number of queries (see postgres-catalog.ts). The result is the database's own view, typed
 * but not yet canonical: apply normalizePostgresTable before comparing.
 */
import type { Sequelize } from 'sequelize';
import type {
  Column,
  ColumnType,
  EnumType,
  ForeignKey,
  Index,
  ReferentialAction,
  Schema,
  Table,
} from '../../../types/schema';
import type { IntrospectOptions } from '../dialect';
import { readPostgresCatalog, type ColumnRow, type ConstraintRow, type EnumRow, type IndexRow } from './postgres-catalog';
import { closingParen, defaultFromExpression } from './postgres-defaults';
import { compareText } from './postgres-normalize';
import { canonicalPostgresType, parsePostgresType } from './postgres-types';
import { groupBy } from '../group-by';

export async function introspectPostgres(sequelize: Sequelize, options: IntrospectOptions = {}): Promise<Schema> {
  const requested = options.schema ?? null;
  // Tables in `public` are reported without a schema, as the models write them.
  const schema = requested === 'public' || options.schemaIsDefault ? null : requested;
  const excluded = new Set(options.excludeTables ?? []);
  const catalog = await readPostgresCatalog(sequelize, requested);
  const enumsByOid = new Map(catalog.enums.map((e) => [e.oid, e]));

  const columns = groupBy(catalog.columns, (c) => c.table_name);
  const constraints = groupBy(catalog.constraints, (c) => c.table_name);
  const indexes = groupBy(catalog.indexes, (i) => i.table_name);

  const tables = catalog.tables
    .filter((t) => !excluded.has(t.name))
    .map((t): Table => {
      const keys = constraints.get(t.name) ?? [];
      return {
        name: t.name,
        schema,
        columns: (columns.get(t.name) ?? []).map((c) => toColumn(c, enumsByOid)),
        primaryKey: keys.find((k) => k.type === 'p')?.columns ?? [],
        indexes: (indexes.get(t.name) ?? []).map(toIndex),
        foreignKeys: keys.filter((k) => k.type === 'f').map(toForeignKey),
        comment: t.comment,
      };
    })
    .sort((a, b) => compareText(a.name, b.name));

  const enums = catalog.enums
    .filter((e) => e.in_schema)
    .map((e): EnumType => ({ name: e.name, schema, values: e.labels }));

  return { dialect: 'postgres', tables, enums };
}

function toColumn(row: ColumnRow, enumsByOid: ReadonlyMap<string, EnumRow>): Column {
  const type = columnType(row, enumsByOid);
  // Identity columns (GENERATED ... AS IDENTITY) keep their sequence out of the default;
  // serial columns show it as `nextval(...)`. Both are autoIncrement.
  const fromDefault =
    row.generated === ''
      ? defaultFromExpression(row.default, canonicalPostgresType(type))
      : { defaultValue: null, sequence: false };
  return {
    name: row.name,
    type,
    allowNull: !row.not_null,
    defaultValue: fromDefault.defaultValue,
    autoIncrement: row.identity !== '' || fromDefault.sequence,
    comment: row.comment,
  };
}

function columnType(row: ColumnRow, enumsByOid: ReadonlyMap<string, EnumRow>): ColumnType {
  const own = row.enum_oid === null ? undefined : enumsByOid.get(row.enum_oid);
  if (own) return enumType(own);
  const element = row.element_enum_oid === null ? undefined : enumsByOid.get(row.element_enum_oid);
  if (element) return { name: 'ARRAY', element: enumType(element) };
  return parsePostgresType(row.type).type;
}

function enumType(row: EnumRow): ColumnType {
  return { name: 'ENUM', values: row.labels, enumName: row.name };
}

function toIndex(row: IndexRow): Index {
  const expression = row.columns.some((c) => c === null) ? keyList(row.definition, row.method) : null;
  return {
    name: row.name,
    columns: expression === null ? row.columns.filter((c): c is string => c !== null) : [],
    unique: row.unique,
    origin: row.constraint_type === 'u' ? 'constraint' : 'index',
    expression,
    where: row.predicate,
    using: row.method === 'btree' ? null : row.method,
    // An expression's operator classes are in its text already.
    ...(expression === null && row.operators.some((o) => o !== null) ? { operators: row.operators } : {}),
  };
}

/**
 * The key list of `CREATE INDEX name ON table USING method (keys) [INCLUDE ...] [WHERE ...]`,
 * as pg_get_indexdef prints it, with DESC, opclasses and collations. The per-column form of
 * pg_get_indexdef drops those, so the whole definition is read instead.
 */
function keyList(definition: string, method: string): string {
  const marker = ` USING ${method} (`;
  const at = definition.indexOf(marker);
  if (at < 0) return definition;
  const open = at + marker.length - 1;
  const close = closingParen(definition, open);
  return close < 0 ? definition.slice(open + 1) : definition.slice(open + 1, close);
}

// pg_constraint.confdeltype / confupdtype
// (https://www.postgresql.org/docs/15/catalog-pg-constraint.html).
const ACTIONS: Readonly<Record<string, ReferentialAction>> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

function toForeignKey(row: ConstraintRow): ForeignKey {
  return {
    name: row.name,
    columns: row.columns,
    referencedTable: row.referenced_table ?? '',
    referencedSchema: row.referenced_schema === row.table_schema ? null : row.referenced_schema,
    referencedColumns: row.referenced_columns,
    onDelete: ACTIONS[row.on_delete] ?? 'NO ACTION',
    onUpdate: ACTIONS[row.on_update] ?? 'NO ACTION',
  };
}

