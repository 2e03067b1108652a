import type { Sequelize } from 'sequelize';
import type { AutoMigrateOptions, Hooks, LockStrategy, Logger, MigratorOptions, OnDrift, TransactionMode } from '../types/options';
import { dialectOf } from './dialects';
import type { Dialect } from './dialects/dialect';
import { OptionsError } from './errors';
import { DEFAULT_TABLE, progressTableName } from './runner/history';
import { poolMax } from './sequelize-internals';

export { DEFAULT_TABLE };
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  readonly sequelize: Sequelize;
  readonly migrations: MigratorOptions['migrations'];
  readonly tableName: string;
  /** null: no lock. */
  readonly lockTimeoutMs: number | null;
  /** Which lock (see LockStrategy); the dialect resolves 'auto'. */
  readonly lockStrategy: LockStrategy;
  readonly transaction: TransactionMode;
  readonly logger: Logger;
  readonly hooks: Hooks;
  readonly include: MigratorOptions['include'];
  readonly language: MigratorOptions['language'];
  readonly allowOutOfOrder: boolean;
  /** null: no bound. */
  readonly stepTimeoutMs: number | null;
  /** An umzug storage in place of the history table; undefined: the history table. */
  readonly storage: MigratorOptions['storage'];
  /** The PostgreSQL schema migrated (`createMigrator({ schema })`); null: the connection's default. */
  readonly schema: string | null;
  /** A fresh database upgraded in one transaction (runner/fresh.ts). Default true. */
  readonly freshInOneTransaction: boolean;
}

const MIGRATOR_KEYS = [
  'sequelize',
  'migrations',
  'tableName',
  'lock',
  'transaction',
  'logger',
  'hooks',
  'include',
  'language',
  'allowOutOfOrder',
  'stepTimeoutMs',
  'storage',
  'schema',
  'freshInOneTransaction',
] as const;

const silent: Logger = { info() {}, warn() {}, error() {}, debug() {} };

export function resolveOptions(options: MigratorOptions, extraKeys: readonly string[] = []): ResolvedOptions {
  if (!options || typeof options !== 'object') throw new OptionsError('createMigrator needs an options object: { sequelize, migrations }.');
  const known = [...MIGRATOR_KEYS, ...extraKeys];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const hint = closest(key, known);
      throw new OptionsError(`Unknown option \`${key}\`${hint ? `: did you mean \`${hint}\`?` : '.'} Known options: ${known.join(', ')}.`, key);
    }
  }
  const { sequelize, migrations } = options;
  if (!sequelize || typeof (sequelize as { getQueryInterface?: unknown }).getQueryInterface !== 'function') {
    throw new OptionsError('Option `sequelize` must be a Sequelize instance.', 'sequelize');
  }
  if (typeof migrations !== 'string' && !Array.isArray(migrations)) {
    throw new OptionsError('Option `migrations` must be a folder path or an array of { name, up, down } migrations.', 'migrations');
  }
  const tableName = options.tableName ?? DEFAULT_TABLE;
  if (typeof tableName !== 'string' || tableName === '') throw new OptionsError('Option `tableName` must be a non-empty string.', 'tableName');
  assertTableNamesFit(dialectOf(sequelize), tableName);
  const transaction = options.transaction ?? 'each';
  if (!['each', 'all', 'none'].includes(transaction)) {
    throw new OptionsError(`Option \`transaction\` must be 'each', 'all' or 'none', not ${JSON.stringify(transaction)}.`, 'transaction');
  }
  const language = options.language;
  if (language !== undefined && !['ts', 'js', 'mjs'].includes(language)) {
    throw new OptionsError(`Option \`language\` must be 'ts', 'js' or 'mjs', not ${JSON.stringify(language)}.`, 'language');
  }
  if (options.include !== undefined && typeof options.include !== 'function') {
    throw new OptionsError('Option `include` must be a function (object) => boolean.', 'include');
  }
  if (options.allowOutOfOrder !== undefined && typeof options.allowOutOfOrder !== 'boolean') {
    throw new OptionsError('Option `allowOutOfOrder` must be a boolean.', 'allowOutOfOrder');
  }
  const stepTimeoutMs = options.stepTimeoutMs ?? null;
  if (stepTimeoutMs !== null && (typeof stepTimeoutMs !== 'number' || !Number.isFinite(stepTimeoutMs) || stepTimeoutMs <= 0)) {
    throw new OptionsError('Option `stepTimeoutMs` must be a number of milliseconds greater than 0 (omit it for no bound).', 'stepTimeoutMs');
  }
  const storage = options.storage;
  if (storage !== undefined && !['executed', 'logMigration', 'unlogMigration'].every((m) => typeof (storage as unknown as Record<string, unknown>)?.[m] === 'function')) {
    throw new OptionsError('Option `storage` must be an umzug storage: an object with executed(), logMigration() and unlogMigration().', 'storage');
  }
  // Validated where schema tenants live, loaded only when the option is given.
  const schema = options.schema === undefined ? null : (require('./tenants/schema-option') as typeof import('./tenants/schema-option')).resolveSchema(sequelize, options.schema, transaction);
  if (options.freshInOneTransaction !== undefined && typeof options.freshInOneTransaction !== 'boolean') {
    throw new OptionsError('Option `freshInOneTransaction` must be a boolean.', 'freshInOneTransaction');
  }
  const lockTimeoutMs = resolveLock(options.lock);
  const lockStrategy = resolveLockStrategy(options.lock);
  assertPoolFitsLock(sequelize, lockTimeoutMs);
  return {
    sequelize,
    migrations,
    tableName,
    lockTimeoutMs,
    lockStrategy,
    transaction,
    logger: resolveLogger(options.logger),
    hooks: resolveHooks(options.hooks),
    include: options.include,
    language,
    allowOutOfOrder: options.allowOutOfOrder ?? false,
    stepTimeoutMs,
    storage,
    schema,
    freshInOneTransaction: options.freshInOneTransaction ?? true,
  };
}

