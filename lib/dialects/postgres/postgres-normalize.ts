/**
 * The canonical form of a table on PostgreSQL, applied to both sides of a comparison (the
 * models' generic form and what introspection read) so that equal schemas are deep-equal.
 * Pure: returns new objects, never touches its input. Idempotent.
 */
import type { Column, ColumnType, ForeignKey, Index, ReferentialAction, Table } from '../../../types/schema';
import { canonicalPostgresDefault } from './postgres-defaults';
import { canonicalOperatorClass } from './postgres-operator-classes';
import { canonicalPredicate } from './postgres-predicate';
import { canonicalPostgresType } from './postgres-types';

/** Sequelize's name for the enum type behind a column (`pgEnumName` in its query generator). */
export function postgresEnumName(table: string, column: string): string {
  return `enum_${table}_${column}`;
}

export function normalizePostgresTable(table: Table): Table {
  const schema = defaultSchema(table.schema);
  const primaryKey = [...table.primaryKey];
  return {
    name: table.name,
    schema,
    columns: table.columns.map((c) => normalizeColumn(c, table.name, primaryKey.includes(c.name))),
    primaryKey,
    indexes: table.indexes.map(normalizeIndex).sort(byColumnsThenName),
    foreignKeys: table.foreignKeys.map((fk) => normalizeForeignKey(fk, schema)).sort(byColumnsThenName),
    comment: emptyToNull(table.comment),
  };
}

/** `public` is where unqualified tables live: the same as no schema. */
function defaultSchema(schema: string | null): string | null {
  return schema === null || schema === 'public' ? null : schema;
}

function normalizeColumn(column: Column, table: string, inPrimaryKey: boolean): Column {
  const type = withEnumName(canonicalPostgresType(column.type), table, column.name);
  const { defaultValue, sequence } = canonicalPostgresDefault(column.defaultValue, type);
  const autoIncrement = column.autoIncrement || sequence;
  return {
    name: column.name,
    type,
    // PRIMARY KEY implies NOT NULL (https://www.postgresql.org/docs/15/ddl-constraints.html).
    allowNull: inPrimaryKey ? false : column.allowNull,
    // A serial column's default is its sequence, which models never spell out.
    defaultValue: autoIncrement ? null : defaultValue,
    autoIncrement,
    // COMMENT ... IS '' removes the comment (https://www.postgresql.org/docs/15/sql-comment.html).
    comment: emptyToNull(column.comment),
  };
}

/** An ENUM (or ARRAY of ENUM) without a type name gets the one Sequelize gives it. */
function withEnumName(type: ColumnType, table: string, column: string): ColumnType {
  if (type.name === 'ENUM' && (type.enumName ?? null) === null) {
    return { ...type, enumName: postgresEnumName(table, column) };
  }
  if (type.name === 'ARRAY' && type.element) {
    const element = withEnumName(type.element, table, column);
    return element === type.element ? type : { ...type, element };
  }
  return type;
}

function normalizeIndex(index: Index): Index {
  const using = index.using ? index.using.toLowerCase() : null;
  const operators = (index.operators ?? []).map(canonicalOperatorClass);
  return {
    name: index.name,
    columns: [...index.columns],
    unique: index.unique,
    origin: index.origin,
    expression: index.expression ?? null,
    where: index.where ? canonicalPredicate(index.where) : null,
    // btree is what CREATE INDEX uses without USING.
    using: using === 'btree' ? null : using,
    ...(operators.some((operator) => operator !== null) ? { operators } : {}),
  };
}

function normalizeForeignKey(fk: ForeignKey, tableSchema: string | null): ForeignKey {
  // No schema means the table's own (Sequelize qualifies a bare `references.model` with the
  // table's schema), and the table's own is written as no schema.
  const own = tableSchema ?? 'public';
  const referenced = fk.referencedSchema ?? own;
  return {
    name: fk.name,
    columns: [...fk.columns],
    referencedTable: fk.referencedTable,
    referencedSchema: referenced === own ? null : referenced,
    referencedColumns: [...fk.referencedColumns],
    onDelete: normalizeAction(fk.onDelete),
    onUpdate: normalizeAction(fk.onUpdate),
  };
}

/**
 * PostgreSQL keeps RESTRICT and NO ACTION apart (NO ACTION can be deferred), so they stay
 * distinct here; only the spelling is made canonical.
 */
function normalizeAction(action: ReferentialAction): ReferentialAction {
  const spelled = action.toUpperCase().replace(/\s+/g, ' ').trim();
  switch (spelled) {
    case 'CASCADE':
    case 'SET NULL':
    case 'SET DEFAULT':
    case 'RESTRICT':
    case 'NO ACTION':
      return spelled;
    default:
      return 'NO ACTION';
  }
}

/** Stable order: by columns, then name (then what still tells two indexes apart). */
function byColumnsThenName(a: Index | ForeignKey, b: Index | ForeignKey): number {
  return (
    compareText(a.columns.join(','), b.columns.join(',')) ||
    compareText(a.name ?? '', b.name ?? '') ||
    compareText(JSON.stringify(a), JSON.stringify(b))
  );
}

/** Code-point order, independent of any collation. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function emptyToNull(text: string | null): string | null {
  return text === null || text === '' ? null : text;
}
