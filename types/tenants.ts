import type { Sequelize } from 'sequelize';
import type { MigratorOptions, StepResult } from './options';

/** One tenant of a fleet: a database (its own Sequelize instance) or a PostgreSQL schema. */
export interface Tenant {
  /** Names the tenant in the report, the logs and the CLI's output. */
  readonly id: string;
  /** Schema tenants may share one instance (give its pool `max` of at least 2 × concurrency). */
  readonly sequelize: Sequelize;
  /** PostgreSQL: the schema holding the tenant (see `MigratorOptions.schema`). */
  readonly schema?: string;
  /**
   * Called once the tenant is done (applied, failed or skipped), before the next one is taken:
   * e.g. `() => sequelize.close()` for a database per tenant, so a fleet of 100,000 never holds
   * 100,000 connections. Omit it for schema tenants sharing one instance.
   */
  readonly release?: () => void | Promise<void>;
}

/** What became of one tenant in `upgradeAll()`. */
export interface TenantResult {
  readonly id: string;
  /**
   * `applied`: migrations ran; `noop`: nothing was pending; `failed`: see `error` (the steps
   * before the failure stay applied); `skipped`: not run, because `stopOnError` stopped the fleet.
   */
  readonly status: 'applied' | 'noop' | 'failed' | 'skipped';
  /** The migrations applied to this tenant, in order (also those before a failure). */
  readonly steps: readonly StepResult[];
  readonly durationMs: number;
  /** Why it failed: a MigrationError with a stable `code` in most cases. */
  readonly error?: Error;
}

/** What `upgradeAll()` resolves to. */
export interface UpgradeAllReport {
  /** One per tenant, in the order the tenants came. */
  readonly tenants: readonly TenantResult[];
  /** How many tenants had migrations applied, had nothing pending, failed, were skipped. */
  readonly applied: number;
  readonly noop: number;
  readonly failed: number;
  readonly skipped: number;
  readonly durationMs: number;
}

/** `upgradeAll()`'s options: the migrator's options (but `sequelize` and `schema`, which each tenant gives) and these. */
export interface UpgradeAllOptions extends Omit<MigratorOptions, 'sequelize' | 'schema'> {
  /**
   * An array, or an (async) iterable consumed lazily: never more than `concurrency` tenants are
   * taken ahead of the ones finished, so a generator can open each tenant's connection on demand.
   */
  readonly tenants: Iterable<Tenant> | AsyncIterable<Tenant>;
  /** How many tenants migrate at once. Default 1. */
  readonly concurrency?: number;
  /** Stop taking tenants after the first failure; the rest are reported `skipped`. Default false. */
  readonly stopOnError?: boolean;
  /** Called as each tenant finishes (in completion order), e.g. for progress output. */
  readonly onTenant?: (result: TenantResult) => void | Promise<void>;
}
