export { createMigrator, historyStorage } from './migrator';
export type { HistoryStorageOptions } from './runner/umzug-storage';
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
  StepCountError,
  LockTimeoutError,
  LockError,
  MigrationFailedError,
  IncompleteMigrationError,
  HistoryTableError,
  ConnectionError,
  DriftError,
  NotAtHeadError,
  StaleIndexError,
  UnsupportedError,
} from './errors';
export type * from '../types';
