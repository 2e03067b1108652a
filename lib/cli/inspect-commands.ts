import type { Command } from 'commander';
import { DriftError, MigrationError, NotAtHeadError } from '../errors';
import type { Operation } from '../../types/operations';
import type { Status } from '../../types/options';
import { coloredSummary, formatSummary, summarizeOperation } from './operation-summary';
import { formatDuration, formatTimestamp, plural, type Printer } from './output';
import { withMigrator, type CliContext } from './session';

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
    .option('--json', 'print the result as JSON')
    .action(async (_options: unknown, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
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
    .option('--json', 'print the result as JSON')
    .action(async (_options: unknown, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
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
        } else {
          printCheck(session.printer, status.current, result);
        }
        return ok ? 0 : 1;
      });
    });
}

export interface HistoryEntry {
  readonly name: string;
  readonly applied: boolean;
  /** ISO 8601; null when pending or when the row was written by another tool or by `stamp`. */
  readonly appliedAt: string | null;
  readonly durationMs: number | null;
  readonly current: boolean;
}

/** Applied migrations in the order they ran, then pending ones in the order they would run. */
export function historyEntries(status: Status): HistoryEntry[] {
  return [
    ...status.applied.map((a) => ({
      name: a.name,
      applied: true,
      appliedAt: a.appliedAt ? a.appliedAt.toISOString() : null,
      durationMs: a.durationMs,
      current: a.name === status.current,
    })),
    ...status.pending.map((name) => ({ name, applied: false, appliedAt: null, durationMs: null, current: false })),
  ];
}

function printHistory(printer: Printer, entries: readonly HistoryEntry[]): void {
  const { out } = printer;
  if (entries.length === 0) {
    printer.line('No migrations yet: create one with `automigrate migrate -m MESSAGE`');
    return;
  }
  const width = Math.max(...entries.map((e) => e.name.length));
  for (const [i, entry] of entries.entries()) {
    const tags = [entry.current ? 'current' : null, i === entries.length - 1 ? 'head' : null].filter(Boolean);
    const tagText = tags.length > 0 ? ` ${out.cyan(`(${tags.join(', ')})`)}` : '';
    const name = entry.name.padEnd(width);
    if (!entry.applied) {
      printer.line(`${out.yellow('·')} ${name}  ${out.yellow('pending')}${tagText}`);
      continue;
    }
    const when = entry.appliedAt ? formatTimestamp(new Date(entry.appliedAt)) : 'applied';
    const took = entry.durationMs !== null ? `  ${out.dim(formatDuration(entry.durationMs))}` : '';
    printer.line(`${out.green('✓')} ${name}  ${when}${took}${tagText}`);
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
