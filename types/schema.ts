/**
 * The normalised description of a database schema. Both sides of a comparison become one of
 * these: the Sequelize models (lib/schema) and the live database (lib/dialects/<d>/*-introspect).
 * Plain read-only data: no methods, no Sequelize objects, safe to serialise and to compare.
 */

export type DialectName = 'sqlite' | 'mysql' | 'mariadb' | 'postgres';

/** Sequelize's DataTypes keys, plus RAW for a type we can only carry as the database's own text. */
export type TypeName =
  | 'STRING'
  | 'CHAR'
  | 'TEXT'
  | 'CITEXT'
  | 'TINYINT'
  | 'SMALLINT'
  | 'MEDIUMINT'
  | 'INTEGER'
  | 'BIGINT'
  | 'FLOAT'
  | 'REAL'
  | 'DOUBLE'
  | 'DECIMAL'
  | 'BOOLEAN'
  | 'DATE'
  | 'DATEONLY'
  | 'TIME'
  | 'UUID'
  | 'JSON'
  | 'JSONB'
  | 'BLOB'
  | 'ENUM'
  | 'INET'
  | 'ARRAY'
  | 'RAW';

/** A column's type as the differ compares it: Sequelize's type name with its parameters, the same from models and from the database. */
export interface ColumnType {
  readonly name: TypeName;
  /** STRING/CHAR length; null where the type has none or the database does not report one. */
  readonly length?: number | null;
  /** DECIMAL/FLOAT/DOUBLE precision, DATE fractional-second precision. */
  readonly precision?: number | null;
  readonly scale?: number | null;
  readonly unsigned?: boolean;
  /** TEXT/BLOB size variant on MySQL: 'tiny' | 'medium' | 'long'. */
  readonly variant?: string | null;
  /** ENUM values, in declaration order. */
  readonly values?: readonly string[];
  /** PostgreSQL ENUM: the name of the type behind the column (`enum_<table>_<column>` by default). */
  readonly enumName?: string | null;
  /** ARRAY element type. */
  readonly element?: ColumnType;
  /** RAW: the database's own spelling of the type (e.g. `tsvector`). */
  readonly raw?: string;
}

/**
 * A server-side default. JavaScript-side defaults (Sequelize's UUIDV4, NOW evaluated in Node,
 * functions) are not server defaults and never appear here.
 */
export type DefaultValue =
  | { readonly kind: 'value'; readonly value: string | number | boolean }
  /** CURRENT_TIMESTAMP / now() / datetime('now'): the dialect's "now". */
  | { readonly kind: 'now' }
  /** Any other SQL expression, in the database's spelling, compared after normalisation. */
  | { readonly kind: 'sql'; readonly sql: string };

/** One column of a table: type, nullability, server default, auto-increment and comment. */
export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly allowNull: boolean;
  readonly defaultValue: DefaultValue | null;
  readonly autoIncrement: boolean;
  readonly comment: string | null;
}

/** An index or UNIQUE constraint, by its columns (or expression), uniqueness, predicate and method. */
export interface Index {
  /** Null on the model side when Sequelize or the database picks the name (`unique: true`). */
  readonly name: string | null;
  /** Column names, in index order. Empty for an expression index. */
  readonly columns: readonly string[];
  readonly unique: boolean;
  /** 'constraint' for a UNIQUE constraint (dropped with ALTER TABLE), 'index' for CREATE INDEX. */
  readonly origin: 'index' | 'constraint';
  /** An expression index (`lower(email)`): reported, never crashes, compared by name only. */
  readonly expression?: string | null;
  /** A partial index's predicate, as the database spells it. */
  readonly where?: string | null;
  /** Index method where it is not the default (PostgreSQL `gin`, MySQL `FULLTEXT`). */
  readonly using?: string | null;
  /**
   * PostgreSQL operator classes (`gin_trgm_ops`, `text_pattern_ops`), one per entry of `columns`,
   * null where the column uses its type's default class. Absent or null when none is named.
   */
  readonly operators?: readonly (string | null)[] | null;
}

/** What a foreign key does when the referenced row is deleted or updated. */
export type ReferentialAction = 'CASCADE' | 'SET NULL' | 'SET DEFAULT' | 'RESTRICT' | 'NO ACTION';

/** A foreign key: its columns, the table and columns it references, and its actions. */
export interface ForeignKey {
  /** Null on the model side when the database picks the name. */
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly referencedTable: string;
  readonly referencedSchema: string | null;
  readonly referencedColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
}

/** One table as the differ sees it, from the models (`fromModels`) or from the database (introspection). */
export interface Table {
  readonly name: string;
  /** PostgreSQL schema; null for the default (public / the connection's database). */
  readonly schema: string | null;
  readonly columns: readonly Column[];
  /** Primary key column names, in key order; empty when the table has none. */
  readonly primaryKey: readonly string[];
  readonly indexes: readonly Index[];
  readonly foreignKeys: readonly ForeignKey[];
  readonly comment: string | null;
}

/** A PostgreSQL enum type. Other dialects keep enums inline in the column type. */
export interface EnumType {
  readonly name: string;
  readonly schema: string | null;
  readonly values: readonly string[];
}

/** The schema of one database: its tables and, on PostgreSQL, its enum types. `diff()` compares two of them. */
export interface Schema {
  readonly dialect: DialectName;
  readonly tables: readonly Table[];
  readonly enums: readonly EnumType[];
}

/** A reference to a table by name, as operations carry it. */
export interface TableRef {
  readonly name: string;
  readonly schema: string | null;
}
