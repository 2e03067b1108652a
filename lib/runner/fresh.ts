/**
 * A fresh database (no history rows, no tables besides ours) is what CI, test suites, new
 * developer machines and new tenants upgrade. Nothing existed before, so running every migration
 * in one transaction costs nothing in guarantees where DDL is transactional: a failure half-way
 * rolls back to the empty database (history table included), and one commit replaces one per
 * migration. The runner (run.ts) falls back to `transaction`'s behaviour when a migration opts out
 * of transactions.
 */
import type { Sequelize } from 'sequelize';
import type { AppliedInfo } from '../../types/options';
import { leaseTableName } from '../dialects/lock-key';
import type { ResolvedOptions } from '../options';
import { HistoryTable, progressTableName } from './history';
import type { RunContext } from './run';

/** True when no migration is recorded and no table but the runner's own exists. */
export async function isFreshDatabase(sequelize: Sequelize, tableName: string, applied: readonly AppliedInfo[]): Promise<boolean> {
  if (applied.length > 0) return false;
  const ours = new Set([tableName, progressTableName(tableName), leaseTableName(tableName)]);
  const tables = (await sequelize.getQueryInterface().showAllTables()) as unknown[];
  return tables.every((t) => ours.has(typeof t === 'string' ? t : String((t as { tableName?: string }).tableName)));
}

/**
 * The run context for an upgrade: on a fresh database (and `freshInOneTransaction`, a
 * transactional-DDL dialect, the history table, a transaction mode), marked fresh, with a history
 * object of its own: the table it creates inside the transaction may be rolled back, and the
 * migrator's must not remember it as checked.
 */
export async function upgradeContext(ctx: RunContext, options: ResolvedOptions, applied: readonly AppliedInfo[]): Promise<RunContext> {
  // Schema tenants (createMigrator({ schema })) keep a commit per migration: their history table
  // and schema are created on connections of their own, which a shared pool may not have while
  // the run's transaction holds one.
  const eligible =
    options.freshInOneTransaction && options.schema === null && options.storage === undefined && options.transaction !== 'none' && ctx.dialect.capabilities.transactionalDDL;
  if (!eligible || !(await isFreshDatabase(options.sequelize, options.tableName, applied))) return ctx;
  ctx.logger.debug?.('fresh database: every migration in one transaction');
  return { ...ctx, fresh: true, history: new HistoryTable(options.sequelize, options.tableName) };
}
