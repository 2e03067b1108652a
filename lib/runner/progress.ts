import { hostname } from 'node:os';
import type { QueryInterface, Sequelize, Transaction } from 'sequelize';
import type { AppliedInfo, Direction } from '../../types/options';
import type { Dialect } from '../dialects/dialect';
import { IncompleteMigrationError, type IncompleteStep } from '../errors';
import type { Markers } from './contract';
import { Heartbeat, isLive, newRunId } from './heartbeat';
import { parseDate, progressTableName } from './history';
import { migrationName } from './sources';
import { sequelizeModuleOf } from '../sequelize-internals';
import { TableLocation, type TableTarget } from './history';

/**
 * Markers for migrations that run outside a transaction (every migration on MySQL, and
 * `transaction: 'none'` or opted-out ones elsewhere). Flyway's idea: record that a step began
 * before running it, so a run that dies half-way leaves evidence the next run can name, instead
 * of failing later with "table already exists".
 *
 * The markers live in `<history table>_progress`, created when a run first needs it and dropped
 * when the run completes, so a database holds it only while a run is under way or after one was
 * cut short. Order of writes, so that every crash point reads right afterwards:
 * - up:   marker -> up() -> history row -> the marker moves to the next step (one UPDATE), or
 *         goes with the others when the run ends
 * - down: { marker + history row removed } (one transaction) -> down() -> marker removed
 * A marker whose migration has a history row is harmless (the up completed, or the down never
 * began) and is cleared; a marker whose migration has none names a migration that may be
 * partly applied. The history row is written before its marker moves, so no crash point leaves
 * a completed migration without both; on MySQL, where every migration runs outside a
 * transaction, this is two bookkeeping statements per migration (the history row, the move)
 * where a removal and an insert in a transaction of their own took five.
 *
 * Each marker also names its run (`run_id`) and carries a heartbeat (`heartbeat_at`, see
 * heartbeat.ts): a marker of a live run reads as "in progress", and a run's cleanup removes only
 * its own markers, dropping the table only when none is left.
 */

/** A marker as read: `live` when its run's heartbeat is fresh. */
export interface Marker extends IncompleteStep {
  readonly storedName: string;
  readonly live: boolean;
}
export class ProgressTable implements Markers {
  readonly tableName: string;
  private readonly quoted: string;
  /** QueryInterface's name for the table: with its schema when it has one. */
  private readonly target: TableTarget;
  private created = false;
  /** Whether the table, when it was already there, has been given the owner columns. */
  private shapeChecked = false;
  /** This migrator's run id, written into its markers. */
  readonly runId = newRunId();
  private readonly heartbeat = new Heartbeat((names) => this.beat(names));

  constructor(
    private readonly sequelize: Sequelize,
    historyTable: string,
    schema: string | null = null,
  ) {
    this.tableName = progressTableName(historyTable);
    const location = new TableLocation(sequelize, this.tableName, schema);
    this.quoted = location.quoted;
    this.target = location.target;
  }

  private get queryInterface(): QueryInterface {
    return this.sequelize.getQueryInterface();
  }

