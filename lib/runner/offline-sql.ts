/**
 * Offline SQL (Alembic's `--sql`): the script an upgrade or downgrade from FROM to TO would run,
 * written without running anything, for a DBA to review and run. The schema at FROM is never
 * read: each migration runs against a capture (offline-capture.ts) that records its statements;
 * a migration that reads the database fails with OfflineReadError. The script carries what the
 * runner adds around migrations: the history table when starting from base, each history row,
 * and the transaction wrapping, as statements of its own (or, where DDL commits implicitly, a
 * comment saying so).
 */
import type { Sequelize } from 'sequelize';
import type { AppliedInfo, Direction, SqlOptions, SqlScript, SqlScriptMigration, Target, TransactionMode } from '../../types/options';
import type { Dialect, OfflineShadow } from '../dialects/dialect';
import { ConnectionError, MigrationError, MissingMigrationError, NoDownError, OptionsError } from '../errors';
import { historyAttributes } from './history';
import { captureOffline } from './offline-capture';
import { inRunOrder, planDowngrade, planUpgrade, verifyHistory, type HistoryCheck } from './plan';
import { resolveTarget } from './plan';
import { resolveDowngrade, resolveUpgrade, type ReplacedRow } from '../squash/replaces';
import { migrationName, type MigrationSource } from './sources';
import { sequelizeModuleOf } from '../sequelize-internals';

export interface OfflineContext {
  readonly sequelize: Sequelize;
  readonly dialect: Dialect;
  readonly available: readonly MigrationSource[];
  readonly tableName: string;
  readonly mode: TransactionMode;
  /** An umzug storage keeps the history: the script writes no history statements. */
  readonly foreignHistory: boolean;
  readonly check: HistoryCheck;
  /** The history, read only when `from` is omitted. */
  readHistory(): Promise<AppliedInfo[] | null>;
}

interface Planned {
  readonly source: MigrationSource;
  readonly storedName: string;
  /** A squashed baseline's replaced migrations, recorded with it (lib/squash/replaces.ts). */
  readonly replaced?: readonly ReplacedRow[];
  /** A baseline whose range the database has passed: recorded, not run. */
  readonly recordOnly?: boolean;
}

interface Step extends Planned {
  readonly fn: (params: unknown, S: unknown) => unknown;
  readonly transactional: boolean;
}

/** The script from `options.from` to `options.to` (see SqlOptions), as text and per migration. */
export async function offlineScript(ctx: OfflineContext, options: SqlOptions): Promise<SqlScript> {
  const direction: Direction = options.direction ?? 'up';
  if (direction !== 'up' && direction !== 'down') {
    throw new OptionsError(`sql \`direction\` must be 'up' or 'down', not ${JSON.stringify(direction)}.`, 'direction');
  }
  const { applied, historyExists } = await startingPoint(ctx, options.from, direction);
  const steps = await loadSteps(ctx, planSteps(ctx, applied, options, direction), direction);
  const { sequelize, dialect } = ctx;
  const rules = dialect.offlineScript;
  const assumptions: string[] = [];
  const keep = (captured: { statements: string[]; assumptions: string[] }) => {
    for (const note of captured.assumptions) if (!assumptions.includes(note)) assumptions.push(note);
    return captured.statements;
  };
  const queryInterface = sequelize.getQueryInterface();
  const shadow = steps.length > 0 ? rules.shadow?.(sequelize) : undefined;
  const migrations: SqlScriptMigration[] = [];
  let prelude: string[] = [];
  try {
    // The scratch database starts at FROM: the migrations up to it, as written (nothing is read).
    if (shadow) await replay(ctx, shadow, applied);
    if (direction === 'up' && !historyExists && !ctx.foreignHistory && steps.length > 0) {
      const create = () => queryInterface.createTable(ctx.tableName, historyAttributes(sequelize));
      prelude = keep(await captureOffline(sequelize, rules, { migration: `history table ${ctx.tableName}`, direction }, create));
    }
    for (const step of steps) {
      const name = step.source.name;
      const run = async () => step.fn(migrationParams(sequelize, step.source), sequelize.constructor);
      const statements = keep(await captureOffline(sequelize, rules, { migration: name, direction, shadow }, run));
      // The scratch database holds the migrations' schema only: no history table there.
      const history = ctx.foreignHistory ? [] : keep(await captureOffline(sequelize, rules, { migration: name, direction }, () => historyStatement(ctx, step, direction)));
      migrations.push({ name, direction, statements, history, transaction: step.transactional });
    }
  } finally {
    await shadow?.close();
  }
  const reverted = new Set(steps.flatMap((s) => [s.source.name, ...(s.replaced ?? []).map((r) => migrationName(r.storedName))]));
  const finalState = direction === 'up' ? [...applied.map((a) => a.name), ...steps.map((s) => s.source.name)] : applied.map((a) => a.name).filter((n) => !reverted.has(n));
  const from = applied.length > 0 ? applied[applied.length - 1].name : null;
  const to = finalState.length > 0 ? finalState[finalState.length - 1] : null;
  const script = { direction, from, to, prelude, migrations, assumptions };
  return { ...script, text: (require('./offline-text') as typeof import('./offline-text')).scriptText(ctx, script) };
}