function resolveLock(lock: MigratorOptions['lock']): number | null {
  if (lock === undefined || lock === true) return DEFAULT_LOCK_TIMEOUT_MS;
  if (lock === false) return null;
  if (typeof lock === 'object' && lock !== null) {
    const extra = Object.keys(lock).filter((k) => k !== 'timeoutMs' && k !== 'strategy');
    if (extra.length > 0) {
      throw new OptionsError(`Unknown option \`lock.${extra[0]}\`: lock takes { timeoutMs, strategy }.`, `lock.${extra[0]}`);
    }
    const timeoutMs = lock.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw new OptionsError('Option `lock.timeoutMs` must be a number of milliseconds, 0 or more.', 'lock.timeoutMs');
    }
    return timeoutMs;
  }
  throw new OptionsError('Option `lock` must be true, false or { timeoutMs, strategy }.', 'lock');
}

const LOCK_STRATEGIES: readonly LockStrategy[] = ['auto', 'advisory', 'lease'];

function resolveLockStrategy(lock: MigratorOptions['lock']): LockStrategy {
  const strategy = typeof lock === 'object' && lock !== null ? (lock.strategy ?? 'auto') : 'auto';
  if (!LOCK_STRATEGIES.includes(strategy)) {
    throw new OptionsError(
      `Option \`lock.strategy\` must be ${LOCK_STRATEGIES.map((s) => `'${s}'`).join(', ')}, not ${JSON.stringify(strategy)}.`,
      'lock.strategy',
    );
  }
  return strategy;
}

/**
 * On PostgreSQL and MySQL the lock holds one pooled connection for the whole run and the
 * migrations need another: with `pool.max: 1` the run would wait for itself until the pool's
 * acquire timeout. SQLite's lock lives outside the pool.
 */
function assertPoolFitsLock(sequelize: Sequelize, lockTimeoutMs: number | null): void {
  if (lockTimeoutMs === null || !dialectOf(sequelize).lockHoldsPoolConnection) return;
  const max = poolMax(sequelize);
  if (typeof max === 'number' && max < 2) {
    throw new OptionsError(
      `The Sequelize pool allows ${max} connection, but the migration lock holds one while migrations use another: ` +
        'set `pool.max` to 2 or more for the migrator, or pass `lock: false` where one process migrates.',
      'lock',
    );
  }
}

/**
 * PostgreSQL truncates identifiers to 63 bytes silently, so `<tableName>_progress` could become
 * the history table's own name, and dropping it would drop the history (issue 13); MySQL refuses
 * names over 64 characters on every statement (errno 1103). Both are refused here, before any query.
 */
