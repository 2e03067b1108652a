import { existsSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorLocation, formatLocation } from '../error-location';
import { MigrationError, describeError } from '../errors';
import type { MigratorOptions } from '../../types/options';
import { packageType } from '../runner/package-type';

/** The file names looked for in the working folder, in this order. */
export const CONFIG_NAMES = [
  'automigrate.config.js',
  'automigrate.config.cjs',
  'automigrate.config.mjs',
  'automigrate.config.ts',
] as const;

/** The config file is missing, ambiguous, unloadable or exports the wrong thing. */
export class ConfigError extends MigrationError {
  constructor(message: string, file: string, cause?: unknown) {
    super('E_OPTIONS', message, { subject: file, cause });
  }
}

/** The config file's own options (createMigrator's), plus autoMigrate's `onDrift` shared configs may carry. */
export type ConfigOptions = MigratorOptions & { readonly onDrift?: unknown };

export interface LoadedConfig {
  readonly file: string;
  /** The createMigrator options, with a relative migrations folder resolved against the config file. */
  readonly options: MigratorOptions;
}

/** The names of config files present in `folder`. */
export function configFilesIn(folder: string): string[] {
  return CONFIG_NAMES.filter((name) => existsSync(join(folder, name)));
}

/** The nearest folder at or above `folder` with a package.json; null when there is none. */
export function packageRoot(folder: string): string | null {
  for (let current = resolve(folder); ; current = dirname(current)) {
    if (existsSync(join(current, 'package.json'))) return current;
    if (dirname(current) === current) return null;
  }
}

/**
 * The config file to load: `explicit` (relative to cwd), or the single automigrate.config.* in
 * cwd or the nearest folder above it, up to the package root (the nearest package.json), as
 * eslint, prettier and jest look for theirs: the command works from any subfolder of the project.
 */
export function findConfigFile(cwd: string, explicit?: string): string {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new ConfigError(`config file ${explicit} not found`, file);
    return file;
  }
  const root = packageRoot(cwd) ?? resolve(cwd);
  for (let folder = resolve(cwd); ; folder = dirname(folder)) {
    const found = configFilesIn(folder);
    if (found.length > 1) {
      throw new ConfigError(`several config files in ${folder} (${found.join(', ')}): keep one or pass --config PATH`, folder);
    }
    if (found.length === 1) return join(folder, found[0]!);
    if (folder === root || dirname(folder) === folder) break;
  }
  const where = root === resolve(cwd) ? cwd : `${cwd} or above it up to the package root ${root}`;
  throw new ConfigError(`no automigrate.config.{js,cjs,mjs,ts} in ${where}: run \`automigrate init\` or pass --config PATH`, cwd);
}

export async function loadConfig(file: string, cwd: string): Promise<LoadedConfig> {
  const value = await loadConfigValue(file, cwd);
  return { file, options: toOptions(value, file, relative(cwd, file) || file) };
}

/** What the config file exports (or its exported function returns), unchecked. */
export async function loadConfigValue(file: string, cwd: string): Promise<unknown> {
  const shown = relative(cwd, file) || file;
  const exported = unwrapDefault(await importConfig(file, shown, cwd));
  try {
    return typeof exported === 'function' ? await (exported as () => unknown)() : await exported;
  } catch (error) {
    throw new ConfigError(blame(error, file, cwd, `the function exported by ${shown} threw`), file, error);
  }
}

function toOptions(value: unknown, file: string, shown: string): MigratorOptions {
  const options = value as Partial<ConfigOptions> | null;
  const sequelize = options?.sequelize as { close?: unknown; getQueryInterface?: unknown } | undefined;
  if (
    typeof options !== 'object' ||
    options === null ||
    typeof sequelize?.close !== 'function' ||
    typeof sequelize.getQueryInterface !== 'function'
  ) {
    throw new ConfigError(
      `${shown} must export the createMigrator options ({ sequelize, migrations }) or a function returning them; ` +
        `it gave ${describeValue(value)}`,
      file,
    );
  }
  // A config shared with `autoMigrate()` at boot may carry onDrift, which the command line has no
  // use for: `check` and `status` report drift themselves.
  const { onDrift: _onDrift, migrations = 'migrations', ...rest } = options as ConfigOptions;
  const folder = typeof migrations === 'string' && !isAbsolute(migrations) ? resolve(dirname(file), migrations) : migrations;
  return { ...rest, migrations: folder };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  if (!('sequelize' in value)) return `an object without \`sequelize\` (keys: ${Object.keys(value).join(', ') || 'none'})`;
  return 'an object whose `sequelize` is not a Sequelize instance';
}

/** ESM namespace objects and transpiled modules put the export under `default`. */
function unwrapDefault(module: unknown): unknown {
  if (module !== null && typeof module === 'object' && 'default' in module) {
    const keys = Object.keys(module).filter((k) => k !== '__esModule' && k !== 'module.exports');
    if (keys.length === 1 || (module as { __esModule?: boolean }).__esModule) return (module as { default: unknown }).default;
  }
  return module;
}

async function importConfig(file: string, shown: string, cwd: string): Promise<unknown> {
  const extension = extname(file);
  try {
    switch (extension) {
      case '.cjs':
        return require(file);
      case '.mjs':
        return await import(pathToFileURL(file).href);
      case '.js':
        return packageType(dirname(file)) === 'module' ? await import(pathToFileURL(file).href) : require(file);
      case '.ts':
      case '.cts':
      case '.mts':
        registerTypeScript(file, shown);
        return require(file);
      default:
        throw new ConfigError(`${shown}: a config must be .js, .cjs, .mjs or .ts`, file);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(blame(error, file, cwd, `cannot load ${shown}`), file, error);
  }
}

/**
 * The one-line message for an error thrown while loading the config: led by `file:line:column`
 * of the code at fault (often the models module the config loads, not the config itself), which
 * otherwise only the --verbose stack shows.
 */
function blame(error: unknown, file: string, cwd: string, what: string): string {
  const cause = error instanceof Error && error.name !== 'Error' ? `${error.name}: ${describeError(error)}` : describeError(error);
  const location = errorLocation(error, packageRoot(dirname(file)) ?? dirname(file));
  return location === null ? `${what}: ${cause}` : `${formatLocation(location, cwd)}: ${cause} (${what})`;
}


const registered = new Set<string>();

/**
 * TypeScript configs load through the project's own tsx (https://tsx.is/dev-api/register-cjs),
 * which also lets the library require .ts migrations in the same process.
 */
function registerTypeScript(file: string, shown: string): void {
  if (!tryRegisterTypeScript(dirname(file))) {
    throw new ConfigError(
      `${shown} is TypeScript and tsx is not installed in this project: run \`npm install --save-dev tsx\`, ` +
        'or write the config as automigrate.config.js',
      file,
    );
  }
}

/** Registers tsx resolved from `folder`; false when the project does not have it. */
export function tryRegisterTypeScript(folder: string): boolean {
  let api: string;
  try {
    api = require.resolve('tsx/cjs/api', { paths: [folder] });
  } catch {
    return false;
  }
  if (!registered.has(api)) {
    (require(api) as { register(): unknown }).register();
    registered.add(api);
  }
  return true;
}
