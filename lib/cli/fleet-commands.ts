/**
 * `upgrade`, `status` and `check` with `--all-tenants`: the config's tenants, `--concurrency` at a
 * time. A terminal gets one progress line (done/failed/total, elapsed, ETA) with failures printed
 * above it; anything else gets one line per tenant; `--json` the report. Exit 1 when a tenant failed.
 */
import { performance } from 'node:perf_hooks';
import { InvalidArgumentError, type Command } from 'commander';
import type { TenantResult, UpgradeAllReport } from '../../types/tenants';
import { runtimeOptions } from '../sequelize-internals';
import { loadFleetConfig, type FleetConfig } from './fleet-config';
import { formatDuration, plural } from './output';
import { commandOptions, type CliContext, type CommandOptions } from './session';

export interface FleetFlags extends CommandOptions {
  readonly allTenants?: boolean;
  readonly concurrency?: number;
  readonly retry?: string;
  readonly stopOnError?: boolean;
}

async function withFleet(ctx: CliContext, command: Command, fn: (fleet: FleetConfig, flags: FleetFlags) => Promise<number>): Promise<void> {
  const flags = commandOptions<FleetFlags>(ctx, command);
  const { printer } = ctx;
  // Sequelize logs every statement with console.log by default, which would break --json.
  const fleet = await loadFleetConfig(ctx.io.cwd, flags.config, flags.retry, (sequelize) => {
    runtimeOptions(sequelize).logging = printer.verbose ? (sql: string) => printer.detail(sql) : false;
  });
  try {
    ctx.exitCode = await fn(fleet, flags);
  } finally {
    await fleet.close();
    if (printer.verbose) printer.detail('closed the fleet connections');
  }
}

/** Library lines only with --verbose, as for one database; SQL logging is each tenant instance's own. */
function fleetLogger(ctx: CliContext) {
  const { printer } = ctx;
  return { info: (m: string) => printer.detail(m), debug: (m: string) => printer.detail(m), warn: (m: string) => printer.warn(m), error: (m: string) => printer.error(m) };
}

/** A progress line rewritten in place on a terminal; one line per tenant elsewhere. */
class FleetProgress {
  private done = 0;
  private failed = 0;
  private readonly started = performance.now();
  constructor(
    private readonly ctx: CliContext,
    private readonly total: number | null,
    private readonly verb: string,
  ) {}

  private get live(): boolean {
    return this.ctx.io.stdout.isTTY === true && !this.ctx.json;
  }

  /** `notice`: not a failure, but worth a line (a tenant behind or interrupted, for `status`). */
  tenant(id: string, ok: boolean, text: string, notice = false): void {
    this.done++;
    if (!ok) this.failed++;
    if (this.ctx.json) return;
    const { out } = this.ctx.printer;
    const line = `${notice ? out.yellow('•') : ok ? out.green('✓') : out.red('✗')} ${id}: ${text}`;
    if (!this.live) return this.ctx.printer.line(line);
    // Failures stay on screen above the progress line; successes only move the counter.
    if (!ok || notice) this.ctx.io.stdout.write(`\r\u001b[K${line}\n`);
    this.ctx.io.stdout.write(`\r\u001b[K${this.summary()}`);
  }

  summary(): string {
    const elapsed = performance.now() - this.started;
    const of = this.total === null ? '' : `/${this.total}`;
    const remaining = this.total === null || this.done === 0 ? null : ((this.total - this.done) * elapsed) / this.done;
    const eta = remaining === null ? '' : `, ETA ${formatDuration(remaining)}`;
    return `${this.verb} ${this.done}${of} tenants, ${this.failed} failed, ${formatDuration(elapsed)} elapsed${eta}`;
  }

  finish(): void {
    if (this.live) this.ctx.io.stdout.write('\r\u001b[K');
  }
}

export async function upgradeFleet(ctx: CliContext, command: Command): Promise<void> {
  await withFleet(ctx, command, async (fleet, flags) => {
    const { upgradeAll } = require('../tenants/upgrade-all') as typeof import('../tenants/upgrade-all');
    const progress = new FleetProgress(ctx, fleet.total, 'upgraded');
    const report = await upgradeAll({
      ...fleet.options,
      logger: fleetLogger(ctx),
      tenants: fleet.tenants,
      concurrency: flags.concurrency ?? 1,
      stopOnError: flags.stopOnError === true,
      onTenant: (r) => progress.tenant(r.id, r.status !== 'failed', describeResult(r)),
    });
    progress.finish();
    if (ctx.json) {
      ctx.printer.json(jsonReport(report));
    } else {
      const { out } = ctx.printer;
      ctx.printer.line(
        `${plural(report.tenants.length, 'tenant')} in ${formatDuration(report.durationMs)}: ${report.applied} applied, ${report.noop} already at head, ` +
          `${report.failed ? out.red(`${report.failed} failed`) : '0 failed'}${report.skipped ? `, ${report.skipped} skipped` : ''}`,
      );
      if (report.failed + report.skipped > 0) ctx.printer.line('Retry the failed ones: upgrade --all-tenants --json > report.json, then upgrade --all-tenants --retry report.json');
    }
    return report.failed > 0 ? 1 : 0;
  });
}

