import { hostname } from 'node:os';
import type { QueryInterface, Sequelize, Transaction } from 'sequelize';
import type { AppliedInfo, Direction } from '../../types/options';
import type { Dialect } from '../dialects/dialect';
import { IncompleteMigrationError, type IncompleteStep } from '../errors';
import { parseDate } from './history';
import { compareNames, migrationName } from './sources';

/**
 * Markers for migrations that run outside a transaction (every migration on MySQL, and
 * `transaction: 'none'` or opted-out ones elsewhere). Flyway's idea: record that a step began
 * before running it, so a run that dies half-way leaves evidence the next run can name, instead
 * of failing later with "table already exists".
 *
 * The markers live in `<history table>_progress`, created when a run first needs it and dropped
 * when the run completes, so a database holds it only while a run is under way or after one was
 * cut short. Order of writes, so that every crash point reads right afterwards:
 * - up:   marker -> up() -> { history row + marker removed } (one transaction)
 * - down: { marker + history row removed } (one transaction) -> down() -> marker removed
 * A marker whose migration has a history row is harmless (the up completed, or the down never
 * began) and is cleared; a marker whose migration has none names a migration that may be
 * partly applied.
 */
export class ProgressTable {
  readonly tableName: string;
  private readonly quoted: string;
  private created = false;

  constructor(
    private readonly sequelize: Sequelize,
    historyTable: string,
  ) {
    this.tableName = progressTableName(historyTable);
    this.quoted = (sequelize.getQueryInterface() as unknown as { quoteIdentifier(n: string): string }).quoteIdentifier(this.tableName);
  }

  private get queryInterface(): QueryInterface {
    return this.sequelize.getQueryInterface();
  }

  /**
   * Every marker, oldest first; empty when the table does not exist (the usual case). Runs read
   * first, under the lock, which also tells whether the table is there now (reset() drops it).
   */
  async read(): Promise<(IncompleteStep & { storedName: string })[]> {
    let rows: Record<string, unknown>[];
    try {
      rows = (await this.sequelize.query(`SELECT * FROM ${this.quoted}`, {
        type: 'SELECT' as never,
        raw: true,
        transaction: null as never,
      })) as unknown as Record<string, unknown>[];
    } catch (error) {
      if (isMissingTable(error)) {
        this.created = false;
        return [];
      }
      throw error;
    }
    this.created = true;
    return rows
      .map((row) => ({
        storedName: String(row.name),
        migration: migrationName(String(row.name)),
        direction: (row.direction === 'down' ? 'down' : 'up') as Direction,
        startedAt: row.started_at instanceof Date ? row.started_at : row.started_at ? parseDate(String(row.started_at)) : null,
        by: row.started_by ? String(row.started_by) : null,
      }))
      .sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0));
  }

  /** Creates the table if this run has not yet: DDL, so never inside a bookkeeping transaction. */
  async ensure(): Promise<void> {
    if (!this.created) {
      const S = this.sequelize.constructor as unknown as typeof import('sequelize');
      await this.queryInterface.createTable(this.tableName, {
        name: { type: S.STRING, allowNull: false, primaryKey: true },
        direction: { type: S.STRING(4), allowNull: false },
        started_at: { type: S.DATE, allowNull: true },
        started_by: { type: S.STRING, allowNull: true },
      });
      this.created = true;
    }
  }

  /** Records that `storedName` is about to run in `direction`. Call under the lock, after ensure(). */
  async begin(storedName: string, direction: Direction, transaction: Transaction | null): Promise<void> {
    await this.queryInterface.bulkInsert(
      this.tableName,
      [{ name: storedName, direction, started_at: new Date(), started_by: `${hostname()} pid ${process.pid}` }],
      { transaction: transaction ?? (null as never) },
    );
  }

  async finish(storedNames: readonly string[], transaction: Transaction | null): Promise<void> {
    if (storedNames.length === 0) return;
    await this.queryInterface.bulkDelete(this.tableName, { name: [...storedNames] }, { transaction: transaction ?? (null as never) });
  }

  /** Drops the table: at the end of a run that completed, and when `stamp` resolves a marker. */
  async drop(): Promise<void> {
    if (!this.created) return;
    await this.queryInterface.dropTable(this.tableName);
    this.created = false;
  }
}

export function progressTableName(historyTable: string): string {
  return `${historyTable}_progress`;
}

/** PostgreSQL 42P01, MySQL ER_NO_SUCH_TABLE (1146), SQLite "no such table". */
function isMissingTable(error: unknown): boolean {
  const original = (error as { original?: { code?: string; errno?: number } })?.original;
  if (original?.code === '42P01' || original?.errno === 1146) return true;
  return /no such table/i.test(String((error as Error)?.message));
}

/** The error that stops upgrade, downgrade and check while a marker names an unfinished step. */
export function incompleteError(dialect: Dialect, incomplete: readonly IncompleteStep[], applied: readonly AppliedInfo[]): IncompleteMigrationError {
  const first = incomplete[0];
  const before = applied.filter((a) => compareNames(a.name, first.migration) < 0);
  const previous = before.length > 0 ? before[before.length - 1].name : '0';
  const [done, undone] = first.direction === 'up' ? [first.migration, previous] : [previous, first.migration];
  const when = first.startedAt ? ` at ${first.startedAt.toISOString()}` : '';
  const by = first.by ? ` by ${first.by}` : '';
  const why = dialect.capabilities.transactionalDDL ? 'outside a transaction' : `on ${dialect.displayName}, which commits DDL as it runs`;
  return new IncompleteMigrationError(
    `Migration "${first.migration}" did not finish (${first.direction}, begun${when}${by}) ${why}: it may be partly applied. ` +
      `Nothing runs until you resolve it. Compare the schema with the migration, then either finish its ${first.direction}() by hand and ` +
      `run \`automigrate stamp ${done}\`, or undo what it did and run \`automigrate stamp ${undone}\` ` +
      `(migrator.stamp(${JSON.stringify(done === '0' ? 0 : done)}) / migrator.stamp(${JSON.stringify(undone === '0' ? 0 : undone)})); then upgrade.`,
    first.migration,
    incomplete,
  );
}
