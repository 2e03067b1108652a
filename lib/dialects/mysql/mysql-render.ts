import type { RenderRules } from '../render-rules';
import { runsOn } from '../runs-on';

/** How a generated migration does things on MySQL and MariaDB. */
export const mysqlRenderRules: RenderRules = {
  runsHere: runsOn('mysql', 'mariadb'),
  // MySQL and MariaDB refuse `DATETIME(3) DEFAULT CURRENT_TIMESTAMP`: the default's precision must
  // match the column's (https://dev.mysql.com/doc/refman/8.0/en/timestamp-initialization.html).
  nowSql: (precision) => (precision ? `CURRENT_TIMESTAMP(${precision})` : 'CURRENT_TIMESTAMP'),
  booleanSql: (value) => (value ? '1' : '0'),
  unboundedString: null,
  dropColumnBySql: false,
  separateColumnComment: false,
  serialSequences: false,
  uniqueConstraintsAsIndexes: false,
  constraintIndexPrefix: null,
  foreignKeyNames: true,
  // MySQL names the index after the `uniqueKeys` key; PostgreSQL and SQLite let the database name it.
  uniqueKeysNamed: true,
  // MySQL spells these index kinds `FULLTEXT INDEX`, which Sequelize takes as `type`, not `using`.
  indexTypes: new Set(['FULLTEXT', 'SPATIAL']),
  tableCommentSql: (table, text) => `ALTER TABLE ${table} COMMENT = ${text}`,
  dropTableNeedsOptions: false,
  dropPrimaryKeySql: () => 'DROP PRIMARY KEY',
};
