import { InvalidArgumentError, type Command } from 'commander';
import { checkMarkdown } from './check-markdown';
import { DriftError, MigrationError, NotAtHeadError } from '../errors';
import type { Operation } from '../../types/operations';
import type { Status } from '../../types/options';
import { coloredSummary, formatSummary, summarizeOperation } from './operation-summary';
import { formatDuration, formatTimestamp, plural, type Printer } from './output';
import { outOfOrder, type OutOfOrderFlag } from './run-commands';
import { withMigrator, type CliContext } from './session';
import { checkFleet, positiveCount, statusFleet } from './fleet-commands';
import { compareNames } from '../runner/sources';

/** `current`, `history`, `status`, `check`: read-only commands. */
export function registerInspectCommands(program: Command, ctx: CliContext): void {
  program
    .command('current')
    .description('print the last applied migration')
    .option('--json', 'print the result as JSON')
    .action(async (_options: unknown, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
        const { current } = await session.migrator.status();
        if (session.json) session.printer.json({ current });
        else session.printer.line(current ?? 'base');
        return 0;
      });
    });

  program
    .command('history')
    .description('list migrations, applied and pending')
    .option('--json', 'print the result as JSON')
    .action(async (_options: unknown, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
        const entries = historyEntries(await session.migrator.status());
        if (session.json) session.printer.json({ migrations: entries });
        else printHistory(session.printer, entries);
        return 0;
      });
    });

  program
    .command('status')
    .description('counts, current and pending migrations, drift')
    .option('--allow-out-of-order', 'do not count pending migrations older than the newest applied one as a problem')
    .option('--json', 'print the result as JSON')
    .option('--all-tenants', 'every tenant the config exports: how many at head, behind, interrupted')
    .option('--concurrency <n>', 'with --all-tenants: how many tenants at once (default 1)', positiveCount)
    .action(async (options: OutOfOrderFlag & { allTenants?: boolean }, command: Command) => {
      if (options.allTenants) return statusFleet(ctx, command);
      await withMigrator(ctx, command, { progress: false, overrides: outOfOrder(options) }, async (session) => {
        const status = await session.migrator.status();
        const drift = await driftOf(() => session.migrator.diff());
        if (session.json) {
          session.printer.json({
            current: status.current,
            applied: status.applied.map((a) => a.name),
            pending: status.pending,
            incomplete: status.incomplete,
            inProgress: status.inProgress,
            lock: status.lock,
            problems: status.problems,
            newer: status.newer,
            drift: 'operations' in drift ? drift.operations.length : null,
            ...('unavailable' in drift ? { driftUnavailable: drift.unavailable } : {}),
          });
        } else {
          printStatus(session.printer, status, drift);
        }
        return 0;
      });
    });

  program
    .command('check')
    .description('fail unless at head and matching the models')
    .option('--allow-out-of-order', 'do not count pending migrations older than the newest applied one as a problem')
    .option('--format <format>', 'text, or markdown (a table for a pull-request comment)', checkFormat, 'text')
    .option('--json', 'print the result as JSON')
    .option('--all-tenants', 'every tenant the config exports: fail when one is not at head or drifts')
    .option('--concurrency <n>', 'with --all-tenants: how many tenants at once (default 1)', positiveCount)
    .action(async (options: OutOfOrderFlag & { format: 'text' | 'markdown'; allTenants?: boolean }, command: Command) => {
      if (options.allTenants) return checkFleet(ctx, command);
      await withMigrator(ctx, command, { progress: false, overrides: outOfOrder(options) }, async (session) => {
        const status = await session.migrator.status();
        const result = await checkResult(() => session.migrator.check());
        const ok = result.pending.length === 0 && result.operations?.length === 0;
        if (session.json) {
          session.printer.json({
            ok,
            current: status.current,
            pending: result.pending,
            drift: result.operations?.map((op) => formatSummary(summarizeOperation(op))) ?? null,
            operations: result.operations,
          });
        } else if (options.format === 'markdown') {
          session.printer.text(checkMarkdown({ current: status.current, ...result }));
        } else {
          printCheck(session.printer, status.current, result);
        }
        return ok ? 0 : 1;
      });
    });
}

function checkFormat(value: string): 'text' | 'markdown' {
  if (value !== 'text' && value !== 'markdown') throw new InvalidArgumentError("expected 'text' or 'markdown'");
  return value;
}