  /**
   * Every marker, oldest first; empty when the table does not exist (the usual case). Runs read
   * first, under the lock, which also tells whether the table is there now (reset() drops it).
   */
  async read(): Promise<Marker[]> {
    let rows: Record<string, unknown>[];
    try {
      rows = (await this.sequelize.query(`SELECT * FROM ${this.quoted}`, {
        type: 'SELECT' as never,
        raw: true,
        transaction: null as never,
      })) as unknown as Record<string, unknown>[];
    } catch (error) {
      const unreachable = (require('./connection') as typeof import('./connection')).asConnectionError(this.sequelize, error);
      if (unreachable) throw unreachable;
      if (isMissingTable(error)) {
        this.created = false;
        return [];
      }
      throw error;
    }
    this.created = true;
    const now = Date.now();
    return rows
      .map((row) => {
        const heartbeatAt = asDate(row.heartbeat_at);
        const by = row.started_by ? String(row.started_by) : null;
        return {
          storedName: String(row.name),
          migration: migrationName(String(row.name)),
          direction: (row.direction === 'down' ? 'down' : 'up') as Direction,
          startedAt: asDate(row.started_at),
          by,
          // Markers written before owners were recorded have no heartbeat: they read as stale.
          runId: row.run_id ? String(row.run_id) : null,
          heartbeatAt,
          live: isLive(heartbeatAt, by, now),
        };
      })
      .sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0));
  }

  /** Creates the table if this run has not yet: DDL, so never inside a bookkeeping transaction. */
  async ensure(): Promise<void> {
    const S = sequelizeModuleOf(this.sequelize);
    const ownerColumns = { run_id: { type: S.STRING(32), allowNull: true }, heartbeat_at: { type: S.DATE, allowNull: true } };
    if (!this.created) {
      await this.queryInterface.createTable(this.target, {
        name: { type: S.STRING, allowNull: false, primaryKey: true },
        direction: { type: S.STRING(4), allowNull: false },
        started_at: { type: S.DATE, allowNull: true },
        started_by: { type: S.STRING, allowNull: true },
        ...ownerColumns,
      });
      this.created = true;
      this.shapeChecked = true;
    } else if (!this.shapeChecked) {
      // A table left by a version that did not record owners (only there while a run is under
      // way or after one stopped): give it the columns, keeping its markers.
      const columns = await this.queryInterface.describeTable(this.target);
      for (const [column, definition] of Object.entries(ownerColumns)) {
        if (!(column in columns)) await this.queryInterface.addColumn(this.target, column, definition);
      }
      this.shapeChecked = true;
    }
  }

  /** Records that `storedName` is about to run in `direction`. Call under the lock, after ensure(). */
  async begin(storedName: string, direction: Direction, transaction: Transaction | null): Promise<void> {
    const now = new Date();
    await this.queryInterface.bulkInsert(
      this.target,
      [{ name: storedName, direction, started_at: now, started_by: `${hostname()} pid ${process.pid}`, run_id: this.runId, heartbeat_at: now }],
      { transaction: transaction ?? (null as never) },
    );
    this.heartbeat.add(storedName);
  }

  async move(from: string, to: string, direction: Direction): Promise<boolean> {
    const now = new Date();
    const moved = await this.queryInterface.bulkUpdate(
      this.target,
      { name: to, direction, started_at: now, heartbeat_at: now },
      { name: from, run_id: this.runId },
      { transaction: null as never },
    );
    this.heartbeat.remove([from]);
    if (Number(moved) !== 1) return false;
    this.heartbeat.add(to);
    return true;
  }

  async finish(storedNames: readonly string[], transaction: Transaction | null): Promise<void> {
    if (storedNames.length === 0) return;
    await this.queryInterface.bulkDelete(this.target, { name: [...storedNames] }, { transaction: transaction ?? (null as never) });
    this.heartbeat.remove(storedNames);
  }

  /** The run ended: its markers stop beating. */
  stopHeartbeat(): void {
    this.heartbeat.stop();
  }

  /**
   * The run failed: a marker it leaves names an interrupted migration at once, not one in progress
   * (its heartbeat is cleared). When this fails too (the connection died), the marker goes stale
   * within STALE_AFTER_MS.
   */
  async abandon(): Promise<void> {
    this.heartbeat.stop();
    if (!this.shapeChecked) return;
    await this.queryInterface
      .bulkUpdate(this.target, { heartbeat_at: null }, { run_id: this.runId }, { transaction: null as never })
      .catch(() => undefined);
  }

  private async beat(names: readonly string[]): Promise<void> {
    await this.queryInterface.bulkUpdate(this.target, { heartbeat_at: new Date() }, { run_id: this.runId, name: [...names] }, {
      transaction: null as never,
    });
  }

  /**
   * At the end of a run (and after clearing harmless markers): removes this run's markers and
   * drops the table when no marker is left, so another run's markers (a run that lost its lock
   * and is finishing a step) are never removed with it.
   */
  async drop(): Promise<void> {
    if (!this.created) return;
    this.heartbeat.stop();
    // Without ensure() in this run (an older table) no marker of this run exists.
    if (this.shapeChecked) await this.queryInterface.bulkDelete(this.target, { run_id: this.runId }, { transaction: null as never });
    if ((await this.read()).length > 0) return;
    await this.dropAll();
  }

  /** Drops the table with every marker: `stamp`, the operator's resolution, does this. */
  async dropAll(): Promise<void> {
    if (!this.created) return;
    await this.queryInterface.dropTable(this.target);
    this.created = false;
    this.shapeChecked = false;
  }
}

/** SQLite returns what it stored: text from an INSERT, milliseconds from an UPDATE's bound Date. */
function asDate(value: unknown): Date | null {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) return new Date(Number(value));
  return value instanceof Date ? value : value ? parseDate(String(value)) : null;
}

/**
 * PostgreSQL 42P01, MySQL ER_NO_SUCH_TABLE (1146), SQLite "no such table". MySQL's
 * ER_WRONG_TABLE_NAME (1103, a name over 64 characters) names a table that cannot exist either;
 * resolveOptions refuses such names up front, this is the second line.
 */
function isMissingTable(error: unknown): boolean {
  const original = (error as { original?: { code?: string; errno?: number } })?.original;
  if (original?.code === '42P01' || original?.errno === 1146 || original?.errno === 1103) return true;
  return /no such table/i.test(String((error as Error)?.message));
}

/** The error that stops upgrade, downgrade and check while a marker names an unfinished step. */
/** `applied` in run order; `key` the run order (runner/plan.ts). */
export function incompleteError(
  dialect: Dialect,
  incomplete: readonly IncompleteStep[],
  applied: readonly AppliedInfo[],
  key: (name: string) => number,
): IncompleteMigrationError {
  const first = incomplete[0];
  const before = applied.filter((a) => key(a.name) < key(first.migration));
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
