import type { ColumnType, DialectName, TableRef } from '../../types/schema';
import { dialectNamed } from '../dialects';
import { rulesOf } from './quote-sql';
import { quoteString, raw, str, type Code } from './source-writer';
import { assertNever } from '../errors';

/** Where a type is rendered: the PostgreSQL enum naming depends on the table and column. */
export interface TypeContext {
  readonly dialect: DialectName;
  readonly table: TableRef;
  readonly column: string;
}

/**
 * ColumnType -> `Sequelize.STRING(255)`. The second argument of a sequelize-cli migration is the
 * Sequelize class, which carries every DataType, so the generated file needs no import.
 * What Sequelize cannot express becomes the database's own spelling as a string: QueryInterface
 * accepts a string as a type and puts it in the DDL as is.
 */
export function renderType(type: ColumnType, ctx: TypeContext): Code {
  const rawSql = rawTypeSql(type, ctx);
  if (rawSql !== null) return str(rawSql);
  return raw(sequelizeType(type));
}

/** Non-null when the type must be given to Sequelize as SQL text. */
function rawTypeSql(type: ColumnType, ctx: TypeContext): string | null {
  switch (type.name) {
    case 'RAW':
      return type.raw ?? '';
    case 'STRING':
      // The dialect's unbounded string type, where Sequelize.STRING would become VARCHAR(255).
      return type.length == null ? rulesOf(ctx.dialect).unboundedString : null;
    case 'ENUM':
      return customEnumName(type, ctx);
    case 'ARRAY': {
      if (!type.element) return null;
      const element = rawTypeSql(type.element, ctx);
      return element === null ? null : `${element}[]`;
    }
    default:
      return null;
  }
}

/**
 * Sequelize names a PostgreSQL enum `enum_<table>_<column>` and creates it itself; an enum type
 * with any other name is referenced by name, quoted (it was created by a createEnum step).
 */
function customEnumName(type: ColumnType, ctx: TypeContext): string | null {
  if (!dialectNamed(ctx.dialect).capabilities.enumTypes || !type.enumName) return null;
  if (type.enumName === defaultEnumName(ctx.table.name, ctx.column)) return null;
  const name = quotePgIdentifier(type.enumName);
  return ctx.table.schema ? `${quotePgIdentifier(ctx.table.schema)}.${name}` : name;
}

/** Sequelize's own name for a PostgreSQL enum type (Utils.generateEnumName). */
export function defaultEnumName(table: string, column: string): string {
  return `enum_${table}_${column}`;
}

export function quotePgIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function sequelizeType(type: ColumnType): string {
  switch (type.name) {
    case 'STRING':
    case 'CHAR':
      return withArgs(type.name, [type.length]);
    case 'TEXT':
    case 'BLOB':
      return type.variant ? `Sequelize.${type.name}(${quoteString(type.variant)})` : `Sequelize.${type.name}`;
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'REAL':
      return unsigned(`Sequelize.${type.name}`, type);
    case 'FLOAT':
    case 'DOUBLE':
    case 'DECIMAL':
      return unsigned(withArgs(type.name, precisionArgs(type)), type);
    case 'DATE':
      return withArgs('DATE', [type.precision]);
    case 'ENUM':
      return `Sequelize.ENUM(${(type.values ?? []).map(quoteString).join(', ')})`;
    case 'ARRAY':
      return type.element ? `Sequelize.ARRAY(${sequelizeType(type.element)})` : 'Sequelize.ARRAY';
    case 'RAW':
      return quoteString(type.raw ?? '');
    case 'CITEXT':
    case 'BOOLEAN':
    case 'DATEONLY':
    case 'TIME':
    case 'UUID':
    case 'JSON':
    case 'JSONB':
    case 'INET':
      return `Sequelize.${type.name}`;
    default:
      return assertNever(type.name);
  }
}

function precisionArgs(type: ColumnType): (number | null | undefined)[] {
  if (type.precision == null) return [];
  return type.scale == null ? [type.precision] : [type.precision, type.scale];
}

function withArgs(name: string, args: readonly (number | null | undefined)[]): string {
  const given = args.filter((a): a is number => a != null);
  return given.length === 0 ? `Sequelize.${name}` : `Sequelize.${name}(${given.join(', ')})`;
}

function unsigned(source: string, type: ColumnType): string {
  return type.unsigned ? `${source}.UNSIGNED` : source;
}
