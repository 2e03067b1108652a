/**
 * What a generated migration writes differently per dialect: quoting, a few SQL spellings, and
 * which QueryInterface call (or raw statement) does a job there. Pure and synchronous; the render
 * step asks these instead of comparing dialect names.
 */
export interface RenderRules {
  /**
   * JavaScript source of a condition, in a generated migration, true when the migration runs on
   * this dialect: `queryInterface.sequelize.getDialect() === 'sqlite'`.
   */
  readonly runsHere: string;
  /** The SQL of "now" as the default of a DATE column of `precision` fractional digits (null: none). */
  nowSql(precision: number | null): string;
  /** A boolean in raw SQL (the copy step of a rebuild). */
  booleanSql(value: boolean): string;
  /** STRING without a length as the database's unbounded type (`VARCHAR`); null: Sequelize's STRING. */
  readonly unboundedString: string | null;
  /** removeColumn as a plain `ALTER TABLE ... DROP COLUMN` (QueryInterface's copies the table). */
  readonly dropColumnBySql: boolean;
  /** A column comment change is its own `COMMENT ON COLUMN` statement, not part of changeColumn. */
  readonly separateColumnComment: boolean;
  /** Auto-increment is a sequence of the column's own (`<table>_<column>_seq`), kept by changeColumn. */
  readonly serialSequences: boolean;
  /** UNIQUE constraints are unique indexes whose names the database picks (`<prefix><table>_<n>`). */
  readonly uniqueConstraintsAsIndexes: boolean;
  /** The prefix of the name the database gives the index behind a UNIQUE constraint; null: none. */
  readonly constraintIndexPrefix: string | null;
  /** The database reports foreign key names (so one declared inline would lose its name). */
  readonly foreignKeyNames: boolean;
  /** createTable's `uniqueKeys` names the index after its key (so named uniques go there). */
  readonly uniqueKeysNamed: boolean;
  /** Index kinds Sequelize takes as `type`, not `using` (MySQL's `FULLTEXT`, `SPATIAL`). */
  readonly indexTypes: ReadonlySet<string>;
  /** The statement setting a table comment, from the quoted table and text; null: not stored. */
  tableCommentSql(table: string, text: string): string | null;
  /** dropTable needs an options object, even empty (PostgreSQL, sequelize#13337). */
  readonly dropTableNeedsOptions: boolean;
  /** The ALTER TABLE clause dropping the primary key of the table named `table`. */
  dropPrimaryKeySql(table: string): string;
}