/** A migration's state as upgrade() sees it; every state but applied and pending stops upgrade(), except newer. */
export type HistoryState = 'applied' | 'pending' | 'changed' | 'missing' | 'newer' | 'out-of-order' | 'interrupted';

export interface HistoryEntry {
  readonly name: string;
  readonly applied: boolean;
  readonly state: HistoryState;
  /** ISO 8601; null when pending or when the row was written by another tool or by `stamp`. */
  readonly appliedAt: string | null;
  readonly durationMs: number | null;
  readonly current: boolean;
  /** The newest migration file: what `upgrade` goes to. */
  readonly head: boolean;
}

const PROBLEM_STATE: Readonly<Record<Status['problems'][number]['code'], HistoryState>> = {
  E_CHECKSUM: 'changed',
  E_MISSING_MIGRATION: 'missing',
  E_OUT_OF_ORDER: 'out-of-order',
};

/** Every migration, applied or pending, in name order: the order upgrade() runs them in. */
export function historyEntries(status: Status): HistoryEntry[] {
  const problem = new Map(status.problems.map((p) => [p.migration, PROBLEM_STATE[p.code]]));
  const newer = new Set(status.newer);
  const interrupted = new Set(status.incomplete.map((step) => step.migration));
  const entries = [
    ...status.applied.map((a) => ({
      name: a.name,
      applied: true,
      state: problem.get(a.name) ?? (newer.has(a.name) ? 'newer' : 'applied'),
      appliedAt: a.appliedAt ? a.appliedAt.toISOString() : null,
      durationMs: a.durationMs,
      current: a.name === status.current,
    })),
    ...status.pending.map((name) => ({
      name,
      applied: false,
      state: interrupted.has(name) ? 'interrupted' : (problem.get(name) ?? 'pending'),
      appliedAt: null,
      durationMs: null,
      current: false,
    })),
  ].sort((a, b) => compareNames(a.name, b.name));
  // Head is the newest file; rows without a file (missing, newer) are not a migration one can reach.
  const files = entries.filter((e) => e.state !== 'missing' && e.state !== 'newer');
  const head = files.length > 0 ? files[files.length - 1]!.name : null;
  return entries.map((e) => ({ ...e, state: e.state as HistoryState, head: e.name === head }));
}

/** How `history` shows a state that is not plain applied or pending. */
function stateNote(out: Printer['out'], state: HistoryState): string {
  switch (state) {
    case 'applied':
    case 'pending':
      return '';
    case 'changed':
      return `  ${out.red('changed since applied: upgrade refuses (E_CHECKSUM)')}`;
    case 'missing':
      return `  ${out.red('file missing: upgrade refuses (E_MISSING_MIGRATION)')}`;
    case 'newer':
      return `  ${out.yellow('file not here: applied by a newer release')}`;
    case 'out-of-order':
      return `  ${out.red('older than an applied migration: upgrade refuses (E_OUT_OF_ORDER)')}`;
    case 'interrupted':
      return `  ${out.red('interrupted, may be partly applied: upgrade refuses (E_INCOMPLETE_MIGRATION)')}`;
    default: {
      const unknown: never = state;
      return String(unknown);
    }
  }
}

function printHistory(printer: Printer, entries: readonly HistoryEntry[]): void {
  const { out } = printer;
  if (entries.length === 0) {
    printer.line('No migrations yet: create one with `automigrate migrate -m MESSAGE`');
    return;
  }
  const width = Math.max(...entries.map((e) => e.name.length));
  for (const entry of entries) {
    const tags = [entry.current ? 'current' : null, entry.head ? 'head' : null].filter(Boolean);
    const tagText = tags.length > 0 ? ` ${out.cyan(`(${tags.join(', ')})`)}` : '';
    const name = entry.name.padEnd(width);
    const note = stateNote(out, entry.state);
    if (!entry.applied) {
      const mark = entry.state === 'pending' ? out.yellow('·') : out.red('✗');
      printer.line(`${mark} ${name}  ${out.yellow('pending')}${tagText}${note}`);
      continue;
    }
    const mark = entry.state === 'applied' ? out.green('✓') : entry.state === 'newer' ? out.yellow('?') : out.red('✗');
    const when = entry.appliedAt ? formatTimestamp(new Date(entry.appliedAt)) : 'applied';
    const took = entry.durationMs !== null ? `  ${out.dim(formatDuration(entry.durationMs))}` : '';
    printer.line(`${mark} ${name}  ${when}${took}${tagText}${note}`);
  }
}

