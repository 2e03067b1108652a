/**
 * Removing values from a PostgreSQL enum type, which ALTER TYPE cannot do
 * (https://www.postgresql.org/docs/15/sql-altertype.html): the type is renamed aside, created
 * again without the values, every column using it (or an array of it) is cast over through text
 * with its default kept, and the old type is dropped. This is the `down` of a generated
 * `ADD VALUE`, so upgrade, downgrade, upgrade works. Refused while a row holds a removed value.
 */
import { QueryTypes, type QueryInterface } from 'sequelize';
import { EnumValueInUseError } from '../../errors';

export interface RemoveEnumValuesSpec {
  /** The enum type, e.g. `enum_items_state`. */
  readonly type: string;
  /** Its schema; null or absent: the first schema of the search path. */
  readonly schema?: string | null;
  readonly values: readonly string[];
}

interface UsingColumn {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly is_array: boolean;
  readonly default: string | null;
  readonly key: string | null;
}

export async function removeEnumValues(queryInterface: QueryInterface, spec: RemoveEnumValuesSpec): Promise<void> {
  const sequelize = queryInterface.sequelize;
  // Elsewhere an ENUM lives in its column, not in a type: the migration applies there unchanged.
  if (sequelize.getDialect() !== 'postgres') return;
  const q = (name: string) => queryInterface.quoteIdentifier(name, true);
  const select = <T extends object>(sql: string, replacements: Record<string, unknown>) =>
    sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  const [type] = await select<{ oid: string; schema: string; labels: string[] }>(
    `SELECT t.oid::text AS oid, n.nspname AS schema,
            array(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typname = :name AND n.nspname = COALESCE(:schema, current_schema())`,
    { name: spec.type, schema: spec.schema ?? null },
  );
  if (type === undefined) return; // Nothing to remove from: the type is already gone.
  const removed = spec.values.filter((value) => type.labels.includes(value));
  if (removed.length === 0) return;
  const columns = await select<UsingColumn>(
    `SELECT n.nspname AS schema, c.relname AS "table", a.attname AS "column", a.atttypid <> CAST(:oid AS oid) AS is_array,
            pg_get_expr(d.adbin, d.adrelid) AS "default",
            (SELECT pa.attname FROM pg_index i JOIN pg_attribute pa ON pa.attrelid = i.indrelid AND pa.attnum = i.indkey[0]
              WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1) AS key
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE NOT a.attisdropped AND a.attnum > 0
        AND (a.atttypid = CAST(:oid AS oid) OR a.atttypid = (SELECT typarray FROM pg_type WHERE oid = CAST(:oid AS oid)))
      ORDER BY 1, 2, 3`,
    { oid: type.oid },
  );
  await refuseWhileUsed(sequelize, columns, removed, q, spec.type);
  const typeName = `${q(type.schema)}.${q(spec.type)}`;
  const aside = `${spec.type}__automigrate_old`;
  const kept = type.labels.filter((label) => !removed.includes(label)).map((label) => sequelize.escape(label));
  await sequelize.query(`ALTER TYPE ${typeName} RENAME TO ${q(aside)}`);
  await sequelize.query(`CREATE TYPE ${typeName} AS ENUM (${kept.join(', ')})`);
  for (const column of columns) {
    const table = `${q(column.schema)}.${q(column.table)}`;
    const target = column.is_array ? `${typeName}[]` : typeName;
    // A default is an expression over the old type: dropped first, then set again as it was
    // spelled (under the type's name, which now means the new type).
    if (column.default !== null) await sequelize.query(`ALTER TABLE ${table} ALTER COLUMN ${q(column.column)} DROP DEFAULT`);
    const cast = `${q(column.column)}::text${column.is_array ? '[]' : ''}::${target}`;
    await sequelize.query(`ALTER TABLE ${table} ALTER COLUMN ${q(column.column)} TYPE ${target} USING ${cast}`);
    if (column.default !== null) {
      await sequelize.query(`ALTER TABLE ${table} ALTER COLUMN ${q(column.column)} SET DEFAULT ${column.default}`);
    }
  }
  await sequelize.query(`DROP TYPE ${q(type.schema)}.${q(aside)}`);
}

async function refuseWhileUsed(
  sequelize: QueryInterface['sequelize'],
  columns: readonly UsingColumn[],
  removed: readonly string[],
  q: (name: string) => string,
  typeName: string,
): Promise<void> {
  const uses: string[] = [];
  for (const column of columns) {
    const table = `${q(column.schema)}.${q(column.table)}`;
    const holds = column.is_array
      ? `${q(column.column)}::text[] && ARRAY[:values]::text[]`
      : `${q(column.column)}::text IN (:values)`;
    const rows = await sequelize.query<{ key: unknown }>(
      `SELECT ${column.key === null ? 'NULL' : q(column.key)} AS key FROM ${table} WHERE ${holds} LIMIT 11`,
      { type: QueryTypes.SELECT, replacements: { values: removed } },
    );
    if (rows.length === 0) continue;
    const keys = column.key === null ? '' : ` (${column.key} ${rows.slice(0, 10).map((r) => String(r.key)).join(', ')}${rows.length > 10 ? ', ...' : ''})`;
    uses.push(`${column.table}.${column.column}: ${rows.length > 10 ? 'more than 10' : rows.length} row(s)${keys}`);
  }
  if (uses.length > 0) {
    throw new EnumValueInUseError(
      `Cannot remove ${removed.map((v) => `'${v}'`).join(', ')} from enum type ${typeName}: rows still hold ${removed.length === 1 ? 'it' : 'them'}:\n` +
        `${uses.map((use) => `  - ${use}`).join('\n')}\nChange or delete those rows first, then run the migration again.`,
      typeName,
      uses,
    );
  }
}
