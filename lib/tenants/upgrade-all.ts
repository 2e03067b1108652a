/**
 * upgradeAll(): one set of migrations over a fleet of tenants (databases or PostgreSQL schemas),
 * `concurrency` at a time, every tenant's failure kept in its result (issue 20). Each tenant's
 * history is its checkpoint, so running it again resumes where a killed run stopped.
 */
import { performance } from 'node:perf_hooks';
import type { Logger, MigratorOptions, StepResult } from '../../types/options';
import type { Tenant, TenantResult, UpgradeAllOptions, UpgradeAllReport } from '../../types/tenants';
import { OptionsError } from '../errors';
import { createMigrator } from '../migrator';
import { forEachBounded } from './bounded';
import { loadFleetMigrations } from './fleet-migrations';
import { InstanceGate } from './instance-gate';


/**
 * Migrates every tenant to head. Never rejects for a tenant's failure (see the report); rejects
 * for bad options, migration files that do not load (before any tenant ran), or a `tenants`
 * iterable that throws.
 * @example
 * const report = await upgradeAll({ tenants: ids.map((id) => ({ id, sequelize, schema: `tenant_${id}` })), migrations: 'migrations', concurrency: 4 });
 */
export async function upgradeAll(options: UpgradeAllOptions): Promise<UpgradeAllReport> {
  const started = performance.now();
  const { tenants, concurrency, stopOnError, onTenant, migratorOptions } = fleetOptions(options);
  const migrations = await loadFleetMigrations(migratorOptions.migrations);
  const results: TenantResult[] = [];
  const gate = new InstanceGate();
  let stopped = false;
  await forEachBounded(tenants, concurrency, async (tenant, index) => {
    checkTenant(tenant, index);
    let result: TenantResult;
    try {
      result = stopped ? { id: tenant.id, status: 'skipped', steps: [], durationMs: 0 } : await runTenant(tenant, { ...migratorOptions, migrations }, gate);
    } finally {
      await tenant.release?.();
    }
    if (result.status === 'failed' && stopOnError) stopped = true;
    results[index] = result;
    await onTenant?.(result);
  });
  const count = (status: TenantResult['status']) => results.filter((r) => r.status === status).length;
  return {
    tenants: results,
    applied: count('applied'),
    noop: count('noop'),
    failed: count('failed'),
    skipped: count('skipped'),
    durationMs: Math.round(performance.now() - started),
  };
}

async function runTenant(tenant: Tenant, options: Omit<MigratorOptions, 'sequelize'>, gate: InstanceGate): Promise<TenantResult> {
  const leave = await gate.enter(tenant.sequelize);
  const started = performance.now();
  const steps: StepResult[] = [];
  const hooks = options.hooks;
  try {
    const migrator = createMigrator({
      ...options,
      sequelize: tenant.sequelize,
      ...(tenant.schema === undefined ? {} : { schema: tenant.schema }),
      logger: tenantLogger(options.logger, tenant.id),
      hooks: {
        ...hooks,
        afterStep: async (step) => {
          steps.push(step);
          await hooks?.afterStep?.(step);
        },
      },
    });
    await migrator.upgrade();
    return { id: tenant.id, status: steps.length > 0 ? 'applied' : 'noop', steps, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return { id: tenant.id, status: 'failed', steps, durationMs: Math.round(performance.now() - started), error: failure };
  } finally {
    leave();
  }
}

/** Each line says which tenant it is about. */
export function tenantLogger(logger: MigratorOptions['logger'], id: string): Logger | false {
  if (logger === false) return false;
  const base = logger ?? console;
  return {
    info: (m) => base.info(`[${id}] ${m}`),
    warn: (m) => base.warn(`[${id}] ${m}`),
    error: (m) => base.error(`[${id}] ${m}`),
    debug: (m) => base.debug?.(`[${id}] ${m}`),
  };
}

function checkTenant(tenant: Tenant, index: number): void {
  if (!tenant || typeof tenant !== 'object' || (typeof tenant.id !== 'string' && typeof tenant.id !== 'number') || tenant.id === '') {
    throw new OptionsError(`tenants[${index}] needs an \`id\` (a non-empty string) and a \`sequelize\` instance.`, `tenants[${index}]`);
  }
  if (!tenant.sequelize || typeof (tenant.sequelize as { getQueryInterface?: unknown }).getQueryInterface !== 'function') {
    throw new OptionsError(`Tenant "${tenant.id}" needs a \`sequelize\` instance.`, `tenants[${index}].sequelize`);
  }
}

function fleetOptions(options: UpgradeAllOptions) {
  if (!options || typeof options !== 'object') throw new OptionsError('upgradeAll needs an options object: { tenants, migrations }.');
  const { tenants, concurrency = 1, stopOnError = false, onTenant, ...migratorOptions } = options;
  for (const key of ['sequelize', 'schema']) {
    if (key in migratorOptions) {
      throw new OptionsError(`upgradeAll takes no \`${key}\`: each tenant gives its own ({ id, sequelize, schema }).`, key);
    }
  }
  const iterable = tenants as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | undefined;
  if (!iterable || (typeof iterable[Symbol.iterator] !== 'function' && typeof iterable[Symbol.asyncIterator] !== 'function')) {
    throw new OptionsError('Option `tenants` must be an array or an (async) iterable of { id, sequelize, schema? }.', 'tenants');
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new OptionsError(`Option \`concurrency\` must be a whole number of 1 or more, not ${JSON.stringify(concurrency)}.`, 'concurrency');
  }
  if (typeof stopOnError !== 'boolean') throw new OptionsError('Option `stopOnError` must be a boolean.', 'stopOnError');
  if (onTenant !== undefined && typeof onTenant !== 'function') throw new OptionsError('Option `onTenant` must be a function (result) => void.', 'onTenant');
  return { tenants, concurrency, stopOnError, onTenant, migratorOptions: migratorOptions as Omit<MigratorOptions, 'sequelize'> };
}

