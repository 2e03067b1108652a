/** Stable error codes: tests and applications match on these, never on message wording. */
export type ErrorCode =
  | 'E_OPTIONS' // unknown, mistyped or contradictory option
  | 'E_MIGRATIONS_FOLDER' // migrations folder missing or unreadable
  | 'E_MIGRATION_LOAD' // a migration file failed to load (syntax error, TypeScript without a loader)
  | 'E_MIGRATION_SHAPE' // a migration module without `up`, or with a wrong shape
  | 'E_DUPLICATE_MIGRATION' // two migrations with the same name
  | 'E_MIGRATION_NAME' // a migration name longer than the history table's `name` column holds
  | 'E_UNKNOWN_TARGET' // upgrade/downgrade/stamp target that names no migration
  | 'E_AMBIGUOUS_TARGET' // a target prefix that several migration names start with
  | 'E_CHECKSUM' // an applied migration's file changed
  | 'E_MISSING_MIGRATION' // a history row whose file is gone
  | 'E_OUT_OF_ORDER' // a pending migration older than the newest applied one
  | 'E_NO_DOWN' // downgrade through a migration that has no `down`
  | 'E_STEP_COUNT' // downgrade `step` larger than the number of applied migrations
  | 'E_LOCK_TIMEOUT' // the migration lock was not obtained in time
  | 'E_LOCK' // the lock could not be taken or released for another reason
  | 'E_MIGRATION_FAILED' // a migration threw
  | 'E_SELF_DEADLOCK' // a migration waited on a lock held by the run's own transaction (cancelled, rolled back)
  | 'E_STEP_TIMEOUT' // a migration ran longer than `stepTimeoutMs`
  | 'E_INCOMPLETE_MIGRATION' // a previous run died inside a migration on a dialect without transactional DDL
  | 'E_HISTORY_TABLE' // the history table exists with a shape we cannot use
  | 'E_CONNECTION' // the database cannot be reached
  | 'E_DRIFT' // the models and the database differ
  | 'E_NOT_AT_HEAD' // autogenerate against a database with pending migrations
  | 'E_MODEL_CONFLICT' // two models map to one table and describe it differently
  | 'E_MODEL_NAME' // a model's table, column or index name Sequelize cannot write on the dialect
  | 'E_STALE_INDEX' // the static migrations index for bundlers does not list the folder's files
  | 'E_RENAME' // a requested rename names no dropped + added column or table pair
  | 'E_ENUM_VALUE_IN_USE' // removing enum values (a down of ADD VALUE) that rows still hold
  | 'E_DATA_LOSS' // a generated migration would destroy data the database holds now
  | 'E_OFFLINE_READ' // a migration reads the database, so its SQL cannot be written offline (sql, --sql)
  | 'E_UNSUPPORTED'; // the dialect or runtime cannot do what was asked
