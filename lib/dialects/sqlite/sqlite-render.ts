import type { RenderRules } from '../render-rules';
import { runsOn } from '../runs-on';

/** How a generated migration does things on SQLite. */
export const sqliteRenderRules: RenderRules = {
  runsHere: runsOn('sqlite'),
  nowSql: () => 'CURRENT_TIMESTAMP',
  // SQLite stores booleans as 1/0 (https://www.sqlite.org/datatype3.html#boolean_datatype).
  booleanSql: (value) => (value ? '1' : '0'),
  unboundedString: null,
  // Sequelize's SQLite removeColumn copies the table and loses its indexes; SQLite 3.35+ drops the
  // column in place (https://www.sqlite.org/lang_altertable.html#altertabdropcol).
  dropColumnBySql: true,
  separateColumnComment: false,
  serialSequences: false,
  // SQLite's constraint indexes are all `sqlite_autoindex_<table>_<n>`: the name cannot be chosen,
  // and addConstraint copies the table through describeTable, losing every index on it.
  uniqueConstraintsAsIndexes: true,
  constraintIndexPrefix: 'sqlite_autoindex_',
  foreignKeyNames: false,
  uniqueKeysNamed: false,
  indexTypes: new Set(),
  tableCommentSql: () => null,
  dropTableNeedsOptions: false,
  dropPrimaryKeySql: () => 'DROP PRIMARY KEY',
};
