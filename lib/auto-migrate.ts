import type { AutoMigrateOptions, AutoMigrateResult } from '../types/options';
import type { Operation } from '../types/operations';
import { DriftError, ModelConflictError, ModelNameError } from './errors';
import { createMigratorWith } from './migrator';
import { resolveOnDrift, resolveOptions } from './options';

/**
 * Boot: take the lock, apply what is pending, then compare the models with the database.
 * `onDrift`: 'warn' logs the differences, 'throw' raises DriftError, 'ignore' skips the
 * comparison (and its introspection queries); the default is 'warn', or 'ignore' under
 * NODE_ENV=production. Without models there is nothing to compare. Models that cannot be compared
 * (ModelConflictError, ModelNameError) are a warning under 'warn' and thrown under 'throw'.
 * Every option of createMigrator applies, with its default. A boot with nothing pending takes no
 * lock: one query reads the history (then the drift comparison, unless `onDrift` is 'ignore').
 *
 * @returns The migrations applied (empty at head) and the drift left (empty under 'ignore').
 * @throws OptionsError (E_OPTIONS) for a bad option; LockTimeoutError (E_LOCK_TIMEOUT), LockError
 *   (E_LOCK), ConnectionError (E_CONNECTION) while taking the lock; the history's refusals:
 *   ChecksumError (E_CHECKSUM), MissingMigrationError (E_MISSING_MIGRATION), OutOfOrderError
 *   (E_OUT_OF_ORDER), IncompleteMigrationError (E_INCOMPLETE_MIGRATION), MigrationNameError
 *   (E_MIGRATION_NAME); loading: MigrationsFolderError (E_MIGRATIONS_FOLDER), MigrationLoadError
 *   (E_MIGRATION_LOAD), MigrationShapeError (E_MIGRATION_SHAPE), DuplicateMigrationError
 *   (E_DUPLICATE_MIGRATION); running: MigrationFailedError (E_MIGRATION_FAILED, E_SELF_DEADLOCK,
 *   E_STEP_TIMEOUT), HistoryTableError (E_HISTORY_TABLE); with `onDrift: 'throw'`: DriftError
 *   (E_DRIFT), ModelConflictError (E_MODEL_CONFLICT), ModelNameError (E_MODEL_NAME).
 * @example
 * // At application start, before serving requests:
 * const sequelize = new Sequelize(process.env.DATABASE_URL);
 * defineModels(sequelize);
 * const { applied } = await autoMigrate({ sequelize, migrations: path.join(__dirname, 'migrations') });
 * console.log(`applied ${applied.length} migration(s)`);
 */
export async function autoMigrate(options: AutoMigrateOptions): Promise<AutoMigrateResult> {
  const onDrift = resolveOnDrift(options);
  const { onDrift: _ignored, ...rest } = options;
  const resolved = resolveOptions(rest, []);
  const migrator = createMigratorWith(resolved);
  const applied = await migrator.upgrade();
  if (onDrift === 'ignore' || Object.keys(resolved.sequelize.models).length === 0) return { applied, drift: [] };
  let drift: Operation[];
  try {
    drift = await migrator.diff();
  } catch (error) {
    // Models that cannot be compared at all (two models on one table, a name Sequelize cannot
    // write): 'warn' never stops a boot whose migrations applied, so it says so instead.
    if (onDrift !== 'warn' || !(error instanceof ModelConflictError || error instanceof ModelNameError)) throw error;
    resolved.logger.warn(`The models could not be compared with the database after upgrade: ${error.message}`);
    return { applied, drift: [] };
  }
  if (drift.length > 0) {
    const { describeOperation } = require('./render/describe-operation') as typeof import('./render/describe-operation');
    const lines = drift.map((op) => `  ${describeOperation(op)}`).join('\n');
    const message = `The models differ from the database after upgrade (${drift.length} difference(s)):\n${lines}\nGenerate a migration: automigrate migrate -m "..."`;
    if (onDrift === 'throw') throw new DriftError(message, drift);
    resolved.logger.warn(message);
  }
  return { applied, drift };
}
