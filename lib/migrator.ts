/**
 * The facade: what `createMigrator()` returns. Each method reads the migration sources and the
 * history, plans (runner/plan.ts), and hands the run to runner/ under the lock
 * (runner/lock-scope.ts); autogenerate, bundle and reset are loaded only when called, so a no-op
 * boot loads none of them.
 */
import type { Operation } from '../types/operations';
import type { Migrator } from '../types/migrator';
import type { SquashOptions, SquashResult } from '../types/squash';
import type { AppliedInfo, DowngradeOptions, GenerateOptions, GenerateResult, MigratorOptions, SqlOptions, SqlScript, Status, StepResult, Target, UmzugStorage, UpgradeOptions } from '../types/options';
import { dialectOf } from './dialects';
import type { Dialect, HeldLock } from './dialects/dialect';
import { OptionsError, UnsupportedError } from './errors';
import { checkDowngradeOptions, checkKeys, resolveOptions, type ResolvedOptions } from './options';
import { historyFor, type History } from './runner/history';
import { downgradeSteps, planStamp, planUpgrade, upgradeSteps, verifyHistory, type HistoryCheck } from './runner/plan';
import type { ProgressTable } from './runner/progress';
import type { RunContext, Step } from './runner/run';
import type { MigratorState } from './runner/state';
import { pinUpgradeTarget } from './runner/plan';
import type { HistoryStorageOptions } from './runner/umzug-storage';
import { folderSources, inCodeSources, type MigrationSource } from './runner/sources';

type Autogenerate = typeof import('./autogenerate/autogenerate');

/**
 * A migrator for one Sequelize instance and one set of migrations.
 *
 * @param options `sequelize` and `migrations` (a folder, or an array of in-code migrations) are
 *   required; every other option has a default (see MigratorOptions).
 * @throws OptionsError (E_OPTIONS) for an unknown option, a value of the wrong type, or a table
 *   name the database cannot hold. Nothing touches the database here.
 * @example
 * const migrator = createMigrator({ sequelize, migrations: path.join(__dirname, 'migrations') });
 * await migrator.upgrade();                      // apply what is pending, under the lock
 * await migrator.generate('add users.email');    // write the next migration from the models
 */
export function createMigrator(options: MigratorOptions): Migrator {
  return new MigratorImpl(resolveOptions(options));
}

/**
 * The history table as an umzug storage, for an Umzug instance that keeps running beside the
 * migrator (see runner/umzug-storage.ts). Loaded on call: a boot never pays for it.
 *
 * @throws OptionsError (E_OPTIONS) without a Sequelize instance.
 * @example
 * new Umzug({ migrations: { glob: 'migrations/*.js' }, context: sequelize.getQueryInterface(), storage: historyStorage({ sequelize }), logger: console });
 */
export function historyStorage(options: HistoryStorageOptions): UmzugStorage {
  return (require('./runner/umzug-storage') as typeof import('./runner/umzug-storage')).historyStorage(options);
}

/** Used by autoMigrate, which accepts `onDrift` on top of the migrator's options. */
export function createMigratorWith(options: ResolvedOptions): MigratorImpl {
  return new MigratorImpl(options);
}

export class MigratorImpl implements Migrator, MigratorState {
  readonly folder: string | null;
  readonly dialect: Dialect;
  readonly history: History;
  private progressTable: ProgressTable | undefined;
  private inCode: MigrationSource[] | undefined;
  private warnedOrphans = false;

  constructor(readonly options: ResolvedOptions) {
    this.dialect = dialectOf(options.sequelize);
    this.history = historyFor(options);
    this.folder = typeof options.migrations === 'string' ? options.migrations : null;
  }

  /** Folder sources are listed on every call (files appear between calls); never loaded here. */
  sources(): MigrationSource[] {
    const { migrations } = this.options;
    if (typeof migrations === 'string') return folderSources(migrations);
    this.inCode ??= inCodeSources(migrations);
    return this.inCode;
  }

  /** Loaded on first use: a boot with nothing pending never needs it. */
  get progress(): ProgressTable {
    const { ProgressTable } = require('./runner/progress') as typeof import('./runner/progress');
    this.progressTable ??= new ProgressTable(this.options.sequelize, this.options.tableName, this.options.schema);
    return this.progressTable;
  }

