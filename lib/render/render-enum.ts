import type { EnumType } from '../../types/schema';
import type { RenderContext } from './render-column';
import { quoteIdentifier, rulesOf, sqlString } from './quote-sql';
import { arr, call, comment, obj, raw, sqlText, statement, str, type Line } from './source-writer';

/**
 * PostgreSQL enum types. QueryInterface has no public way to create a type or add a value, so
 * these are plain SQL. createTable and addColumn find a type created here under
 * Sequelize's name (`enum_<table>_<column>`) and use it instead of creating their own.
 */
export function renderCreateEnum(type: EnumType, ctx: RenderContext): Line[] {
  const values = type.values.map((v) => sqlString(ctx.dialect, v)).join(', ');
  return onEnumDialect([statement(call('queryInterface.sequelize.query', [sqlText(`CREATE TYPE ${enumName(type, ctx)} AS ENUM (${values})`)]))], ctx);
}

/**
 * Enum types are PostgreSQL's alone (the dialects with `capabilities.enumTypes`): elsewhere the
 * ENUM lives in the column (Sequelize writes TEXT on SQLite, an inline ENUM on MySQL), so the
 * statement is skipped and the migration applies unchanged on the other dialects.
 */
function onEnumDialect(body: readonly Line[], ctx: RenderContext): Line[] {
  return [{ kind: 'if', branches: [{ condition: rulesOf(ctx.dialect).runsHere, body }] }];
}

/**
 * SQL rather than `queryInterface.dropEnum`, which only PostgreSQL's QueryInterface has (a
 * TypeScript migration would not compile) and which cannot name a schema. IF EXISTS: Sequelize's
 * PostgreSQL dropTable already drops the enum types of a model registered under that table name.
 */
export function renderDropEnum(type: EnumType, ctx: RenderContext): Line[] {
  return onEnumDialect([statement(call('queryInterface.sequelize.query', [sqlText(`DROP TYPE IF EXISTS ${enumName(type, ctx)}`)]))], ctx);
}

/** The enum type of a renamed column or table keeps following Sequelize's naming. */
export function renderRenameEnum(type: EnumType, to: string, ctx: RenderContext): Line[] {
  const sql = `ALTER TYPE ${enumName(type, ctx)} RENAME TO ${quoteIdentifier(ctx.dialect, to)}`;
  return onEnumDialect([statement(call('queryInterface.sequelize.query', [sqlText(sql)]))], ctx);
}

/**
 * One ALTER TYPE per value, each placed where the models declare it. A value added first goes
 * BEFORE the first value the type already has. IF NOT EXISTS: upgrade, downgrade, upgrade (and a
 * type some other migration already extended) runs again without "enum label already exists".
 */
export function renderAddEnumValues(
  type: EnumType,
  values: readonly { readonly value: string; readonly after: string | null }[],
  ctx: RenderContext,
): Line[] {
  const added = new Set(values.map((v) => v.value));
  const firstExisting = type.values.find((v) => !added.has(v));
  const comments: Line[] = comment(
    'PostgreSQL 12+ adds enum values inside a transaction, but a new value\n' +
      'cannot be used before the transaction commits: use it in a later\n' +
      'migration (https://www.postgresql.org/docs/current/sql-altertype.html).',
  );
  const lines: Line[] = [];
  for (const { value, after } of values) {
    let position = '';
    if (after !== null) position = ` AFTER ${sqlString(ctx.dialect, after)}`;
    else if (firstExisting !== undefined) position = ` BEFORE ${sqlString(ctx.dialect, firstExisting)}`;
    const sql = `ALTER TYPE ${enumName(type, ctx)} ADD VALUE IF NOT EXISTS ${sqlString(ctx.dialect, value)}${position}`;
    lines.push(statement(call('queryInterface.sequelize.query', [sqlText(sql)])));
  }
  return [...comments, ...onEnumDialect(lines, ctx)];
}

function enumName(type: EnumType, ctx: RenderContext): string {
  const name = quoteIdentifier(ctx.dialect, type.name);
  return type.schema === null ? name : `${quoteIdentifier(ctx.dialect, type.schema)}.${name}`;
}

/**
 * The library's helper, loaded by the migration when it runs: PostgreSQL has no ALTER TYPE ...
 * DROP VALUE, so the type is created again without the values and its columns cast back.
 */
export function renderRemoveEnumValues(type: EnumType, values: readonly string[]): Line[] {
  const spec = obj([
    ['type', str(type.name)],
    ...(type.schema === null ? [] : [['schema', str(type.schema)] as const]),
    ['values', arr(values.map(str))],
  ]);
  return [
    ...comment(
      `Remove ${values.join(', ')} from ${type.name}: the type is created again without\n` +
        'them and its columns cast back; refused (E_ENUM_VALUE_IN_USE) while rows hold them.',
    ),
    statement(call("(await import('sequelize-automigrate')).removeEnumValues", [raw('queryInterface'), spec])),
  ];
}
