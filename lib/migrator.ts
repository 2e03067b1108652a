import type { Operation } from '../types/operations';
import type { Migrator } from '../types/migrator';
import type { SquashOptions, SquashResult } from '../types/squash';
import type {
  AppliedInfo,
  DowngradeOptions,
  GenerateOptions,
  GenerateResult,
  HistoryProblemInfo,
  MigratorOptions,
  SqlOptions,
  Status,
  StepResult,
  Target,
  UmzugStorage,
  UpgradeOptions,
} from '../types/options';
import { dialectOf } from './dialects';
import type { Dialect, HeldLock } from './dialects/dialect';
import { MissingMigrationError, OptionsError, UnsupportedError, describeError } from './errors';
import { resolveOptions, type ResolvedOptions } from './options';
import { HistoryTable, historyFor, type History } from './runner/history';
import type { Marker, ProgressTable } from './runner/progress';
import { historyProblems, inRunOrder, pendingSources, planDowngrade, planStamp, planUpgrade, runOrderKey, verifyHistory, type HistoryCheck } from './runner/plan';
import type { RunContext, Step } from './runner/run';
import type { HistoryStorageOptions } from './runner/umzug-storage';
import { folderSources, inCodeSources, type MigrationSource } from './runner/sources';
import { runtimeOptions } from './sequelize-internals';

type Autogenerate = typeof import('./autogenerate');

export function createMigrator(options: MigratorOptions): Migrator {
  return new MigratorImpl(resolveOptions(options));
}

