import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InCodeMigration, MigrationFn } from '../../types/options';
import {
  DuplicateMigrationError,
  MigrationLoadError,
  MigrationShapeError,
  MigrationsFolderError,
  OptionsError,
  describeError,
} from '../errors';

/** The file extensions a migration can have, longest first so `.d.ts` style checks stay simple. */
export const MIGRATION_EXTENSIONS = ['.js', '.cjs', '.mjs', '.ts', '.cts', '.mts'] as const;

/** A migration the runner knows about, before anything is loaded. */
export interface MigrationSource {
  /** File name without extension: the migration's identity. */
  readonly name: string;
  /** File name with extension (folder sources), or the in-code name. */
  readonly fileName: string;
  readonly path: string | null;
  /** Null when unknown (in-code migrations without a recorded checksum): not verified. */
  checksum(): string | null;
  load(): Promise<LoadedMigration>;
  /**
   * The history names this migration replaces (a squashed baseline, lib/squash/): read from the
   * file's text without loading it. Absent or empty: an ordinary migration.
   */
  replaces?(): readonly string[];
}

export interface LoadedMigration {
  readonly up: MigrationFn;
  readonly down: MigrationFn | undefined;
  /** False when the migration opted out of the transaction. */
  readonly transaction: boolean;
}

/** The name a file or history row stands for: without a migration extension. */
export function migrationName(fileName: string): string {
  const ext = extname(fileName);
  return (MIGRATION_EXTENSIONS as readonly string[]).includes(ext) ? fileName.slice(0, -ext.length) : fileName;
}

/**
 * Flyway-style checksum of a migration's source: SHA-256 over the text with line endings and a
 * BOM normalised, so a checkout on Windows or an editor adding a BOM does not count as an edit.
 */
export function checksumOf(text: string): string {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return createHash('sha256').update(normalised).digest('hex');
}

function isMigrationFile(fileName: string): boolean {
  if (fileName.startsWith('.') || fileName.endsWith('.d.ts') || fileName.endsWith('.d.mts') || fileName.endsWith('.d.cts')) {
    return false;
  }
  // `index.*` is the static index `automigrate bundle` writes for bundlers, not a migration.
  if (migrationName(fileName) === 'index') return false;
  return (MIGRATION_EXTENSIONS as readonly string[]).includes(extname(fileName));
}

/** Lists a migrations folder without loading any file: names and paths only. */
export function folderSources(folder: string): MigrationSource[] {
  const dir = resolve(folder);
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) {
      throw new MigrationsFolderError(`Migrations folder ${dir} is not a folder.`, dir);
    }
    entries = readdirSync(dir);
  } catch (error) {
    if (error instanceof MigrationsFolderError) throw error;
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new MigrationsFolderError(
      missing
        ? `Migrations folder ${dir} does not exist. Create it (automigrate init does) or fix the \`migrations\` option.`
        : `Migrations folder ${dir} cannot be read: ${describeError(error)}`,
      dir,
      error,
    );
  }
  const files = entries.filter(isMigrationFile).sort();
  return byUniqueName(
    files.map((fileName) => fileSource(join(dir, fileName), fileName)),
    (a, b) => `Two migration files have the name "${a.name}": ${a.fileName} and ${b.fileName} in ${dir}. Keep one.`,
  );
}

function fileSource(path: string, fileName: string): MigrationSource {
  let checksum: string | undefined;
  /** Kept only when it may declare `replaces` (a squashed baseline), for replaces(). */
  let text: string | null = null;
  let replaces: readonly string[] | undefined;
  // One read serves both: the checksum, and whether the file names the migrations it replaces.
  const read = (): void => {
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      throw new MigrationLoadError(`Migration file ${path} cannot be read: ${describeError(error)}`, path, error);
    }
    checksum = checksumOf(content);
    text = content.includes('replaces') ? content : null;
  };
  return {
    name: migrationName(fileName),
    fileName,
    path,
    checksum() {
      if (checksum === undefined) read();
      return checksum!;
    },
    load: () => loadFile(path, migrationName(fileName)),
    replaces() {
      if (replaces !== undefined) return replaces;
      if (checksum === undefined) read();
      replaces = text === null ? [] : (require('../squash/replaces') as typeof import('../squash/replaces')).replacesIn(text, path);
      text = null;
      return replaces;
    },
  };
}

