export { createMigrator } from './migrator';
export { autoMigrate } from './auto-migrate';
export {
  MigrationError,
  OptionsError,
  MigrationsFolderError,
  MigrationLoadError,
  MigrationShapeError,
  DuplicateMigrationError,
  MigrationNameError,
  UnknownTargetError,
  ChecksumError,
  MissingMigrationError,
  OutOfOrderError,
  NoDownError,
  LockTimeoutError,
  LockError,
  MigrationFailedError,
  SelfDeadlockError,
  StepTimeoutError,
  IncompleteMigrationError,
  HistoryTableError,
  ConnectionError,
  DriftError,
  NotAtHeadError,
  StaleIndexError,
  UnsupportedError,
} from './errors';
export type * from '../types';
