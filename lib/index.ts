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
  MigrationNameError,
  UnknownTargetError,
  AmbiguousTargetError,
  ChecksumError,
  MissingMigrationError,
  OutOfOrderError,
  NoDownError,
  StepCountError,
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
  RenameError,
  EnumValueInUseError,
  DataLossError,
  StaleIndexError,
  UnsupportedError,
  OfflineReadError,
  ModelConflictError,
  ModelNameError,
} from './errors';
export type * from '../types';

/**
 * For generated migrations (the `down` of an enum value added on PostgreSQL): removes `values`
 * from the enum type, creating it again without them and casting every column that uses it.
 * Loaded only when called, so an application's boot does not pay for it.
 * @throws EnumValueInUseError (E_ENUM_VALUE_IN_USE) while rows hold one of the values.
 * @example
 * await removeEnumValues(queryInterface, { type: 'enum_items_state', values: ['archived'] });
 */
export async function removeEnumValues(
  queryInterface: import('sequelize').QueryInterface,
  spec: import('./dialects/postgres/postgres-enum-values').RemoveEnumValuesSpec,
): Promise<void> {
  const helpers = require('./dialects/postgres/postgres-enum-values') as typeof import('./dialects/postgres/postgres-enum-values');
  await helpers.removeEnumValues(queryInterface, spec);
}

/**
 * Migrates every tenant of a fleet (databases, files or PostgreSQL schemas) to head with one set
 * of migrations, loaded once; see `lib/tenants/upgrade-all.ts`. Loaded only when called, so an
 * application's boot does not pay for it.
 * @throws OptionsError (E_OPTIONS) for bad options; the migrations' load errors before any tenant ran.
 * @example
 * const report = await upgradeAll({ tenants: ids.map((id) => ({ id, sequelize, schema: `tenant_${id}` })), migrations: 'migrations', concurrency: 4 });
 */
export function upgradeAll(options: import('../types/tenants').UpgradeAllOptions): Promise<import('../types/tenants').UpgradeAllReport> {
  return (require('./tenants/upgrade-all') as typeof import('./tenants/upgrade-all')).upgradeAll(options);
}