  context(): RunContext {
    const o = this.options;
    return { sequelize: o.sequelize, dialect: this.dialect, history: this.history, progress: this.progress, mode: o.transaction, logger: o.logger, hooks: o.hooks, stepTimeoutMs: o.stepTimeoutMs, scope: o.schema === null ? undefined : (require('./tenants/schema-scope') as typeof import('./tenants/schema-scope')).schemaScope(o.sequelize, this.dialect, o.schema) };
  }

  /** Runs `fn` holding the migration lock, so concurrent boots apply each migration once. */
  locked<T>(fn: (lock: HeldLock | undefined) => Promise<T>): Promise<T> {
    return runner('lock-scope').withLock(this, () => this.progressTable, fn);
  }

  private historyCheck(): HistoryCheck {
    return { allowOutOfOrder: this.options.allowOutOfOrder, verifyChecksums: true };
  }

  private verify(available: readonly MigrationSource[], applied: readonly AppliedInfo[], upgrading: boolean): void {
    const { orphans } = verifyHistory(available, applied, this.historyCheck(), upgrading);
    if (orphans.length > 0 && !this.warnedOrphans) {
      this.warnedOrphans = true;
      this.options.logger.warn(
        `The database has ${orphans.length} migration(s) newer than every file here (${orphans.map((o) => o.name).join(', ')}): ` +
          'a newer release applied them. Running on; downgrading through them needs their files.',
      );
    }
  }

  async upgrade(options: UpgradeOptions = {}): Promise<StepResult[]> {
    checkKeys(options, ['to'], 'upgrade');
    const available = this.sources();
    // Fast path, no lock: one query tells whether anything is pending (the no-op boot).
    const seen = await this.history.executed();
    if (seen !== null) this.verify(available, seen, true);
    // `+N` counts from the history seen now: a run that waits for the lock goes to the same migration.
    const to = pinUpgradeTarget(available, seen ?? [], options.to);
    // An unknown target fails before anything is created.
    if (planUpgrade(available, seen ?? [], to).length === 0 && seen !== null) return [];
    return this.locked(async (lock) => {
      // Another process may have migrated while we waited for the lock: read again.
      const applied = await runner('interrupted-runs').historyUnderLock(this, available);
      this.verify(available, applied, true);
      const steps = (require('./squash/replaces') as typeof import('./squash/replaces')).resolveUpgrade(available, applied, upgradeSteps(available, applied, to));
      if (steps.length === 0) return [];
      const { upgradeContext } = require('./runner/fresh') as typeof import('./runner/fresh');
      return runSteps(await upgradeContext({ ...this.context(), lock }, this.options, applied), steps);
    });
  }

  async downgrade(options: DowngradeOptions = {}): Promise<StepResult[]> {
    checkDowngradeOptions(options);
    const available = this.sources();
    return this.locked(async (lock) => {
      const applied = await runner('interrupted-runs').historyUnderLock(this, available);
      this.verify(available, applied, false);
      const { resolveDowngrade } = require('./squash/replaces') as typeof import('./squash/replaces');
      const steps = downgradeSteps(available, applied, options, (planned) => resolveDowngrade(available, applied, planned, options.to !== undefined));
      return runSteps({ ...this.context(), lock }, steps);
    });
  }

  /** The history rows, one query (reset() asks this between tests: no marker lookup). */
  async applied(): Promise<AppliedInfo[]> {
    return (await this.history.executed()) ?? [];
  }

  async status(): Promise<Status> {
    return runner('status').readStatus(this, this.sources(), await this.applied(), this.historyCheck());
  }

  async stamp(target: Target): Promise<void> {
    if (target === undefined || target === null) throw new OptionsError("stamp needs a target: 'head', a migration name, or 0.", 'target');
    const available = this.sources();
    // An unknown target, or a name the history cannot hold, fails before anything changes.
    planStamp(available, [], target);
    await this.locked(() => runner('stamp').stampHistory(this, available, target));
  }

  private autogenerate(): Autogenerate {
    return require('./autogenerate/autogenerate') as Autogenerate;
  }

