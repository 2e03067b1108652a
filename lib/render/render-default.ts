import type { ColumnType, DefaultValue, DialectName } from '../../types/schema';
import { rulesOf, sqlString } from './quote-sql';
import { call, jsonValue, raw, sqlText, str, type Code } from './source-writer';
import { assertNever } from '../errors';

/**
 * DefaultValue -> source for an attribute's `defaultValue`. Server-side expressions go through
 * `Sequelize.literal`, so Sequelize puts them in the DDL unescaped.
 */
export function renderDefault(value: DefaultValue, type: ColumnType, dialect: DialectName): Code {
  switch (value.kind) {
    case 'value':
      return renderValue(value.value, type);
    case 'now':
      return literal(nowSql(type, dialect));
    case 'sql':
      return literal(value.sql);
    default:
      return assertNever(value);
  }
}

function literal(sql: string): Code {
  return call('Sequelize.literal', [sqlText(sql)]);
}

function renderValue(value: string | number | boolean, type: ColumnType): Code {
  if (typeof value !== 'string') return raw(String(value));
  // Sequelize JSON.stringify()s a JSON column's default itself: hand it the parsed value, or a
  // string default would be stored double-encoded. An ARRAY's default is a JavaScript array too.
  if (type.name === 'JSON' || type.name === 'JSONB' || type.name === 'ARRAY') {
    const parsed = parseJson(value);
    if (parsed !== undefined) return jsonValue(parsed);
  }
  return str(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The dialect's "now", at the column's precision where the dialect needs it. */
function nowSql(type: ColumnType, dialect: DialectName): string {
  return rulesOf(dialect).nowSql(type.name === 'DATE' ? (type.precision ?? null) : null);
}

/** The default as SQL text, for raw statements (the copy step of a SQLite rebuild). */
export function defaultSql(value: DefaultValue, type: ColumnType, dialect: DialectName): string {
  switch (value.kind) {
    case 'value':
      if (typeof value.value === 'string') return sqlString(dialect, value.value);
      if (typeof value.value === 'boolean') return rulesOf(dialect).booleanSql(value.value);
      return String(value.value);
    case 'now':
      return nowSql(type, dialect);
    case 'sql':
      return value.sql;
    default:
      return assertNever(value);
  }
}
