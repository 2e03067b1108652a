import type { ModelStatic, Sequelize } from 'sequelize';
import { dialectOf } from '../dialects';
import type {
  Column,
  DialectName,
  EnumType,
  ForeignKey,
  Index,
  ReferentialAction,
  Schema,
  Table,
} from '../../types/schema';
import { assertSameTable, assertWritableNames, type ModelTable } from './model-checks';
import { columnTypeFrom, defaultValueFrom, isSequelizeMethod, type SequelizeDataType } from './model-types';
import { modelInternals, queryGeneratorOf, type QueryGeneratorInternals } from '../sequelize-internals';

/**
 * The desired side of a comparison: every model in `sequelize.models` (through-models that
 * belongsToMany creates included) as a generic Schema. No dialect knowledge beyond what the
 * schema itself holds (PostgreSQL enum types); each dialect's normalizeTable maps this and the
 * introspected side into one canonical form.
 */

/** The attribute fields read here; Sequelize's own typings keep most of them private. */
interface Attribute {
  readonly type: SequelizeDataType;
  readonly field?: string;
  readonly allowNull?: boolean;
  readonly primaryKey?: boolean;
  readonly autoIncrement?: boolean;
  readonly defaultValue?: unknown;
  readonly comment?: string;
  readonly unique?: boolean | string | { readonly name?: string };
  readonly references?: { readonly model?: unknown; readonly key?: string };
  readonly onDelete?: string;
  readonly onUpdate?: string;
}

/** An entry of Model._indexes: options.indexes after Utils.nameIndex and _conformIndex. */
interface ModelIndex {
  readonly name?: string;
  readonly fields: readonly unknown[];
  readonly unique?: boolean;
  readonly type?: string;
  readonly using?: string;
  readonly where?: unknown;
  /** Sequelize's index-wide operator class, for fields that name none. */
  readonly operator?: string;
}

interface ModelInternals {
  readonly tableName: string;
  readonly options: { readonly schema?: string; readonly comment?: string };
  readonly _indexes?: readonly ModelIndex[];
  getAttributes(): Record<string, Attribute>;
}

interface Context {
  readonly dialect: DialectName;
  /** Enums are named types of their own (PostgreSQL). */
  readonly enumTypes: boolean;
  readonly queryGenerator: QueryGeneratorInternals;
}

/**
 * @throws ModelNameError for a name Sequelize cannot write on the dialect, ModelConflictError for
 * two models that describe one table differently (lib/schema/model-checks.ts).
 */