  async diff(options: Pick<GenerateOptions, 'renames'> = {}): Promise<Operation[]> {
    const { computeDiff } = require('./autogenerate/compute-diff') as typeof import('./autogenerate/compute-diff');
    return (await computeDiff(this.options, this.dialect, options.renames ?? {})).operations;
  }

  async generate(message: string, options: GenerateOptions = {}): Promise<GenerateResult | null> {
    return this.autogenerate().generateMigration(this.options, this.dialect, this.requireFolder('generate'), message, options);
  }

  async revision(message: string): Promise<GenerateResult> {
    return this.autogenerate().writeEmptyMigration(this.options, this.requireFolder('revision'), message);
  }

  /**
   * The CI gate: first everything upgrade() would refuse, with the error upgrade() would throw
   * (the same checks: an interrupted migration, then verifyHistory), then pending migrations,
   * then drift. History rows newer than every file pass, as they do for upgrade (a rollback
   * deploy); the drift comparison still sees the schema they left.
   */
  async check(): Promise<void> {
    if (this.folder !== null) (require('./bundle/bundle') as typeof import('./bundle/bundle')).assertBundleIndexFresh(this.folder);
    const available = this.sources();
    const applied = await this.applied();
    await runner('interrupted-runs').refuseIncomplete(this, available, applied);
    this.verify(available, applied, true);
    await this.autogenerate().checkDrift(this.options, this.dialect, await this.status());
  }

  async reset(): Promise<void> {
    if (this.options.storage) {
      throw new UnsupportedError('reset() empties the history table; it cannot reset an umzug `storage`. Use the default history table in tests.', 'storage');
    }
    if (this.options.schema !== null) {
      await (require('./tenants/schema-reset') as typeof import('./tenants/schema-reset')).resetSchema(this, this.options, this.dialect);
      return;
    }
    await (require('./reset') as typeof import('./reset')).resetDatabase(this, this.options, this.dialect);
  }

  async sql(options: SqlOptions = {}): Promise<string> {
    return (await this.sqlScript(options)).text;
  }

  /** Offline: nothing runs, no lock; the database is read only for its history, when `from` is omitted. */
  async sqlScript(options: SqlOptions = {}): Promise<SqlScript> {
    checkKeys(options, ['from', 'to', 'direction'], 'sql');
    const { offlineScript } = require('./runner/offline-sql') as typeof import('./runner/offline-sql');
    const o = this.options;
    return offlineScript(
      { sequelize: o.sequelize, dialect: this.dialect, available: this.sources(), tableName: o.tableName, mode: o.transaction, foreignHistory: o.storage !== undefined, check: this.historyCheck(), readHistory: () => this.history.executed() },
      options,
    );
  }

  async squash(options: SquashOptions = {}): Promise<SquashResult> {
    checkKeys(options, ['to'], 'squash');
    const { squash } = require('./squash/squash') as typeof import('./squash/squash');
    return squash(this.options, this.dialect, this.requireFolder('squash'), options, (scratch) => new MigratorImpl(scratch));
  }

  private requireFolder(verb: string): string {
    if (this.folder === null) {
      throw new UnsupportedError(`${verb} writes a file and needs a migrations folder; this migrator has in-code migrations.`, verb);
    }
    return this.folder;
  }
}

/**
 * The runner's modules behind the facade, each loaded on first use: a no-op boot needs none of
 * them. Literal require()s, so that bundlers (esbuild) see every one.
 */
const runnerModules = {
  'lock-scope': () => require('./runner/lock-scope') as typeof import('./runner/lock-scope'),
  'interrupted-runs': () => require('./runner/interrupted-runs') as typeof import('./runner/interrupted-runs'),
  status: () => require('./runner/status') as typeof import('./runner/status'),
  stamp: () => require('./runner/stamp') as typeof import('./runner/stamp'),
};

function runner<K extends keyof typeof runnerModules>(name: K): ReturnType<(typeof runnerModules)[K]> {
  return runnerModules[name]() as ReturnType<(typeof runnerModules)[K]>;
}

/** The run loop, loaded when there is something to run: a no-op boot never needs it. */
function runSteps(ctx: RunContext, steps: readonly Step[]): Promise<StepResult[]> {
  if (steps.length === 0) return Promise.resolve([]);
  return (require('./runner/run') as typeof import('./runner/run')).runSteps(ctx, steps);
}