type Drift = { readonly operations: readonly Operation[] } | { readonly unavailable: string };

/** The diff, or why the dialect cannot compute one (E_UNSUPPORTED); other errors propagate. */
async function driftOf(diff: () => Promise<readonly Operation[]>): Promise<Drift> {
  try {
    return { operations: await diff() };
  } catch (error) {
    if (error instanceof MigrationError && error.code === 'E_UNSUPPORTED') return { unavailable: error.message };
    throw error;
  }
}

interface CheckResult {
  readonly pending: readonly string[];
  /** Null when not compared: the library compares only a database at head. */
  readonly operations: readonly Operation[] | null;
}

/** What `migrator.check()` found: pending migrations (NotAtHeadError) or differences (DriftError). */
async function checkResult(check: () => Promise<void>): Promise<CheckResult> {
  try {
    await check();
    return { pending: [], operations: [] };
  } catch (error) {
    if (error instanceof NotAtHeadError) return { pending: error.pending, operations: null };
    if (error instanceof DriftError) return { pending: [], operations: error.operations };
    throw error;
  }
}

function printStatus(printer: Printer, status: Status, drift: Drift): void {
  const { out } = printer;
  printer.line(`Current:  ${status.current ?? 'base'}`);
  printer.line(`Applied:  ${status.applied.length}`);
  printer.line(`Pending:  ${status.pending.length === 0 ? '0' : out.yellow(String(status.pending.length))}`);
  for (const name of status.pending) printer.line(`  ${out.yellow('·')} ${name}`);
  for (const step of status.incomplete) {
    const when = step.startedAt ? ` at ${step.startedAt.toISOString()}` : '';
    printer.line(
      out.red(`Interrupted: ${step.migration} (${step.direction}, begun${when}${step.by ? ` by ${step.by}` : ''}): may be partly applied; `) +
        out.red('`automigrate upgrade` says how to resolve it'),
    );
  }
  for (const step of status.inProgress) {
    const beat = step.heartbeatAt ? `, alive at ${step.heartbeatAt.toISOString()}` : '';
    printer.line(out.yellow(`In progress: ${step.migration} (${step.direction}, on ${step.by ?? 'another process'}${beat})`));
  }
  printer.line(`Lock:     ${status.lock ?? out.dim('none (lock: false)')}`);
  for (const problem of status.problems) printer.line(out.red(`Refused:  ${problem.migration} (${problem.code}): ${problem.message}`));
  if (status.newer.length > 0) {
    printer.line(out.yellow(`Newer:    ${status.newer.join(', ')}: applied by a newer release, no file here (upgrade runs on; downgrade needs their files)`));
  }
  if ('unavailable' in drift) {
    printer.line(`Drift:    ${out.dim('drift check unavailable')} (${drift.unavailable})`);
  } else if (drift.operations.length === 0) {
    printer.line(`Drift:    ${out.green('none')}, the models match the database`);
  } else {
    // The database is compared as it is: what pending migrations would create counts as drift.
    const note = status.pending.length > 0 ? ' (the pending migrations may cover them)' : ' (`automigrate check` lists them)';
    printer.line(`Drift:    ${out.yellow(plural(drift.operations.length, 'operation'))}${note}`);
  }
}

function printCheck(printer: Printer, current: string | null, result: CheckResult): void {
  const { out } = printer;
  if (result.pending.length > 0) {
    printer.line(out.bold(`${plural(result.pending.length, 'pending migration')} (run \`automigrate upgrade\`):`));
    for (const name of result.pending) printer.line(`  ${out.yellow('·')} ${name}`);
    printer.line(out.dim('The models are compared with the database once it is at head.'));
    return;
  }
  const operations = result.operations ?? [];
  if (operations.length === 0) {
    printer.line(`${out.green('OK')}: at head (${current ?? 'base'}) and the models match the database`);
    return;
  }
  printer.line(
    out.bold(`The models differ from the database by ${plural(operations.length, 'operation')} (run \`automigrate migrate -m MESSAGE\`):`),
  );
  for (const op of operations) printer.line(`  ${coloredSummary(printer.out, op)}`);
}