export function schemaFromModels(sequelize: Sequelize): Schema {
  // Throws UnsupportedError for a dialect this library does not support.
  const dialect = dialectOf(sequelize);
  const context: Context = {
    dialect: dialect.name,
    enumTypes: dialect.capabilities.enumTypes,
    queryGenerator: queryGeneratorOf(sequelize),
  };
  const quote = (name: string) => context.queryGenerator.quoteIdentifier(name, true);
  const tables: Table[] = [];
  const seen = new Map<string, ModelTable>();
  for (const model of Object.values(sequelize.models) as ModelStatic<any>[]) {
    const described: ModelTable = { model: model.name, table: tableFromModel(modelInternals<ModelInternals>(model), context) };
    assertWritableNames(described, quote);
    const key = `${described.table.schema ?? ''}.${described.table.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      assertSameTable(first, described);
      continue;
    }
    seen.set(key, described);
    tables.push(described.table);
  }
  return { dialect: context.dialect, tables, enums: context.enumTypes ? enumsOf(tables) : [] };
}

function tableFromModel(model: ModelInternals, context: Context): Table {
  const name = model.tableName;
  const schema = model.options.schema ?? null;
  const attributes = Object.entries(model.getAttributes()).filter(([, attribute]) => attribute.type.key !== 'VIRTUAL');
  const fieldOf = (attributeName: string): string => model.getAttributes()[attributeName]?.field ?? attributeName;
  const enumTable = context.enumTypes ? name : null;
  const columns = attributes.map(([attributeName, attribute]) =>
    columnFromAttribute(attribute, fieldOf(attributeName), enumTable),
  );
  const primaryKey = attributes
    .filter(([, attribute]) => attribute.primaryKey === true)
    .map(([attributeName]) => fieldOf(attributeName));
  const columnNames = new Set(columns.map((column) => column.name));
  const toColumn = (field: string): string => (columnNames.has(field) ? field : fieldOf(field));
  return {
    name,
    schema,
    columns,
    primaryKey,
    indexes: [
      ...uniqueConstraints(name, attributes, fieldOf),
      ...(model._indexes ?? []).map((index) => indexFromModel(index, toColumn, context)),
    ],
    foreignKeys: attributes.flatMap(([attributeName, attribute]) => {
      const foreignKey = foreignKeyFrom(attribute, fieldOf(attributeName));
      return foreignKey === null ? [] : [foreignKey];
    }),
    comment: model.options.comment ?? null,
  };
}

function columnFromAttribute(attribute: Attribute, name: string, enumTable: string | null): Column {
  const primaryKey = attribute.primaryKey === true;
  return {
    name,
    type: columnTypeFrom(attribute.type, { enumTable, column: name }),
    allowNull: primaryKey ? false : attribute.allowNull !== false,
    defaultValue: defaultValueFrom(attribute.defaultValue),
    autoIncrement: attribute.autoIncrement === true,
    comment: typeof attribute.comment === 'string' ? attribute.comment : null,
  };
}

/**
 * `unique: true`, `unique: 'name'` and `unique: { name }` attributes, grouped by name as
 * Model.refreshAttributes groups them into uniqueKeys. Names Sequelize invents
 * (`<table>_<attr>_unique`, belongsToMany's `<through>_<fk>_<otherKey>_unique`) never reach the
 * database on PostgreSQL and SQLite, which name the constraint themselves: they become null so
 * the differ matches the constraint by its columns.
 */
function uniqueConstraints(
  tableName: string,
  attributes: readonly (readonly [string, Attribute])[],
  fieldOf: (attributeName: string) => string,
): Index[] {
  const groups = new Map<string, string[]>();
  for (const [attributeName, attribute] of attributes) {
    const unique = attribute.unique;
    if (unique === undefined || unique === false) continue;
    const name =
      typeof unique === 'string'
        ? unique
        : typeof unique === 'object' && unique.name !== undefined
          ? unique.name
          : `${tableName}_${attributeName}_unique`;
    groups.set(name, [...(groups.get(name) ?? []), attributeName]);
  }
  return [...groups].map(([name, attributeNames]) => ({
    name: name === `${tableName}_${attributeNames.join('_')}_unique` ? null : name,
    columns: attributeNames.map(fieldOf),
    unique: true,
    origin: 'constraint',
  }));
}

function indexFromModel(index: ModelIndex, toColumn: (field: string) => string, context: Context): Index {
  const columns: string[] = [];
  const operators: (string | null)[] = [];
  const expressions: string[] = [];
  for (const field of index.fields) {
    if (isSequelizeMethod(field)) {
      expressions.push(context.queryGenerator.handleSequelizeMethod(field));
    } else if (typeof field === 'string') {
      columns.push(toColumn(field));
      operators.push(index.operator ?? null);
    } else if (typeof field === 'object' && field !== null) {
      const { name, attribute, operator } = field as { name?: string; attribute?: string; operator?: string };
      const column = attribute ?? name;
      if (column !== undefined) {
        columns.push(toColumn(column));
        // As Sequelize's addIndexQuery: the field's operator class, else the index's.
        operators.push(operator ?? index.operator ?? null);
      }
    }
  }
  // MySQL's FULLTEXT / SPATIAL come in `type`; PostgreSQL's gin / gist in `using`.
  const method = index.using ?? (index.type ? index.type : undefined);
  return {
    name: index.name ?? null,
    columns: expressions.length > 0 ? [] : columns,
    unique: index.unique === true,
    origin: 'index',
    ...(expressions.length > 0 ? { expression: expressions.join(', ') } : {}),
    where: renderWhere(index.where, context),
    using: method === undefined ? null : method,
    // Only PostgreSQL writes operator classes; the other dialects' normalisation drops them.
    ...(expressions.length === 0 && operators.some((operator) => operator !== null) ? { operators } : {}),
  };
}

function renderWhere(where: unknown, context: Context): string | null {
  if (where === undefined || where === null) return null;
  if (typeof where === 'string') return where;
  const sql = context.queryGenerator.whereQuery(where);
  return sql.replace(/^\s*WHERE\s+/i, '') || null;
}

const ACTIONS: readonly ReferentialAction[] = ['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION'];

function referentialAction(value: string | undefined): ReferentialAction {
  const upper = (value ?? '').trim().toUpperCase().replace(/\s+/g, ' ');
  return (ACTIONS as readonly string[]).includes(upper) ? (upper as ReferentialAction) : 'NO ACTION';
}

/**
 * `references.model` is a table name, or what Model.getTableName() returns for a model with a
 * schema: `{ tableName, schema }` (associations to a model in a schema). A bare name: null.
 */
function foreignKeyFrom(attribute: Attribute, column: string): ForeignKey | null {
  const references = attribute.references;
  if (references === undefined || references.model === undefined || references.model === null) return null;
  const model = references.model as string | { tableName?: string; schema?: string };
  const referencedTable = typeof model === 'string' ? model : model.tableName;
  if (referencedTable === undefined) return null;
  const referencedSchema = typeof model === 'string' ? null : (model.schema ?? null);
  return {
    name: null,
    columns: [column],
    referencedTable,
    referencedSchema,
    referencedColumns: [references.key ?? 'id'],
    onDelete: referentialAction(attribute.onDelete),
    onUpdate: referentialAction(attribute.onUpdate),
  };
}

/** PostgreSQL: one enum type per ENUM column (and ARRAY of ENUM), named by the column type. */
function enumsOf(tables: readonly Table[]): EnumType[] {
  const enums = new Map<string, EnumType>();
  for (const table of tables) {
    for (const column of table.columns) {
      const type = column.type.name === 'ARRAY' ? column.type.element : column.type;
      if (type?.name !== 'ENUM' || !type.enumName) continue;
      const key = `${table.schema ?? ''}.${type.enumName}`;
      if (!enums.has(key)) enums.set(key, { name: type.enumName, schema: table.schema, values: type.values ?? [] });
    }
  }
  return [...enums.values()];
}
