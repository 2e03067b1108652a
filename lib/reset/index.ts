/**
 * reset(): the database at head with every table the migrations own empty, for test suites.
 *
 * A call makes three queries when there is nothing to empty, whatever the number of tables:
 * 1. one catalog query reads the shape of every table (columns, indexes, constraints, triggers);
 *    the first call in a process only records it, later calls compare it with what the previous
 *    call left: a table a test dropped, added or altered (or a downgrade) means a rebuild;
 * 2. one SELECT on the history tells whether a migration was added; `upgrade()` applies it (the
 *    first call in a process always runs `upgrade()`, which also verifies the checksums);
 * 3. one query lists the owned tables that hold rows or whose auto-increment counter moved;
 * 4. only those are emptied and their counters restarted, with the dialect's fastest correct
 *    statements (benchmarks/reset.bench.ts measures the candidates). Most tests write to a few
 *    tables, and restarting a counter costs MariaDB a DDL statement per table.
 * A rebuild drops the owned tables, empties the history and runs every migration again. Tables
 * the `include` filter rejects are not owned: never emptied, dropped nor compared. The history
 * table is never emptied but by a rebuild.
 */
import type { Sequelize } from 'sequelize';
import type { AppliedInfo } from '../../types/options';
import type { Dialect } from '../dialects/dialect';
import type { ResolvedOptions } from '../options';
import { UnsupportedError } from '../errors';
import { quoter, type ResetDriver } from '../dialects/reset-driver';
import { pendingSources } from '../runner/plan';
import { progressTableName } from '../runner/history';
import { leaseTableName } from '../dialects/lock-key';
import type { MigrationSource } from '../runner/sources';

/** The part of the migrator reset() needs. */
export interface Upgrader {
  upgrade(): Promise<readonly unknown[]>;
  applied(): Promise<readonly AppliedInfo[]>;
  sources(): readonly MigrationSource[];
}

interface Snapshot {
  /** Owned tables, sorted. */
  readonly owned: readonly string[];
  /** Every base table, internal ones included. */
  readonly all: readonly string[];
  readonly historyExists: boolean;
  /** Shape of each owned table and of the history table. */
  readonly shapes: ReadonlyMap<string, string>;
  /** Owned table -> the tables it has foreign keys to, where the driver reports them. */
  readonly references: ReadonlyMap<string, readonly string[]>;
  /** Some owned table has a trigger: a DELETE may write rows elsewhere (an audit table). */
  readonly triggers: boolean;
}

/** Emptying passes when triggers write rows as others are deleted; a trigger writing forever is refused. */
const MAX_PASSES = 4;

/**
 * Upgrade failures a rebuild cures. reset() empties every table anyway, so dropping them and
 * running the migrations from the start loses nothing more, and it is what a test database needs
 * after an edit of the newest migration (checksum), a switch of branch (missing, out of order),
 * or a test that broke the schema under a migration (failed); a failure that is the migration's
 * own happens again on the rebuild, and is thrown then.
 */
export const REBUILD_CODES: ReadonlySet<string> = new Set(['E_CHECKSUM', 'E_MISSING_MIGRATION', 'E_OUT_OF_ORDER', 'E_MIGRATION_FAILED', 'E_INCOMPLETE_MIGRATION']);

/** The shape the previous reset() left, per Sequelize instance and history table. */
const previous = new WeakMap<Sequelize, Map<string, Snapshot>>();

export async function resetDatabase(migrator: Upgrader, options: ResolvedOptions, dialect: Dialect): Promise<void> {
  const { sequelize, tableName } = options;
  const driver = dialect.resetDriver();
  let states = previous.get(sequelize);
  if (!states) {
    states = new Map();
    previous.set(sequelize, states);
  }
  const known = states.get(tableName);
  // Forgotten until this call succeeds: after a failure, the next call starts from the upgrade.
  states.delete(tableName);
  const snapshot = await headSnapshot(migrator, options, driver, known);
  states.set(tableName, snapshot);
  if (snapshot.owned.length === 0) return;
  for (let pass = 1; ; pass++) {
    const dirty = await driver.dirty(sequelize, snapshot.owned, snapshot.all);
    if (dirty.rows.length === 0 && dirty.counters.length === 0) return;
    if (pass > MAX_PASSES) {
      throw new UnsupportedError(
        `reset() emptied the tables ${MAX_PASSES} times and triggers wrote rows again (${[...dirty.rows, ...dirty.counters].join(', ')}). ` +
          'A trigger that writes on every DELETE cannot be emptied; exclude its table with `include`.',
        dirty.rows[0] ?? dirty.counters[0],
      );
    }
    await driver.empty(sequelize, dirty, snapshot.references);
    // Without triggers nothing writes while we empty: no need to look again.
    if (!snapshot.triggers) return;
  }
}

