import { performance } from 'node:perf_hooks';
import { readdirSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Command } from 'commander';
import { runtimeOptions } from '../sequelize-internals';
import type { Migrator } from '../../types/migrator';
import type { Hooks, LockWait, Logger, MigratorOptions, StepInfo, StepResult, Target } from '../../types/options';
import { lockWaitRenderer } from './lock-wait-line';
import { findConfigFile, loadConfig, tryRegisterTypeScript } from './config';
import { formatDuration, type CliIO, type Printer } from './output';

/** Options every command sees, global (`--config`, `--verbose`) and its own (`--json`). */
export interface CommandOptions {
  readonly config?: string;
  readonly verbose?: boolean;
  readonly json?: boolean;
}

/** The state of one `main()` call, shared by the commands and the error report. */
export interface CliContext {
  readonly io: CliIO;
  readonly printer: Printer;
  exitCode: number;
  /** Set when the running command was given --json, so an error is reported as JSON too. */
  json: boolean;
}

export interface Session {
  readonly migrator: Migrator;
  readonly options: MigratorOptions;
  readonly printer: Printer;
  readonly json: boolean;
  /** A path as the user should read it: relative to the working folder. */
  show(path: string): string;
}

/** The command's options merged with the program's, and the context updated from them. */
export function commandOptions<T extends CommandOptions>(ctx: CliContext, command: Command): T {
  const options = command.optsWithGlobals<T>();
  ctx.json = options.json === true;
  ctx.printer.verbose = options.verbose === true;
  return options;
}

/**
 * Loads the config, builds the migrator with the command line's logger and progress hooks, runs
 * `fn`, and closes the Sequelize connection whatever happens so the process can exit by itself.
 */
export async function withMigrator(
  ctx: CliContext,
  command: Command,
  settings: {
    readonly progress: boolean;
    /** Command-line flags that override the config's options (`--allow-out-of-order`). */
    readonly overrides?: Partial<Pick<MigratorOptions, 'allowOutOfOrder'>>;
  },
  fn: (session: Session) => Promise<number>,
): Promise<void> {
  const options = commandOptions(ctx, command);
  const file = findConfigFile(ctx.io.cwd, options.config);
  const config = await loadConfig(file, ctx.io.cwd);
  // .ts migrations load when the project has tsx; without it the library says how to fix that.
  if (hasTypeScriptMigrations(config.options.migrations)) tryRegisterTypeScript(dirname(file));
  const printer = ctx.printer;
  // Sequelize logs every statement with console.log unless told otherwise
  // (https://sequelize.org/docs/v6/getting-started/#logging), which would bury the command's
  // output and break --json: statements go to stderr with --verbose, nowhere otherwise.
  const runtime = runtimeOptions(config.options.sequelize);
  const appLogging = runtime.logging;
  runtime.logging = printer.verbose ? (sql: string) => printer.detail(sql) : false;
  try {
    // Loaded here, not at the top, so `--help` and `--version` do not pay for Sequelize.
    const { createMigrator } = require('../index') as typeof import('../index');
    const migrator = createMigrator({
      ...config.options,
      ...settings.overrides,
      logger: cliLogger(printer),
      hooks: composeHooks(config.options.hooks, printer, settings.progress && !ctx.json),
    });
    const show = (path: string): string => relative(ctx.io.cwd, path) || path;
    ctx.exitCode = await fn({ migrator, options: config.options, printer, json: ctx.json, show });
  } finally {
    runtime.logging = appLogging;
    await config.options.sequelize.close().catch((error: unknown) => {
      printer.detail(`closing the connection failed: ${String(error)}`);
    });
  }
}

function hasTypeScriptMigrations(migrations: MigratorOptions['migrations']): boolean {
  if (typeof migrations !== 'string') return false;
  try {
    return readdirSync(migrations).some((name) => /\.[cm]?ts$/.test(name) && !/\.d\.[cm]?ts$/.test(name));
  } catch {
    return false;
  }
}

/**
 * Library warnings and errors go to stderr; its per-migration info lines are replaced by the
 * command line's own progress and only shown with --verbose.
 */
function cliLogger(printer: Printer): Logger {
  return {
    info: (message) => printer.detail(message),
    debug: (message) => printer.detail(message),
    warn: (message) => printer.warn(message),
    error: (message) => printer.error(message),
  };
}

/**
 * The config's own hooks still run. Its beforeStep runs before the progress line opens and its
 * afterStep after it closes, so whatever they print never lands in the middle of the line.
 */
function composeHooks(own: Hooks | undefined, printer: Printer, progress: boolean): Hooks | undefined {
  // A wait for the lock is said whatever the output: a run that stalls silently looks frozen.
  const render = lockWaitRenderer(printer, progress);
  const onLockWait = (wait: LockWait) => {
    render(wait);
    own?.onLockWait?.(wait);
  };
  if (!progress) return { ...own, onLockWait };
  // In a run of one transaction (transaction: 'all', a fresh database) every afterStep comes after
  // the commit: a step still open when the next one starts is closed then, with the time it took.
  let open: { name: string; started: number } | null = null;
  const close = (durationMs: number) => {
    printer.endStep(`${printer.out.green('✓')} ${printer.out.dim(formatDuration(durationMs))}`);
    open = null;
  };
  return {
    onLockWait,
    async beforeStep(step: StepInfo) {
      if (open) close(performance.now() - open.started);
      await own?.beforeStep?.(step);
      printer.startStep(`${step.direction === 'up' ? '↑' : '↓'} ${step.name}`);
      open = { name: step.name, started: performance.now() };
    },
    async afterStep(step: StepResult) {
      if (open) close(open.name === step.name ? step.durationMs : performance.now() - open.started);
      await own?.afterStep?.(step);
    },
  };
}

/** A target as typed: `0` and `base` mean before every migration; anything else is a name or 'head'. */
export function parseTarget(text: string): Target {
  return text === '0' || text === 'base' ? 0 : text;
}
