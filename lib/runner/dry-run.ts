/**
 * The dry-run SQL capture of `sql()`: the upgrade runs in one transaction that is always rolled
 * back, and every statement Sequelize logs meanwhile is collected.
 */
import type { AppliedInfo, SqlOptions } from '../../types/options';
import type { Dialect } from '../dialects/dialect';
import { UnsupportedError } from '../errors';
import { runtimeOptions } from '../sequelize-internals';
import type { History } from './contract';
import { HistoryTable } from './history';
import { inRunOrder, upgradeSteps } from './plan';
import { runSteps } from './run';
import type { MigrationSource } from './sources';
import type { MigratorState } from './state';

/** Bookkeeping statements that are not part of what an upgrade does to the schema. */
const NOT_CAPTURED = /^(BEGIN|START TRANSACTION|ROLLBACK|COMMIT|PRAGMA|SELECT)\b/i;

/** A history that records nothing: the dry run with a foreign (umzug) storage. */
const NO_HISTORY: History = {
  executed: async () => null,
  prepare: async () => undefined,
  logMigration: async () => undefined,
  unlogMigration: async () => undefined,
};

/**
 * The capture needs DDL inside a transaction that can be rolled back.
 * @throws UnsupportedError (E_UNSUPPORTED) on a dialect that commits DDL implicitly.
 */
export function assertCapturable(dialect: Dialect): void {
  if (dialect.capabilities.transactionalDDL) return;
  throw new UnsupportedError(
    `${dialect.displayName} commits DDL implicitly, so the SQL of an upgrade cannot be captured without running it. ` +
      'Run it against a scratch database, or read the migration files.',
    dialect.name,
  );
}

/**
 * The statements of an upgrade from the database's current migration to `options.to`. Call under
 * the lock; the caller checks that the dialect has transactional DDL.
 *
 * @throws UnsupportedError (E_UNSUPPORTED) when `options.from` is not the current migration.
 * @throws the errors of verify(): ChecksumError, OutOfOrderError, UnknownTargetError and the like.
 */
export async function captureUpgradeSql(
  state: MigratorState,
  available: readonly MigrationSource[],
  options: SqlOptions,
  verify: (applied: readonly AppliedInfo[]) => void,
): Promise<string> {
  const { sequelize } = state.options;
  const applied = inRunOrder(available, (await state.history.executed()) ?? []);
  const current = applied.length > 0 ? applied[applied.length - 1].name : 0;
  if (options.from !== undefined && String(options.from) !== String(current) && !(options.from === 'base' && current === 0)) {
    throw new UnsupportedError(
      `sql starts from the database's current migration (${current === 0 ? 'base' : current}), not "${options.from}": ` +
        'it runs the upgrade inside a transaction and rolls it back.',
      String(options.from),
    );
  }
  verify(applied);
  const steps = upgradeSteps(available, applied, options.to);
  const statements: string[] = [];
  const runtime = runtimeOptions(sequelize);
  const logging = runtime.logging;
  runtime.logging = (sql: string) => {
    const text = sql.replace(/^Executing \([^)]*\): /, '').trim();
    if (!NOT_CAPTURED.test(text)) statements.push(text.endsWith(';') ? text : `${text};`);
  };
  // A history table of its own: the dry run's prepare() is rolled back with everything else.
  // An umzug storage may write outside the database (a JSON file): the dry run records nothing.
  const history: History = state.options.storage ? NO_HISTORY : new HistoryTable(sequelize, state.options.tableName);
  try {
    await runSteps(
      { ...state.context(), history, logger: { ...state.options.logger, info() {} }, dryRun: { prelude: () => history.prepare(steps.map((step) => step.storedName)) } },
      steps,
    );
  } finally {
    runtime.logging = logging;
  }
  return statements.join('\n');
}
