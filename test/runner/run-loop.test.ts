/**
 * The run loop (runner/run.ts) over in-memory stores: a History and Markers that keep what the
 * loop asks of them in arrays (the contract of runner/contract.ts), so every call the loop makes
 * is seen. The migrations still run against the real database.
 */
import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';
import type { AppliedInfo, Direction } from '../../types/options';
import { MigrationFailedError } from '../../lib';
import { dialectOf } from '../../lib/dialects';
import type { History, HistoryInsert, Markers } from '../../lib/runner/contract';
import { downgradeSteps, upgradeSteps } from '../../lib/runner/plan';
import { runSteps, type RunContext } from '../../lib/runner/run';
import { inCodeSources } from '../../lib/runner/sources';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';

/** umzug's MemoryStorage, with the checksums and timings the runner records. */
class MemoryHistory implements History {
  readonly rows = new Map<string, HistoryInsert>();
  readonly calls: string[] = [];
  async executed(): Promise<AppliedInfo[] | null> {
    return [...this.rows.values()]
      .map((r) => ({ name: r.storedName, storedName: r.storedName, checksum: r.checksum, appliedAt: r.appliedAt, durationMs: r.durationMs }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  async prepare(names: readonly string[] = []): Promise<void> {
    this.calls.push(`prepare ${names.join(',')}`);
  }
  async logMigration(row: HistoryInsert, transaction: Transaction | null): Promise<void> {
    this.calls.push(`log ${row.storedName}${transaction ? ' (in transaction)' : ''}`);
    this.rows.set(row.storedName, row);
  }
  async unlogMigration(storedNames: readonly string[], transaction: Transaction | null): Promise<void> {
    this.calls.push(`unlog ${storedNames.join(',')}${transaction ? ' (in transaction)' : ''}`);
    for (const name of storedNames) this.rows.delete(name);
  }
}

class MemoryMarkers implements Markers {
  readonly tableName = 'memory_progress';
  readonly open = new Set<string>();
  readonly calls: string[] = [];
  async ensure(): Promise<void> {}
  async begin(storedName: string, direction: Direction): Promise<void> {
    this.calls.push(`begin ${storedName} ${direction}`);
    this.open.add(storedName);
  }
  async finish(storedNames: readonly string[]): Promise<void> {
    this.calls.push(`finish ${storedNames.join(',')}`);
    for (const name of storedNames) this.open.delete(name);
  }
  async drop(): Promise<void> {}
}

/** Markers that can move (ProgressTable's one-UPDATE move), logging into a list shared with the history's. */
class MovingMarkers extends MemoryMarkers {
  constructor(private readonly log: string[]) {
    super();
  }
  override async begin(storedName: string, direction: Direction): Promise<void> {
    this.log.push(`begin ${storedName} ${direction}`);
    await super.begin(storedName, direction);
  }
  async move(from: string, to: string, direction: Direction): Promise<boolean> {
    this.log.push(`move ${from} -> ${to} ${direction}`);
    if (!this.open.delete(from)) return false;
    this.open.add(to);
    return true;
  }
  override async finish(storedNames: readonly string[]): Promise<void> {
    this.log.push(`finish ${storedNames.join(',')}`);
    await super.finish(storedNames);
  }
  override async drop(): Promise<void> {
    this.log.push('drop');
    this.open.clear();
  }
}

const silent = { info() {}, warn() {}, error() {} };

function contextFor(db: TestDatabase, history: History, markers: Markers): RunContext {
  const { sequelize } = db;
  return { sequelize, dialect: dialectOf(sequelize), history, progress: markers, mode: 'each', logger: silent, hooks: {}, stepTimeoutMs: null };
}

/** Two migrations creating a table each; the second fails after its statement when `fail`. */
function migrations(fail = false) {
  const table = { id: { type: DataTypes.INTEGER, primaryKey: true }, label: { type: DataTypes.STRING } };
  return inCodeSources([
    {
      name: '001-first',
      checksum: 'sum-1',
      up: async (qi: QueryInterface) => qi.createTable('loop_first', table),
      down: async (qi: QueryInterface) => qi.dropTable('loop_first'),
    },
    {
      name: '002-second',
      checksum: 'sum-2',
      up: async (qi: QueryInterface) => {
        await qi.createTable('loop_second', table);
        if (fail) throw new Error('boom in 002');
      },
      down: async (qi: QueryInterface) => qi.dropTable('loop_second'),
    },
  ]);
}

async function tables(db: TestDatabase): Promise<string[]> {
  const all = (await db.sequelize.getQueryInterface().showAllTables()) as unknown[];
  return all.map((t) => (typeof t === 'string' ? t : String((t as { tableName: string }).tableName))).filter((t) => t.startsWith('loop_')).sort();
}

eachDialect('the run loop records each applied migration with its checksum through the history contract, and unlogs on the way down', async (t, db) => {
  const history = new MemoryHistory();
  const markers = new MemoryMarkers();
  const ctx = contextFor(db, history, markers);
  const available = migrations();
  const up = await runSteps(ctx, upgradeSteps(available, (await history.executed()) ?? []));
  t.deepEqual(up.map((r) => [r.name, r.direction]), [['001-first', 'up'], ['002-second', 'up']]);
  t.deepEqual(await tables(db), ['loop_first', 'loop_second']);
  const rows = (await history.executed()) ?? [];
  t.deepEqual(rows.map((r) => [r.storedName, r.checksum]), [['001-first', 'sum-1'], ['002-second', 'sum-2']]);
  t.true(rows.every((r) => r.appliedAt instanceof Date && typeof r.durationMs === 'number'));
  // With transactional DDL each row joins its migration's transaction and no marker is needed;
  // without (MySQL), each step is marked before it runs, its row written after it, then the marker cleared.
  const transactional = ctx.dialect.capabilities.transactionalDDL;
  const joined = transactional ? ' (in transaction)' : '';
  t.deepEqual(history.calls, ['prepare 001-first,002-second', `log 001-first${joined}`, `log 002-second${joined}`]);
  t.deepEqual(markers.calls, transactional ? [] : ['begin 001-first up', 'finish 001-first', 'begin 002-second up', 'finish 002-second']);

  history.calls.length = 0;
  const down = await runSteps(ctx, downgradeSteps(available, rows, { step: 2 }));
  t.deepEqual(down.map((r) => [r.name, r.direction]), [['002-second', 'down'], ['001-first', 'down']]);
  t.deepEqual(await tables(db), []);
  t.deepEqual(await history.executed(), []);
  t.deepEqual(history.calls, ['prepare ', 'unlog 002-second (in transaction)', 'unlog 001-first (in transaction)']);
  t.is(markers.open.size, 0);
});

eachDialect('a failing migration leaves the migrations before it recorded and its own unrecorded in the history contract', async (t, db) => {
  const history = new MemoryHistory();
  const markers = new MemoryMarkers();
  const ctx = contextFor(db, history, markers);
  const error = await t.throwsAsync(runSteps(ctx, upgradeSteps(migrations(true), [])));
  t.true(error instanceof MigrationFailedError, String(error));
  const failed = error as MigrationFailedError;
  t.is(failed.code, 'E_MIGRATION_FAILED');
  t.is(failed.migration, '002-second');
  t.deepEqual(((await history.executed()) ?? []).map((r) => r.storedName), ['001-first']);
  const transactional = ctx.dialect.capabilities.transactionalDDL;
  // Rolled back where DDL is transactional; elsewhere its table stays and its marker names it.
  t.is(failed.rolledBack, transactional);
  t.deepEqual(await tables(db), transactional ? ['loop_first'] : ['loop_first', 'loop_second']);
  t.deepEqual([...markers.open], transactional ? [] : ['002-second']);
});

eachDialect('outside a transaction a completed step records its history row before its marker moves to the next step, one write each', async (t, db) => {
  const history = new MemoryHistory();
  const markers = new MovingMarkers(history.calls);
  const ctx: RunContext = { ...contextFor(db, history, markers), mode: 'none' };
  await runSteps(ctx, upgradeSteps(migrations(), []));
  // A crash between any two of these reads right: a marker with a history row is harmless, one without names its step.
  t.deepEqual(history.calls, ['prepare 001-first,002-second', 'begin 001-first up', 'log 001-first', 'move 001-first -> 002-second up', 'log 002-second', 'drop']);
  t.deepEqual(await tables(db), ['loop_first', 'loop_second']);

  // A step that fails after changing something keeps its own marker; the one it took over was the completed step's.
  await db.sequelize.getQueryInterface().dropAllTables();
  const failing = new MemoryHistory();
  const kept = new MovingMarkers(failing.calls);
  await t.throwsAsync(runSteps({ ...contextFor(db, failing, kept), mode: 'none' }, upgradeSteps(migrations(true), [])), { instanceOf: MigrationFailedError });
  t.deepEqual(failing.calls, ['prepare 001-first,002-second', 'begin 001-first up', 'log 001-first', 'move 001-first -> 002-second up']);
  t.deepEqual([...kept.open], ['002-second']);
  t.deepEqual(((await failing.executed()) ?? []).map((r) => r.storedName), ['001-first']);
});
