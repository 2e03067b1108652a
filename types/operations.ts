import type { Column, EnumType, ForeignKey, Index, Table, TableRef } from './schema';

/**
 * One change that brings the database closer to the models. Every operation carries the prior
 * state it needs to be reversed (Alembic's ops.py habit), so `down` is derived, never guessed.
 * A union tagged by `kind`: every consumer ends its switch with an exhaustive `never` check.
 */
export type Operation =
  | { readonly kind: 'createTable'; readonly table: Table }
  | { readonly kind: 'dropTable'; readonly table: Table }
  | { readonly kind: 'addColumn'; readonly table: TableRef; readonly column: Column }
  | { readonly kind: 'removeColumn'; readonly table: TableRef; readonly column: Column }
  | {
      readonly kind: 'changeColumn';
      readonly table: TableRef;
      readonly from: Column;
      readonly to: Column;
    }
  | { readonly kind: 'addIndex'; readonly table: TableRef; readonly index: Index }
  | { readonly kind: 'removeIndex'; readonly table: TableRef; readonly index: Index }
  | { readonly kind: 'addForeignKey'; readonly table: TableRef; readonly foreignKey: ForeignKey }
  | { readonly kind: 'removeForeignKey'; readonly table: TableRef; readonly foreignKey: ForeignKey }
  /**
   * A primary key change, in place (ALTER TABLE ... DROP/ADD PRIMARY KEY, one statement). Where
   * ALTER TABLE cannot do it (SQLite) the differ folds it into the table's rebuildTable, and the
   * rebuild's `alter` carries it for the other dialects. An empty list: no primary key.
   */
  | {
      readonly kind: 'alterPrimaryKey';
      readonly table: TableRef;
      readonly from: readonly string[];
      readonly to: readonly string[];
    }
  /**
   * SQLite cannot ALTER most things: the table is rebuilt (create new, copy rows, drop, rename)
   * keeping every index, foreign key and row. `from` and `to` are the whole table before/after.
   */
  | {
      readonly kind: 'rebuildTable';
      readonly from: Table;
      readonly to: Table;
      /**
       * The same change as plain ALTER operations, for the dialects that have them: a rebuild
       * generated on SQLite then also applies on PostgreSQL and MySQL.
       */
      readonly alter?: readonly Operation[];
    }
  /**
   * A rename the caller decided (`generate(message, { renames })`): never guessed by the differ.
   * Runs in place on every dialect, so keys, indexes, defaults and rows stay.
   */
  | { readonly kind: 'renameTable'; readonly from: TableRef; readonly to: TableRef }
  | { readonly kind: 'renameColumn'; readonly table: TableRef; readonly from: string; readonly to: string }
  /** PostgreSQL enum types. */
  | { readonly kind: 'createEnum'; readonly enum: EnumType }
  | { readonly kind: 'dropEnum'; readonly enum: EnumType }
  | {
      readonly kind: 'addEnumValues';
      readonly enum: EnumType;
      /** The values to add, each with the value it goes after (null: first). */
      readonly values: readonly { readonly value: string; readonly after: string | null }[];
    }
  /**
   * The reverse of addEnumValues (`down` only: the differ never removes values the models dropped).
   * `enum` is the type before the removal, with the values.
   */
  | { readonly kind: 'removeEnumValues'; readonly enum: EnumType; readonly values: readonly string[] }
  /** PostgreSQL: the enum type of a renamed column or table follows Sequelize's `enum_<table>_<column>` name. */
  | { readonly kind: 'renameEnum'; readonly enum: EnumType; readonly to: string };

/** The `kind` tags of Operation: `'createTable'`, `'addColumn'`, ... */
export type OperationKind = Operation['kind'];

/**
 * A note attached to a generated operation, rendered as a comment at its spot. Used to flag a
 * drop + add of the same type in one table, which may really be a rename.
 */
export interface OperationNote {
  readonly operation: number;
  readonly text: string;
  /** A data-loss warning (rendered `WARNING (data loss):`) rather than a hint. */
  readonly warning?: boolean;
}

/**
 * One operation of a generated migration that would destroy data the database holds now, with
 * the count of rows (or values) at stake.
 */
export interface DataRisk {
  /** Index of the operation in the generated `up`. */
  readonly operation: number;
  readonly kind: 'dropTable' | 'dropColumn' | 'narrowType' | 'notNull';
  readonly table: string;
  readonly column: string | null;
  /** Rows of a dropped table, non-null values of a dropped column, values that do not fit, NULLs. */
  readonly count: number;
  /** One line for a human: `drop table users: 3 rows`. */
  readonly text: string;
}