/** In-code migrations (the umzug shape). Validated eagerly: they are already in memory. */
export function inCodeSources(migrations: readonly InCodeMigration[]): MigrationSource[] {
  const sources = migrations.map((migration, index): MigrationSource => {
    if (!migration || typeof migration !== 'object' || typeof migration.name !== 'string' || migration.name === '') {
      throw new OptionsError(`migrations[${index}] needs a non-empty string \`name\`.`, `migrations[${index}]`);
    }
    const loaded = toLoaded(migration, migration.name);
    const replaces = migration.replaces;
    if (replaces !== undefined && (!Array.isArray(replaces) || replaces.some((n) => typeof n !== 'string' || n === ''))) {
      throw new OptionsError(`migrations[${index}] ("${migration.name}"): \`replaces\` must be an array of migration names.`, `migrations[${index}].replaces`);
    }
    return {
      name: migrationName(migration.name),
      fileName: migration.name,
      path: null,
      checksum: () => migration.checksum ?? null,
      load: async () => loaded,
      ...(replaces ? { replaces: () => replaces } : {}),
    };
  });
  // In the order given, as umzug runs them (the public contract): not sorted by name.
  return byUniqueName(sources, (a) => `Two in-code migrations have the name "${a.name}". Names must be unique.`);
}

/** Migration order: by name, code unit by code unit (what sequelize-cli and umzug's globs do). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byUniqueName(sources: MigrationSource[], message: (a: MigrationSource, b: MigrationSource) => string): MigrationSource[] {
  const seen = new Map<string, MigrationSource>();
  for (const source of sources) {
    const previous = seen.get(source.name);
    if (previous) throw new DuplicateMigrationError(message(previous, source), source.name);
    seen.set(source.name, source);
  }
  return sources;
}

async function loadFile(path: string, name: string): Promise<LoadedMigration> {
  let module: unknown;
  try {
    module = await importFile(path);
  } catch (error) {
    throw new MigrationLoadError(loadFailure(path, error), path, error);
  }
  return toLoaded(module, name, path);
}

async function importFile(path: string): Promise<unknown> {
  const ext = extname(path);
  const typescript = ext === '.ts' || ext === '.cts' || ext === '.mts';
  const requireHandles = ext === '.js' || ext === '.cjs' || (typescript && ext in require.extensions);
  if (requireHandles) {
    // A file edited since this process loaded it (a test suite, a dev server) runs as it is now,
    // matching the checksum recorded for it.
    delete require.cache[path];
    try {
      return require(path);
    } catch (error) {
      // A `.js` file in a `"type": "module"` package: import it instead.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw error;
    }
  }
  // ES modules cannot leave the cache: a changed file gets a URL of its own.
  return import(`${pathToFileURL(path).href}?v=${statSync(path).mtimeMs}`);
}

function loadFailure(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.[cm]?ts$/.test(path)) {
    return (
      `Migration ${path} is TypeScript, and this Node.js cannot load TypeScript. ` +
      'Run with a loader (node --import tsx), or compile migrations to .js.'
    );
  }
  // file:line:column in the one-line message: without --verbose the stack is not shown.
  const { errorLocation, formatLocation, lineAndColumn } = require('../error-location') as typeof import('../error-location');
  const location = errorLocation(error, dirname(path));
  const at = location !== null && location.file === path ? `:${lineAndColumn(location)}` : '';
  const elsewhere = location !== null && location.file !== path ? ` (at ${formatLocation(location, dirname(path))})` : '';
  if (error instanceof SyntaxError) return `Migration ${path}${at} has a syntax error: ${error.message}${elsewhere}`;
  return `Migration ${path}${at} failed to load: ${describeError(error)}${elsewhere}`;
}

function toLoaded(module: unknown, name: string, path?: string): LoadedMigration {
  const candidates = [module, (module as { default?: unknown } | null)?.default];
  for (const candidate of candidates) {
    if (candidate && typeof (candidate as { up?: unknown }).up === 'function') {
      const m = candidate as { up: MigrationFn; down?: unknown; transaction?: unknown };
      if (m.down !== undefined && typeof m.down !== 'function') {
        throw new MigrationShapeError(`Migration ${path ?? name}: \`down\` must be a function.`, name);
      }
      return { up: m.up, down: m.down as MigrationFn | undefined, transaction: m.transaction !== false };
    }
  }
  throw new MigrationShapeError(
    `Migration ${path ?? name} has no \`up\` function. Export \`up\` (and \`down\`) as sequelize-cli ` +
      '(`module.exports = { async up(queryInterface, Sequelize) {} }`) or umzug (`export async function up({ context }) {}`) do.',
    name,
  );
}