/** One object for both signatures, as the runner passes it (run.ts): sequelize-cli's and umzug's. */
function migrationParams(sequelize: Sequelize, source: MigrationSource): unknown {
  const queryInterface = sequelize.getQueryInterface();
  return Object.create(queryInterface, { name: { value: source.name }, path: { value: source.path ?? undefined }, context: { value: queryInterface } });
}

/** Runs the `up` of every migration applied at FROM on the scratch database, recording nothing. */
async function replay(ctx: OfflineContext, shadow: OfflineShadow, applied: readonly AppliedInfo[]): Promise<void> {
  const byName = new Map(ctx.available.map((s) => [s.name, s]));
  // A baseline after its originals (here and applied) was only recorded: they built the schema.
  const done = new Set(applied.map((a) => a.name));
  const recordedOnly = (source: MigrationSource) => (source.replaces?.() ?? []).some((stored) => byName.has(migrationName(stored)) && done.has(migrationName(stored)));
  for (const row of applied) {
    const source = byName.get(row.name);
    if (!source || recordedOnly(source)) continue;
    const { up } = await source.load();
    await captureOffline(ctx.sequelize, ctx.dialect.offlineScript, { migration: source.name, direction: 'up', shadow, replay: true }, async () => up(migrationParams(ctx.sequelize, source) as never, ctx.sequelize.constructor as never));
  }
}

/** The history at FROM: read from the database when `from` is omitted, else every migration up to it. */
async function startingPoint(ctx: OfflineContext, from: Target | undefined, direction: Direction): Promise<{ applied: AppliedInfo[]; historyExists: boolean }> {
  if (from === undefined) {
    let read: AppliedInfo[] | null;
    try {
      read = await ctx.readHistory();
    } catch (error) {
      if (!(error instanceof MigrationError && error.code === 'E_CONNECTION')) throw error;
      throw new ConnectionError(
        `${error.message.replace(/\.?$/, '.')} Without the database, say where the script starts: \`from: 'base'\` (automigrate upgrade --sql base:head) or a migration name.`,
        error.subject ?? '',
        error,
      );
    }
    const applied = inRunOrder(ctx.available, read ?? []);
    verifyHistory(ctx.available, applied, ctx.check, direction === 'up');
    return { applied, historyExists: read !== null };
  }
  const last = resolveTarget(ctx.available, from, 'start the script');
  const row = (name: string, storedName: string, checksum: string | null): AppliedInfo => ({ name, storedName, appliedAt: null, durationMs: null, checksum });
  // A baseline's record covers the migrations it replaces (upgrade() wrote their rows with it),
  // whether or not their files are still here.
  const slice = ctx.available.slice(0, last + 1);
  const present = new Set(slice.map((s) => s.name));
  const applied = slice.flatMap((s) => [
    ...(s.replaces?.() ?? []).filter((stored) => !present.has(migrationName(stored))).map((stored) => row(migrationName(stored), stored, null)),
    row(s.name, s.fileName, s.checksum()),
  ]);
  return { applied, historyExists: last >= 0 };
}

