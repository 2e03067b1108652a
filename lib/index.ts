export { createMigrator } from './migrator';
export { autoMigrate } from './auto-migrate';
export {
  MigrationError,
  OptionsError,
  MigrationsFolderError,
  MigrationLoadError,
  MigrationShapeError,
  DuplicateMigrationError,
  UnknownTargetError,
  ChecksumError,
  MissingMigrationError,
  OutOfOrderError,
  NoDownError,
  LockTimeoutError,
  LockError,
  MigrationFailedError,
  IncompleteMigrationError,
  HistoryTableError,
  ConnectionError,
  DriftError,
  NotAtHeadError,
  RenameError,
  DataLossError,
  StaleIndexError,
  UnsupportedError,
} from './errors';
export type * from '../types';
