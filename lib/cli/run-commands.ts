import { performance } from 'node:perf_hooks';
import { InvalidArgumentError, type Command } from 'commander';
import type { DowngradeOptions, StepResult } from '../../types/options';
import { OptionsError } from '../errors';
import type { OfflineSqlFlags } from './offline-sql-command';
import { formatDuration, plural } from './output';
import type { MigratorImpl } from '../migrator';
import { parseTarget, withMigrator, type CliContext, type Session } from './session';
import { addFleetOptions, upgradeFleet } from './fleet-commands';

/** `upgrade` and `downgrade`: the commands that move the database along the history. */
export function registerRunCommands(program: Command, ctx: CliContext): void {
  const upgrade = program
    .command('upgrade')
    .description('apply migrations (to head, or up to TARGET)')
    .argument('[target]', 'head, a migration name or the start of one (20261202), or +N for the next N', 'head')
    .option('--allow-out-of-order', 'run pending migrations older than the newest applied one instead of refusing')
    .option('--json', 'print the result as JSON')
    .option('--sql', 'write the SQL script instead of running it (offline); TARGET may be a range FROM:TO, as base:head')
    .option('--out <file>', 'with --sql: write the script to FILE');
  addFleetOptions(upgrade, true).action(async (target: string, options: OfflineSqlFlags & OutOfOrderFlag & { sql?: boolean; allTenants?: boolean }, command: Command) => {
      if (options.allTenants) return upgradeFleet(ctx, command);
      await withMigrator(ctx, command, { progress: !options.sql, overrides: outOfOrder(options) }, async (session) => {
        if (options.sql) return offlineSql().printOfflineSql(session, offlineSql().parseRange(target, 'up'), options);
        offlineSql().refuseOfflineFlagsOnline(target, options, 'upgrade');
        const started = performance.now();
        const steps = await session.migrator.upgrade(target === 'head' ? {} : { to: parseTarget(target) });
        return report(session, steps, performance.now() - started, 'applied');
      });
    });

  program
    .command('downgrade')
    .description('revert one migration, or all after TARGET')
    .argument('[target]', 'a migration name (or the start of one) to keep, -N for the newest N, or base / 0 for everything')
    .option('--step <n>', 'revert N migrations, at most as many as are applied (ignored when TARGET is given)', positiveInteger)
    .option('-y, --yes', 'do not ask before dropping tables that hold rows (only asked on a terminal)')
    .option('--json', 'print the result as JSON')
    .option('--sql', 'write the SQL script instead of running it (offline); TARGET may be a range FROM:TO, as head:base')
    .option('--out <file>', 'with --sql: write the script to FILE')
    .action(async (target: string | undefined, options: OfflineSqlFlags & { step?: number; yes?: boolean; sql?: boolean }, command: Command) => {
      await withMigrator(ctx, command, { progress: !options.sql }, async (session) => {
        if (options.sql) {
          if (options.step !== undefined) throw new OptionsError('downgrade --sql takes a range FROM:TO, not --step.', 'step');
          return offlineSql().printOfflineSql(session, offlineSql().parseRange(target, 'down'), options);
        }
        offlineSql().refuseOfflineFlagsOnline(target, options, 'downgrade');
        const request: DowngradeOptions =
          target !== undefined ? { to: parseTarget(target) } : options.step !== undefined ? { step: options.step } : {};
        if (!options.yes && !session.json && interactive(ctx)) {
          if (!(await confirmDrops(session, request))) return 1;
        }
        const started = performance.now();
        const steps = await session.migrator.downgrade(request);
        return report(session, steps, performance.now() - started, 'reverted');
      });
    });
}

/** Loaded for --sql only. */
function offlineSql(): typeof import('./offline-sql-command') {
  return require('./offline-sql-command') as typeof import('./offline-sql-command');
}

/** `--allow-out-of-order`, on upgrade, check and status. */
export interface OutOfOrderFlag {
  readonly allowOutOfOrder?: boolean;
}

/** The flag as a config override; absent, the config's own `allowOutOfOrder` stands. */
export function outOfOrder(options: OutOfOrderFlag): { allowOutOfOrder?: boolean } {
  return options.allowOutOfOrder === true ? { allowOutOfOrder: true } : {};
}

/** A person can answer: stdin and stdout are terminals (never in CI, pipes or tests without a pty). */
function interactive(ctx: CliContext): boolean {
  return process.stdin.isTTY === true && ctx.io.stdout.isTTY === true;
}

/** Asks before a downgrade that drops tables holding rows; true when there is nothing to ask. */
async function confirmDrops(session: Session, request: DowngradeOptions): Promise<boolean> {
  const { droppedTablesWithRows } = require('./downgrade-guard') as typeof import('./downgrade-guard');
  const dropped = await droppedTablesWithRows(session.migrator as MigratorImpl, request);
  if (dropped.length === 0) return true;
  const { out } = session.printer;
  session.printer.line(out.bold('This downgrade drops tables that hold rows:'));
  for (const d of dropped) session.printer.line(`  ${out.red('-')} ${d.table}: ${plural(d.rows, 'row')} (down of ${d.migration})`);
  if (await askYesNo('Drop them? [y/N] ')) return true;
  session.printer.line('Cancelled: nothing was reverted. (--yes skips this question.)');
  return false;
}

/** One line from the terminal; yes only for y / yes. */
async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = require('node:readline/promises') as typeof import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** `stamp`: rewrites the history without running migrations. */
export function registerStampCommand(program: Command, ctx: CliContext): void {
  program
    .command('stamp')
    .description('mark as applied up to TARGET, without running')
    .argument('<target>', 'a migration name, head, or base / 0')
    .option('--json', 'print the result as JSON')
    .action(async (target: string, _options: unknown, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
        const parsed = parseTarget(target);
        await session.migrator.stamp(parsed);
        const { current } = await session.migrator.status();
        // `current` is null at base in every --json output; `target` says what was stamped, as the text does.
        if (session.json) session.printer.json({ target: parsed === 0 ? 'base' : parsed, current });
        else session.printer.line(`Stamped: current is ${current ?? 'base'}`);
        return 0;
      });
    });
}

async function report(
  session: Session,
  steps: readonly StepResult[],
  durationMs: number,
  verb: 'applied' | 'reverted',
): Promise<number> {
  const { current } = await session.migrator.status();
  const elapsed = Math.round(durationMs);
  if (session.json) {
    session.printer.json({ [verb]: steps, durationMs: elapsed, current });
    return 0;
  }
  const { out } = session.printer;
  if (steps.length === 0) {
    const where = current === null ? 'at base' : `at ${current}`;
    session.printer.line(verb === 'applied' ? `Already at head: nothing to apply (${where})` : `Nothing to revert (${where})`);
    return 0;
  }
  session.printer.line(
    `${out.bold(`${plural(steps.length, 'migration')} ${verb}`)} in ${formatDuration(elapsed)}; ` +
      `current: ${current ?? 'base'}`,
  );
  return 0;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}