function planSteps(ctx: OfflineContext, applied: readonly AppliedInfo[], options: SqlOptions, direction: Direction): Planned[] {
  const at = applied.length > 0 ? resolveTarget(ctx.available, applied[applied.length - 1].name, 'start the script') : -1;
  if (direction === 'up') {
    const to = options.to ?? 'head';
    if (resolveTarget(ctx.available, to, 'upgrade') < at) {
      throw new OptionsError(`An upgrade script cannot go from ${applied[applied.length - 1].name} back to ${String(to)}: ask for a downgrade (direction 'down', downgrade --sql).`, 'to');
    }
    const planned = planUpgrade(ctx.available, applied, to).map((source) => ({ source, direction: 'up' as const, storedName: source.fileName }));
    // A squashed baseline runs instead of the migrations it replaces, as upgrade() does.
    return resolveUpgrade(ctx.available, applied, planned);
  }
  if (options.to !== undefined && resolveTarget(ctx.available, options.to, 'downgrade') > at) {
    throw new OptionsError(`A downgrade script cannot go from ${at < 0 ? 'base' : applied[applied.length - 1].name} up to ${String(options.to)}: ask for an upgrade.`, 'to');
  }
  const byName = new Map(ctx.available.map((s) => [s.name, s]));
  // Reverting a squashed baseline reverts the range it replaces, as downgrade() does: their rows go with its own.
  const planned = planDowngrade(ctx.available, applied, options.to === undefined ? {} : { to: options.to });
  const { rows, replaced } = resolveDowngrade(ctx.available, applied, planned, options.to !== undefined);
  return rows.map((row) => {
    const source = byName.get(row.name);
    if (!source) throw new MissingMigrationError(`Cannot write the down of "${row.storedName}": its file is not here. Use that release's files.`, row.name);
    return { source, storedName: row.storedName, replaced: replaced.get(row.name) };
  });
}

/** Every module loads first: a file that does not load fails before anything is written. */
async function loadSteps(ctx: OfflineContext, planned: readonly Planned[], direction: Direction): Promise<Step[]> {
  const steps = await Promise.all(
    planned.map(async ({ source, storedName, replaced, recordOnly }): Promise<Step> => {
      const module = recordOnly ? { up: async () => undefined, down: async () => undefined, transaction: true } : await source.load();
      const fn = direction === 'up' ? module.up : module.down;
      if (!fn) throw new NoDownError(`Migration "${source.fileName}" has no \`down\`, so its downgrade SQL cannot be written. Add a down().`, source.name);
      const transactional = ctx.mode !== 'none' && ctx.dialect.capabilities.transactionalDDL && module.transaction;
      return { source, storedName, replaced, recordOnly, fn: fn as Step['fn'], transactional };
    }),
  );
  const optedOut = ctx.mode === 'all' && ctx.dialect.capabilities.transactionalDDL ? steps.find((s) => !s.transactional) : undefined;
  if (optedOut) {
    throw new OptionsError(
      `Migration "${optedOut.source.name}" opts out of transactions, which \`transaction: 'all'\` cannot honour. Use transaction: 'each' for this script.`,
      optedOut.source.name,
    );
  }
  return steps;
}

/** The history row the runner writes with a step: the same columns, `applied_at` at run time. */
async function historyStatement(ctx: OfflineContext, step: Step, direction: Direction): Promise<void> {
  const queryInterface = ctx.sequelize.getQueryInterface();
  if (direction === 'down') {
    await queryInterface.bulkDelete(ctx.tableName, { name: [step.storedName, ...(step.replaced ?? []).map((r) => r.storedName)] });
    return;
  }
  const S = sequelizeModuleOf(ctx.sequelize);
  const at = S.literal(ctx.dialect.offlineScript.now);
  const row = { name: step.storedName, checksum: step.source.checksum(), applied_at: at, duration_ms: null };
  const replaced = (step.replaced ?? []).map((r) => ({ name: r.storedName, checksum: r.checksum, applied_at: null, duration_ms: null }));
  await queryInterface.bulkInsert(ctx.tableName, [row, ...replaced]);
}
