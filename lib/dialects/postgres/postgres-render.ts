import type { RenderRules } from '../render-rules';
import { runsOn } from '../runs-on';

/** How a generated migration does things on PostgreSQL. */
export const postgresRenderRules: RenderRules = {
  runsHere: runsOn('postgres'),
  nowSql: () => 'CURRENT_TIMESTAMP',
  booleanSql: (value) => (value ? 'true' : 'false'),
  // PostgreSQL's unbounded `character varying`: Sequelize.STRING would become VARCHAR(255).
  unboundedString: 'VARCHAR',
  dropColumnBySql: false,
  // Sequelize appends the ENUM cast (`USING (...)`) after `COMMENT ON COLUMN ... IS '...'` when an
  // attribute has both, a syntax error; and changeColumn can never clear a comment.
  separateColumnComment: true,
  serialSequences: true,
  uniqueConstraintsAsIndexes: false,
  constraintIndexPrefix: null,
  foreignKeyNames: true,
  uniqueKeysNamed: false,
  indexTypes: new Set(),
  tableCommentSql: (table, text) => `COMMENT ON TABLE ${table} IS ${text}`,
  dropTableNeedsOptions: true,
  // PostgreSQL names an unnamed PRIMARY KEY constraint `<table>_pkey`
  // (https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-PRIMARY-KEYS).
  dropPrimaryKeySql: (table) => `DROP CONSTRAINT "${`${table}_pkey`.replace(/"/g, '""')}"`,
};