function describeResult(r: TenantResult): string {
  switch (r.status) {
    case 'applied':
      return `${plural(r.steps.length, 'migration')} applied (${formatDuration(r.durationMs)})`;
    case 'noop':
      return 'at head';
    case 'skipped':
      return 'skipped (stopped on error)';
    case 'failed':
      return `${(r.error as { code?: string } | undefined)?.code ?? 'E_UNKNOWN'} ${r.error?.message.split('\n')[0] ?? ''}`;
    default: {
      const never: never = r.status;
      return never;
    }
  }
}

/** The report as JSON: errors as `{ code, message }`, steps as their names and durations. */
export function jsonReport(report: UpgradeAllReport): object {
  const { errorInfo } = require('../tenants/inspect-all') as typeof import('../tenants/inspect-all');
  return {
    ...report,
    tenants: report.tenants.map((r) => ({ ...r, ...(r.error ? { error: errorInfo(r.error) } : {}) })),
  };
}

export async function statusFleet(ctx: CliContext, command: Command): Promise<void> {
  await withFleet(ctx, command, async (fleet, flags) => {
    const { statusAll } = require('../tenants/inspect-all') as typeof import('../tenants/inspect-all');
    const progress = new FleetProgress(ctx, fleet.total, 'read');
    const statuses = await statusAll({ ...fleet.options, logger: fleetLogger(ctx), tenants: fleet.tenants, concurrency: flags.concurrency ?? 1 }, (s) => {
      const detail = `${s.state}${s.pending ? ` (${plural(s.pending, 'pending migration')})` : ''}${s.error ? `: ${s.error.message.split('\n')[0]}` : ''}`;
      if (s.state === 'head') progress.tenant(s.id, true, detail);
      else progress.tenant(s.id, s.state !== 'failed', detail, s.state !== 'failed');
    });
    progress.finish();
    const counts = { head: 0, behind: 0, interrupted: 0, problem: 0, failed: 0 };
    for (const s of statuses) counts[s.state]++;
    if (ctx.json) ctx.printer.json({ total: statuses.length, ...counts, tenants: statuses });
    else ctx.printer.line(`${plural(statuses.length, 'tenant')}: ${counts.head} at head, ${counts.behind} behind, ${counts.interrupted} interrupted, ${counts.problem} with history problems, ${counts.failed} unreadable`);
    return counts.failed > 0 ? 1 : 0;
  });
}

export async function checkFleet(ctx: CliContext, command: Command): Promise<void> {
  await withFleet(ctx, command, async (fleet, flags) => {
    const { checkAll } = require('../tenants/inspect-all') as typeof import('../tenants/inspect-all');
    const progress = new FleetProgress(ctx, fleet.total, 'checked');
    const checks = await checkAll({ ...fleet.options, logger: fleetLogger(ctx), tenants: fleet.tenants, concurrency: flags.concurrency ?? 1 }, (c) => {
      progress.tenant(c.id, c.ok, c.ok ? 'ok' : `${c.error!.code} ${c.error!.message.split('\n')[0]}`);
    });
    progress.finish();
    const failing = checks.filter((c) => !c.ok);
    if (ctx.json) ctx.printer.json({ ok: failing.length === 0, total: checks.length, failed: failing.length, tenants: checks });
    else ctx.printer.line(`${plural(checks.length, 'tenant')} checked: ${failing.length} failing`);
    return failing.length > 0 ? 1 : 0;
  });
}

/** `--concurrency`'s parser. */
export function positiveCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** The options `--all-tenants` adds to a command. */
export function addFleetOptions(command: Command, withRetry: boolean): Command {
  command.option('--all-tenants', 'every tenant the config exports (`tenants`), instead of one database');
  command.option('--concurrency <n>', 'with --all-tenants: how many tenants at once (default 1)', positiveCount);
  if (withRetry) {
    command.option('--retry <report>', 'with --all-tenants: only the tenants a previous --json report lists as failed or skipped');
    command.option('--stop-on-error', 'with --all-tenants: take no more tenants after the first failure (the rest are reported skipped)');
  }
  return command;
}
