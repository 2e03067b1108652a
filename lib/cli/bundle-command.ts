import { relative, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { BundleIndexCheck, BundleIndexResult, IndexLanguage } from '../bundle/bundle';
import { OptionsError } from '../errors';
import { findConfigFile, loadConfig } from './config';
import { plural } from './output';
import { commandOptions, type CliContext, type CommandOptions } from './session';

interface BundleOptions extends CommandOptions {
  readonly check?: boolean;
  readonly language?: IndexLanguage;
}

/**
 * `bundle`: writes the migrations folder's static index for bundlers. No database: the folder
 * comes from the argument, or from the config file's `migrations` (its Sequelize instance is
 * created by the config and closed unused).
 */
export function registerBundleCommand(program: Command, ctx: CliContext): void {
  program
    .command('bundle')
    .description('write migrations/index.*, a static import per migration, for bundlers')
    .argument('[folder]', 'the migrations folder (default: the config file\'s `migrations`)')
    .option('--check', 'write nothing; exit 1 when the index is missing or stale (for CI)')
    .option('--language <language>', 'ts, js (CommonJS) or mjs (default: the language of the migration files)', language)
    .option('--json', 'print the result as JSON')
    .action(async (folderArgument: string | undefined, _options: unknown, command: Command) => {
      const options = commandOptions<BundleOptions>(ctx, command);
      const { folder, configLanguage } = await migrationsFolder(ctx, folderArgument, options.config);
      // Loaded here so the other commands do not pay for it.
      const bundle = require('../bundle/bundle') as typeof import('../bundle/bundle');
      const show = (path: string): string => relative(ctx.io.cwd, path) || path;
      if (options.check) {
        const result = bundle.checkBundleIndex(folder);
        ctx.exitCode = reportCheck(ctx, result, show, show(folder));
        return;
      }
      const result = bundle.writeBundleIndex(folder, {
        ...(options.language !== undefined ? { language: options.language } : {}),
        ...(configLanguage !== undefined ? { defaultLanguage: configLanguage } : {}),
      });
      reportWrite(ctx, result, show);
      ctx.exitCode = 0;
    });
}

async function migrationsFolder(
  ctx: CliContext,
  argument: string | undefined,
  config: string | undefined,
): Promise<{ folder: string; configLanguage?: IndexLanguage }> {
  if (argument !== undefined) return { folder: resolve(ctx.io.cwd, argument) };
  const file = findConfigFile(ctx.io.cwd, config);
  const { options } = await loadConfig(file, ctx.io.cwd);
  await options.sequelize.close().catch((error: unknown) => ctx.printer.detail(`closing the connection failed: ${String(error)}`));
  if (typeof options.migrations !== 'string') {
    throw new OptionsError(
      `${relative(ctx.io.cwd, file) || file} gives in-code migrations, not a folder: pass the folder to index (automigrate bundle migrations)`,
      'migrations',
    );
  }
  return { folder: options.migrations, ...(options.language !== undefined ? { configLanguage: options.language } : {}) };
}

function reportWrite(ctx: CliContext, result: BundleIndexResult, show: (path: string) => string): void {
  const { printer } = ctx;
  if (ctx.json) {
    printer.json({ path: result.path, language: result.language, migrations: result.migrations, changed: result.changed, removed: result.removed });
    return;
  }
  const count = plural(result.migrations.length, 'migration');
  printer.line(result.changed ? `Wrote ${printer.out.bold(show(result.path))} (${count})` : `${show(result.path)} is up to date (${count})`);
  for (const other of result.removed) printer.line(`Removed ${show(other)} (the folder's language changed)`);
}

function reportCheck(ctx: CliContext, result: BundleIndexCheck, show: (path: string) => string, folder: string): number {
  const { printer } = ctx;
  const ok = result.index !== null && !result.stale;
  if (ctx.json) {
    printer.json({ ok, index: result.index, stale: result.stale, missing: result.missing, extra: result.extra, changed: result.changed });
    return ok ? 0 : 1;
  }
  const { out } = printer;
  if (result.index === null) {
    printer.line(`${out.bold(`No index in ${folder}/`)}: run \`automigrate bundle\` to write one`);
    return 1;
  }
  if (ok) {
    printer.line(`${out.green('OK')}: ${show(result.index)} lists every migration`);
    return 0;
  }
  printer.line(out.bold(`${show(result.index)} is stale (run \`automigrate bundle\`):`));
  for (const name of result.missing) printer.line(`  ${out.green('+')} ${name} ${out.dim('(not listed)')}`);
  for (const name of result.extra) printer.line(`  ${out.red('-')} ${name} ${out.dim('(file gone)')}`);
  for (const name of result.changed) printer.line(`  ${out.yellow('~')} ${name} ${out.dim('(edited since the index was written)')}`);
  return 1;
}

function language(value: string): IndexLanguage {
  if (value === 'ts' || value === 'js' || value === 'mjs') return value;
  throw new InvalidArgumentError('expected ts, js or mjs');
}