function assertTableNamesFit(dialect: Dialect, tableName: string): void {
  const limit = dialect.maxIdentifierLength;
  if (!limit) return;
  const size = (name: string) => (limit.unit === 'bytes' ? Buffer.byteLength(name, 'utf8') : [...name].length);
  const progress = progressTableName(tableName);
  const tooLong = [tableName, progress].find((name) => size(name) > limit.max);
  if (tooLong === undefined) return;
  const room = limit.max - (size(progress) - size(tableName));
  const which = tooLong === tableName ? 'it is' : `the migrator also creates "${progress}", which is`;
  throw new OptionsError(
    `Option \`tableName\` "${tableName}" is too long for ${dialect.displayName}: identifiers there are limited to ${limit.max} ${limit.unit}, ` +
      `and ${which} ${size(tooLong)}. Use a tableName of at most ${room} ${limit.unit}.`,
    'tableName',
  );
}

function resolveLogger(logger: MigratorOptions['logger']): Logger {
  if (logger === false) return silent;
  if (logger === undefined) return console;
  for (const method of ['info', 'warn', 'error'] as const) {
    if (typeof (logger as unknown as Record<string, unknown>)?.[method] !== 'function') {
      throw new OptionsError(`Option \`logger\` must be false or have info, warn and error methods (missing ${method}).`, 'logger');
    }
  }
  return logger;
}

function resolveHooks(hooks: MigratorOptions['hooks']): Hooks {
  if (hooks === undefined) return {};
  if (typeof hooks !== 'object' || hooks === null) throw new OptionsError('Option `hooks` must be an object.', 'hooks');
  for (const key of Object.keys(hooks)) {
    if (key !== 'beforeStep' && key !== 'afterStep' && key !== 'onLockWait') {
      throw new OptionsError(`Unknown hook \`hooks.${key}\`: hooks are beforeStep, afterStep and onLockWait.`, `hooks.${key}`);
    }
    if (typeof (hooks as Record<string, unknown>)[key] !== 'function') {
      throw new OptionsError(`Hook \`hooks.${key}\` must be a function.`, `hooks.${key}`);
    }
  }
  return hooks;
}

/**
 * 'warn' in development; 'ignore' when NODE_ENV is 'production', where the comparison (it
 * introspects the database and builds every model's schema: hundreds of milliseconds with 200
 * models) would be paid on every start, and where `automigrate check` in CI does its job.
 */
export function defaultOnDrift(): OnDrift {
  return process.env.NODE_ENV === 'production' ? 'ignore' : 'warn';
}

export function resolveOnDrift(options: AutoMigrateOptions): OnDrift {
  const onDrift = options.onDrift ?? defaultOnDrift();
  if (!['warn', 'throw', 'ignore'].includes(onDrift)) {
    throw new OptionsError(`Option \`onDrift\` must be 'warn', 'throw' or 'ignore', not ${JSON.stringify(onDrift)}.`, 'onDrift');
  }
  return onDrift;
}

/** The known name within edit distance 2 of a mistyped one (`transacton` -> `transaction`). */
function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = distance(input.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/**
 * The options object of one method call (`upgrade({ to })`): an object, with no key the method
 * does not take. Here, beside resolveOptions: the no-op boot path calls it too.
 * @throws OptionsError (E_OPTIONS) naming the unknown key.
 */
export function checkKeys(options: object, allowed: readonly string[], method: string): void {
  if (options === null || typeof options !== 'object') throw new OptionsError(`${method}() takes an options object.`, method);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new OptionsError(`Unknown option \`${key}\` for ${method}(): it takes ${allowed.map((k) => `\`${k}\``).join(' or ')}.`, key);
    }
  }
}

/**
 * downgrade()'s options: `step` (a whole number of 1 or more) or `to`, not both.
 * @throws OptionsError (E_OPTIONS)
 */
export function checkDowngradeOptions(options: { readonly step?: number; readonly to?: unknown }): void {
  checkKeys(options, ['step', 'to'], 'downgrade');
  if (options.step !== undefined && options.to !== undefined) {
    throw new OptionsError('downgrade takes `step` or `to`, not both.', 'step');
  }
  if (options.step !== undefined && (!Number.isInteger(options.step) || options.step < 1)) {
    throw new OptionsError(`downgrade \`step\` must be a whole number of 1 or more, not ${JSON.stringify(options.step)}.`, 'step');
  }
}