/** Brings the database to head, rebuilding it when it cannot be trusted, and returns its shape. */
async function headSnapshot(migrator: Upgrader, options: ResolvedOptions, driver: ResetDriver, known: Snapshot | undefined): Promise<Snapshot> {
  let why: string;
  if (known) {
    const snapshot = await takeSnapshot(driver, options);
    const changed = changedTables(known, snapshot);
    const outcome = changed.length === 0 ? await upgrade(migrator, false) : { rebuild: `${changed.join(', ')} changed since the previous reset` };
    if ('ran' in outcome) return outcome.ran > 0 ? takeSnapshot(driver, options) : snapshot;
    why = outcome.rebuild;
  } else {
    const outcome = await upgrade(migrator, true);
    if ('ran' in outcome) return takeSnapshot(driver, options);
    why = outcome.rebuild;
  }
  options.logger.info(`reset: ${why}; dropping the tables and running every migration again`);
  const current = await takeSnapshot(driver, options);
  // Markers of a migration that stopped half-way go too: the rebuild runs it again from nothing.
  const markers = progressTableName(options.tableName);
  await driver.drop(options.sequelize, current.all.includes(markers) ? [...current.owned, markers] : current.owned);
  // The history table stays (another tool may read it); its rows go, so every migration runs.
  if (current.historyExists) await options.sequelize.query(`DELETE FROM ${quoter(options.sequelize)(options.tableName)}`, { transaction: null as never });
  await migrator.upgrade();
  return takeSnapshot(driver, options);
}

/** upgrade(), or the reason to rebuild instead when it fails in a way a rebuild cures. */
async function upgrade(migrator: Upgrader, firstCall: boolean): Promise<{ readonly ran: number } | { readonly rebuild: string }> {
  try {
    // Later calls: one SELECT says whether a migration was added. upgrade() would also checksum
    // every file, which this process's first call did: files edited while a test suite runs
    // are not what reset() is for.
    if (!firstCall && pendingSources(migrator.sources(), await migrator.applied()).length === 0) return { ran: 0 };
    const ran = (await migrator.upgrade()).length;
    // A new process knows no previous shape; it can at least notice history rows without a file.
    const orphaned = firstCall ? await orphans(migrator) : null;
    return orphaned === null ? { ran } : { rebuild: orphaned };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !REBUILD_CODES.has(code)) throw error;
    return { rebuild: `${code}: ${(error as Error).message}` };
  }
}

/** Applied migrations whose file is not here (a branch that had them): the schema has their changes. */
async function orphans(migrator: Upgrader): Promise<string | null> {
  const available = new Set(migrator.sources().map((s) => s.name));
  const missing = (await migrator.applied()).filter((a) => !available.has(a.name)).map((a) => a.name);
  return missing.length > 0 ? `applied migrations without a file (${missing.join(', ')})` : null;
}

async function takeSnapshot(driver: ResetDriver, options: ResolvedOptions): Promise<Snapshot> {
  const { include, tableName } = options;
  const rows = await driver.shape(options.sequelize);
  const all = [...new Set(rows.filter((r) => r.k === 'table').map((r) => r.t))].sort();
  const markers = progressTableName(tableName);
  const owned = all.filter(
    (name) => name !== tableName && name !== markers && name !== leaseTableName(tableName) && !driver.internal(name) && (include ? include({ kind: 'table', name }) : true),
  );
  const compared = new Set([...owned, tableName]);
  const lines = new Map<string, string[]>();
  for (const row of rows) {
    if (!compared.has(row.t)) continue;
    const list = lines.get(row.t) ?? [];
    list.push(`${row.k} ${row.d}`);
    lines.set(row.t, list);
  }
  const shapes = new Map([...lines].map(([table, list]) => [table, [...list].sort().join('\n')]));
  const references = new Map<string, string[]>();
  for (const row of rows) {
    if (row.k === 'references' && compared.has(row.t)) references.set(row.t, [...(references.get(row.t) ?? []), row.d]);
  }
  const triggers = rows.some((row) => row.k === 'trigger' && compared.has(row.t));
  return { owned, all, historyExists: all.includes(tableName), shapes, references, triggers };
}

/** Tables (the history table included) that appeared, disappeared or changed shape. */
function changedTables(before: Snapshot, after: Snapshot): string[] {
  const names = new Set([...before.shapes.keys(), ...after.shapes.keys()]);
  return [...names].filter((name) => before.shapes.get(name) !== after.shapes.get(name)).sort();
}