/**
 * The history table as an umzug storage, for an Umzug instance that keeps running beside the
 * migrator (see runner/umzug-storage.ts). Loaded on call: a boot never pays for it.
 *
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

export class MigratorImpl implements Migrator {
  readonly folder: string | null;
  private readonly dialect: Dialect;
  private readonly history: History;
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
  private get progress(): ProgressTable {
    const { ProgressTable } = require('./runner/progress') as typeof import('./runner/progress');
    this.progressTable ??= new ProgressTable(this.options.sequelize, this.options.tableName);
    return this.progressTable;
  }

  private context(): RunContext {
    const o = this.options;
    return {
      sequelize: o.sequelize,
      dialect: this.dialect,
      history: this.history,
      progress: this.progress,
      mode: o.transaction,
      logger: o.logger,
      hooks: o.hooks,
      stepTimeoutMs: o.stepTimeoutMs,
    };
  }

  /** Runs `fn` holding the migration lock, so concurrent boots apply each migration once. */
  async locked<T>(fn: (lock: HeldLock | undefined) => Promise<T>): Promise<T> {
    const timeoutMs = this.options.lockTimeoutMs;
    if (timeoutMs === null) return fn(undefined);
    const { sequelize } = this.options;
    const held = await this.dialect.acquireLock(sequelize, { key: this.options.tableName, timeoutMs, strategy: this.options.lockStrategy }).catch((error: unknown) => {
      throw (require('./runner/connection') as typeof import('./runner/connection')).asConnectionError(sequelize, error) ?? error;
    });
    let result: T;
    try {
      result = await fn(held);
    } catch (error) {
      await this.progressTable?.abandon();
      // A lock that cannot be released (its connection died with the migration's) must not hide
      // why the run failed; the server frees it with the connection.
      await held.release().catch(() => undefined);
      throw error;
    }
    this.progressTable?.stopHeartbeat();
    await held.release().catch((error: unknown) => {
      this.options.logger.warn(`Releasing the migration lock failed (${describeError(error)}); it is freed when its connection closes.`);
    });
    return result;
  }

  /**
   * Under the lock: the history once no other live run is inside a migration (runner/live-markers.ts);
   * stops when a previous run died inside a migration that ran outside a transaction (see
   * runner/progress.ts); clears markers that turned out harmless.
   */
  private async settledHistory(available: readonly MigrationSource[]): Promise<AppliedInfo[]> {
    const { settledHistory } = require('./runner/live-markers') as typeof import('./runner/live-markers');
    const { sequelize, lockTimeoutMs } = this.options;
    const { applied, markers } = await settledHistory(this.history, this.progress, lockTimeoutMs ?? 0, String(sequelize.config.database));
    if (markers.length === 0) return applied;
    const recorded = new Set(applied.map((a) => a.name));
    const incomplete = markers.filter((m: Marker) => !recorded.has(m.migration));
    if (incomplete.length > 0) throw this.incompleteError(available, applied, incomplete);
    await this.progress.finish(markers.map((m) => m.storedName), null);
    await this.progress.drop();
    return applied;
  }

  /** check(): a migration another run left unfinished (a live run's markers are not refused). */
  private async refuseIncomplete(available: readonly MigrationSource[], applied: readonly AppliedInfo[]): Promise<void> {
    const recorded = new Set(applied.map((a) => a.name));
    const incomplete = (await this.progress.read()).filter((m) => !m.live && !recorded.has(m.migration));
    if (incomplete.length > 0) throw this.incompleteError(available, applied, incomplete);
  }

  private incompleteError(available: readonly MigrationSource[], applied: readonly AppliedInfo[], incomplete: readonly Marker[]): Error {
    const { incompleteError } = require('./runner/progress') as typeof import('./runner/progress');
    return incompleteError(this.dialect, incomplete, inRunOrder(available, applied), runOrderKey(available));
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
    const seen = await this.history.read();
    if (seen !== null) {
      this.verify(available, seen, true);
      if (planUpgrade(available, seen, options.to).length === 0) return [];
    } else if (options.to !== undefined) {
      planUpgrade(available, [], options.to); // an unknown target fails before anything is created
    }
    return this.locked(async (lock) => {
      // Another process may have migrated while we waited for the lock: read again.
      const applied = await this.settledHistory(available);
      this.verify(available, applied, true);
      const planned: Step[] = planUpgrade(available, applied, options.to).map((source) => ({
        source,
        direction: 'up',
        storedName: source.fileName,
      }));
      const steps = (require('./squash/replaces') as typeof import('./squash/replaces')).resolveUpgrade(available, applied, planned);
      if (steps.length === 0) return [];
      const { upgradeContext } = require('./runner/fresh') as typeof import('./runner/fresh');
      return runSteps(await upgradeContext({ ...this.context(), lock }, this.options, applied), steps);
    });
  }

  async downgrade(options: DowngradeOptions = {}): Promise<StepResult[]> {
    checkKeys(options, ['step', 'to'], 'downgrade');
    if (options.step !== undefined && options.to !== undefined) {
      throw new OptionsError('downgrade takes `step` or `to`, not both.', 'step');
    }
    if (options.step !== undefined && (!Number.isInteger(options.step) || options.step < 1)) {
      throw new OptionsError(`downgrade \`step\` must be a whole number of 1 or more, not ${JSON.stringify(options.step)}.`, 'step');
    }
    const available = this.sources();
    const byName = new Map(available.map((s) => [s.name, s]));
    return this.locked(async (lock) => {
      const applied = await this.settledHistory(available);
      this.verify(available, applied, false);
      const planned = planDowngrade(available, applied, options);
      const { resolveDowngrade } = require('./squash/replaces') as typeof import('./squash/replaces');
      const { rows, replaced } = resolveDowngrade(available, applied, planned, options.to !== undefined);
      const steps: Step[] = rows.map((row) => {
        const source = byName.get(row.name);
        if (!source) {
          throw new MissingMigrationError(
            `Cannot revert "${row.storedName}": its file is not here (a newer release applied it). Downgrade with that release's files.`,
            row.name,
          );
        }
        return { source, direction: 'down', storedName: row.storedName, applied: row, replaced: replaced.get(row.name) };
      });
      return runSteps({ ...this.context(), lock }, steps);
    });
  }

  /** The history rows, one query (reset() asks this between tests: no marker lookup). */
  async applied(): Promise<AppliedInfo[]> {
    return (await this.history.read()) ?? [];
  }

  async status(): Promise<Status> {
    const available = this.sources();
    const applied = inRunOrder(available, await this.applied());
    const recorded = new Set(applied.map((a) => a.name));
    const markers = (await this.progress.read()).filter((m) => !recorded.has(m.migration));
    const step = ({ storedName: _, live: __, ...rest }: Marker) => rest;
    const { lockTimeoutMs, lockStrategy, sequelize } = this.options;
    const { problems, orphans } = historyProblems(available, applied, this.historyCheck(), true);
    return {
      applied,
      pending: pendingSources(available, applied).map((s) => s.name),
      current: applied.length > 0 ? applied[applied.length - 1].name : null,
      incomplete: markers.filter((m) => !m.live).map(step),
      inProgress: markers.filter((m) => m.live).map(step),
      lock: lockTimeoutMs === null ? null : await this.dialect.describeLock(sequelize, lockStrategy),
      problems: problems.map((p) => ({ migration: p.subject ?? '', code: p.code as HistoryProblemInfo['code'], message: p.message })),
      newer: orphans.map((o) => o.name),
    };
  }

  async stamp(target: Target): Promise<void> {
    if (target === undefined || target === null) throw new OptionsError("stamp needs a target: 'head', a migration name, or 0.", 'target');
    const available = this.sources();
    // An unknown target, or a name the history cannot hold, fails before anything changes.
    const recorded = planStamp(available, [], target).add.map((source) => source.fileName);
    await this.locked(async () => {
      await this.history.ensure(recorded);
      const applied = (await this.history.read()) ?? [];
      const { add, remove } = planStamp(available, applied, target);
      await this.history.remove(
        remove.map((r) => r.storedName),
        null,
      );
      for (const source of add) {
        await this.history.insert({ storedName: source.fileName, checksum: source.checksum(), appliedAt: null, durationMs: null }, null);
      }
      // Stamping is how an operator records the outcome of an interrupted migration: markers go.
      const markers = await this.progress.read();
      if (markers.length > 0) await this.progress.dropAll();
      const cleared = markers.length > 0 ? `; cleared the interrupted-run marker of ${markers.map((m) => m.migration).join(', ')}` : '';
      this.options.logger.info(`stamped ${target}: ${add.length} recorded, ${remove.length} removed${cleared}`);
    });
  }

  private autogenerate(): Autogenerate {
    return require('./autogenerate') as Autogenerate;
  }

  async diff(options: Pick<GenerateOptions, 'renames'> = {}): Promise<Operation[]> {
    const { computeDiff } = require('./compute-diff') as typeof import('./compute-diff');
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
    if (this.folder !== null) (require('./bundle') as typeof import('./bundle')).assertBundleIndexFresh(this.folder);
    const available = this.sources();
    const applied = await this.applied();
    await this.refuseIncomplete(available, applied);
    this.verify(available, applied, true);
    await this.autogenerate().checkDrift(this.options, this.dialect, await this.status());
  }

  async reset(): Promise<void> {
    if (this.options.storage) {
      throw new UnsupportedError('reset() empties the history table; it cannot reset an umzug `storage`. Use the default history table in tests.', 'storage');
    }
    await (require('./reset') as typeof import('./reset')).resetDatabase(this, this.options, this.dialect);
  }

  async sql(options: SqlOptions = {}): Promise<string> {
    checkKeys(options, ['from', 'to'], 'sql');
    if (!this.dialect.capabilities.transactionalDDL) {
      throw new UnsupportedError(
        `${this.dialect.displayName} commits DDL implicitly, so the SQL of an upgrade cannot be captured without running it. ` +
          'Run it against a scratch database, or read the migration files.',
        this.dialect.name,
      );
    }
    const available = this.sources();
    const { sequelize } = this.options;
    return this.locked(async () => {
      const applied = inRunOrder(available, (await this.history.read()) ?? []);
      const current = applied.length > 0 ? applied[applied.length - 1].name : 0;
      if (options.from !== undefined && String(options.from) !== String(current) && !(options.from === 'base' && current === 0)) {
        throw new UnsupportedError(
          `sql starts from the database's current migration (${current === 0 ? 'base' : current}), not "${options.from}": ` +
            'it runs the upgrade inside a transaction and rolls it back.',
          String(options.from),
        );
      }
      this.verify(available, applied, true);
      const planned: Step[] = planUpgrade(available, applied, options.to).map((source) => ({ source, direction: 'up', storedName: source.fileName }));
      const steps = (require('./squash/replaces') as typeof import('./squash/replaces')).resolveUpgrade(available, applied, planned);
      const statements: string[] = [];
      const runtime = runtimeOptions(sequelize);
      const logging = runtime.logging;
      runtime.logging = (sql: string) => {
        const text = sql.replace(/^Executing \([^)]*\): /, '').trim();
        if (!/^(BEGIN|START TRANSACTION|ROLLBACK|COMMIT|PRAGMA|SELECT)\b/i.test(text)) statements.push(text.endsWith(';') ? text : `${text};`);
      };
      // A history table of its own: the dry run's ensure() is rolled back with everything else.
      // An umzug storage may write outside the database (a JSON file): the dry run records nothing.
      const history: History = this.options.storage ? NO_HISTORY : new HistoryTable(sequelize, this.options.tableName);
      try {
        await runSteps(
          { ...this.context(), history, logger: { ...this.options.logger, info() {} }, dryRun: { prelude: () => history.ensure(steps.map((step) => step.storedName)) } },
          steps,
        );
      } finally {
        runtime.logging = logging;
      }
      return statements.join('\n');
    });
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

/** A history that records nothing: the dry run of sql() with a foreign storage. */
const NO_HISTORY: History = { read: async () => null, ensure: async () => undefined, insert: async () => undefined, remove: async () => undefined };

/** The run loop, loaded when there is something to run: a no-op boot never needs it. */
function runSteps(ctx: RunContext, steps: readonly Step[]): Promise<StepResult[]> {
  if (steps.length === 0) return Promise.resolve([]);
  return (require('./runner/run') as typeof import('./runner/run')).runSteps(ctx, steps);
}


function checkKeys(options: object, allowed: readonly string[], method: string): void {
  if (options === null || typeof options !== 'object') throw new OptionsError(`${method}() takes an options object.`, method);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new OptionsError(`Unknown option \`${key}\` for ${method}(): it takes ${allowed.map((k) => `\`${k}\``).join(' or ')}.`, key);
    }
  }
}
