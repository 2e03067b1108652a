/**
 * `status` and `check` over a fleet (the CLI's `--all-tenants`): the same bounded, lazy walk as
 * upgradeAll(), one read-only migrator call per tenant, the migrations loaded once.
 */
import type { Migrator } from '../../types/migrator';
import type { MigratorOptions } from '../../types/options';
import type { Tenant, UpgradeAllOptions } from '../../types/tenants';
import { createMigrator } from '../migrator';
import { forEachBounded } from './bounded';
import { loadFleetMigrations } from './fleet-migrations';
import { InstanceGate } from './instance-gate';
import { tenantLogger } from './upgrade-all';

/** Where one tenant stands: `interrupted` wins over `behind`, which wins over `problem`. */
export type TenantState = 'head' | 'behind' | 'interrupted' | 'problem' | 'failed';

export interface TenantStatus {
  readonly id: string;
  readonly state: TenantState;
  readonly current: string | null;
  readonly pending: number;
  /** Why `failed` (the tenant could not be read) or `problem` (what upgrade would refuse). */
  readonly error?: { readonly code: string; readonly message: string };
}

type FleetWalk = Pick<UpgradeAllOptions, 'tenants' | 'concurrency'> & Omit<MigratorOptions, 'sequelize' | 'schema'>;

/** Calls `fn` with each tenant's migrator, `concurrency` at a time, keeping the results in tenant order. */
export async function eachTenantMigrator<R>(
  options: FleetWalk,
  fn: (migrator: Migrator, tenant: Tenant) => Promise<R>,
  onResult?: (result: R) => void,
): Promise<R[]> {
  const { tenants, concurrency = 1, ...migratorOptions } = options;
  const migrations = await loadFleetMigrations(migratorOptions.migrations);
  const gate = new InstanceGate();
  const results: R[] = [];
  await forEachBounded(tenants, concurrency, async (tenant, index) => {
    const leave = await gate.enter(tenant.sequelize);
    try {
      const migrator = createMigrator({
        ...migratorOptions,
        migrations,
        sequelize: tenant.sequelize,
        ...(tenant.schema === undefined ? {} : { schema: tenant.schema }),
        logger: tenantLogger(migratorOptions.logger, tenant.id),
      });
      results[index] = await fn(migrator, tenant);
    } finally {
      leave();
      await tenant.release?.();
    }
    onResult?.(results[index]);
  });
  return results;
}

export function statusAll(options: FleetWalk, onResult?: (status: TenantStatus) => void): Promise<TenantStatus[]> {
  return eachTenantMigrator(
    options,
    async (migrator, tenant): Promise<TenantStatus> => {
      try {
        const status = await migrator.status();
        const base = { id: tenant.id, current: status.current, pending: status.pending.length };
        if (status.incomplete.length > 0) return { ...base, state: 'interrupted' };
        if (status.pending.length > 0) return { ...base, state: 'behind' };
        const problem = status.problems[0];
        if (problem) return { ...base, state: 'problem', error: { code: problem.code, message: problem.message } };
        return { ...base, state: 'head' };
      } catch (error) {
        return { id: tenant.id, state: 'failed', current: null, pending: 0, error: errorInfo(error) };
      }
    },
    onResult,
  );
}

export interface TenantCheck {
  readonly id: string;
  readonly ok: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

export function checkAll(options: FleetWalk, onResult?: (check: TenantCheck) => void): Promise<TenantCheck[]> {
  return eachTenantMigrator(
    options,
    async (migrator, tenant): Promise<TenantCheck> => {
      try {
        await migrator.check();
        return { id: tenant.id, ok: true };
      } catch (error) {
        return { id: tenant.id, ok: false, error: errorInfo(error) };
      }
    },
    onResult,
  );
}

/** A thrown value as the report shows it: a stable code (`E_UNKNOWN` for foreign errors) and the message. */
export function errorInfo(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return { code: typeof code === 'string' && code.startsWith('E_') ? code : 'E_UNKNOWN', message: error instanceof Error ? error.message : String(error) };
}
