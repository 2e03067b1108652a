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
