/**
 * The static index of a migrations folder, for bundlers and serverless (issue 8).
 *
 * A bundled function has no migrations folder to list at run time, so `automigrate bundle`
 * writes `index.{js,mjs,ts}` into the folder: one static import per migration file, exporting the
 * in-code array `[{ name, up, down, checksum, transaction }]`. Each name is the file name with its
 * extension and each checksum the file's, exactly what a run from the folder records, so a project
 * can switch between the folder and the bundle in either direction. `index.*` files are never
 * migrations themselves (see `folderSources`).
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  INDEX_LANGUAGES,
  INDEX_MARKER,
  indexFileName,
  parseIndex,
  renderIndex,
  type IndexEntry,
  type IndexLanguage,
} from './bundle-render';
import { MigrationsFolderError, OptionsError, StaleIndexError, describeError } from '../errors';
import { folderSources } from '../runner/sources';

export type { IndexLanguage } from './bundle-render';

export interface BundleIndexOptions {
  /** The index's language. Default: the language of the folder's migration files. */
  readonly language?: IndexLanguage;
  /** For a folder without migrations yet. Default: `ts` under a tsconfig.json, `mjs` in an ES module package, else `js`. */
  readonly defaultLanguage?: IndexLanguage;
}

export interface BundleIndexResult {
  /** The index file written (or found already up to date). */
  readonly path: string;
  readonly language: IndexLanguage;
  /** The migration files it lists, with their extension, in run order. */
  readonly migrations: readonly string[];
  /** False when the file already had exactly this content (it was not touched). */
  readonly changed: boolean;
  /** Indexes of another language this library had written there before, now removed. */
  readonly removed: readonly string[];
}

export interface BundleIndexCheck {
  /** True when the index does not match the folder: a file missing from it, gone, or edited. */
  readonly stale: boolean;
  /** Migration files the index does not list. */
  readonly missing: string[];
  /** Files the index lists that are no longer in the folder. */
  readonly extra: string[];
  /** Files whose content changed since the index was written (its checksum is out of date). */
  readonly changed: string[];
  /** The index checked; null when the folder has none written by `automigrate bundle` (never stale). */
  readonly index: string | null;
}

/** The extensions an index may have: every one `folderSources` skips as `index.*`. */
const INDEX_EXTENSIONS = ['ts', 'mts', 'cts', 'mjs', 'js', 'cjs'] as const;

/** Writes (or leaves, when already current) the static index of `folder`. */
export function writeBundleIndex(folder: string, options: BundleIndexOptions = {}): BundleIndexResult {
  const dir = resolve(folder);
  if (options.language !== undefined && !INDEX_LANGUAGES.includes(options.language)) {
    throw new OptionsError(`The index language must be one of ${INDEX_LANGUAGES.join(', ')}, not ${JSON.stringify(options.language)}.`, 'language');
  }
  const entries = folderEntries(dir);
  const language = options.language ?? bundleLanguage(dir, entries.map((e) => e.fileName), options.defaultLanguage);
  const path = join(dir, indexFileName(language));
  const text = renderIndex(language, entries);
  const current = readIfExists(path);
  if (current !== null && !isGenerated(current)) {
    throw new MigrationsFolderError(
      `${path} was not written by \`automigrate bundle\`, which does not overwrite it. Move it out of the migrations folder, ` +
        'or delete it to let `automigrate bundle` write the index there.',
      path,
    );
  }
  const changed = current !== text;
  if (changed) writeAtomically(path, text);
  const removed = generatedIndexes(dir).filter((other) => other !== path);
  for (const other of removed) rmSync(other, { force: true });
  return { path, language, migrations: entries.map((e) => e.fileName), changed, removed };
}

/**
 * Compares the index `automigrate bundle` wrote in `folder` with the folder's files. A folder
 * without such an index is never stale: the project does not bundle its migrations.
 */
export function checkBundleIndex(folder: string): BundleIndexCheck {
  const dir = resolve(folder);
  const entries = folderEntries(dir);
  const index = findBundleIndex(dir);
  if (index === null) return { stale: false, missing: [], extra: [], changed: [], index: null };
  const listed = new Map(parseIndex(readFileSync(index, 'utf8')).map((e) => [e.fileName, e.checksum]));
  const present = new Set(entries.map((e) => e.fileName));
  const missing = entries.filter((e) => !listed.has(e.fileName)).map((e) => e.fileName);
  const extra = [...listed.keys()].filter((name) => !present.has(name)).sort();
  const changed = entries.filter((e) => listed.has(e.fileName) && listed.get(e.fileName) !== e.checksum).map((e) => e.fileName);
  return { stale: missing.length + extra.length + changed.length > 0, missing, extra, changed, index };
}

/**
 * The index `automigrate bundle` wrote in `folder`, or null. With several (a folder that changed
 * language and was not bundled since), the TypeScript one, then the ES module, then CommonJS.
 */
export function findBundleIndex(folder: string): string | null {
  return generatedIndexes(resolve(folder))[0] ?? null;
}

/**
 * The index follows the files: TypeScript when any migration is TypeScript (it can import
 * JavaScript, not the reverse), an ES module when any is one (`.mjs`, or `.js` in a
 * `"type": "module"` package), else CommonJS.
 */
export function bundleLanguage(folder: string, fileNames: readonly string[], fallback?: IndexLanguage): IndexLanguage {
  if (fileNames.some((f) => /\.[cm]?ts$/.test(f))) return 'ts';
  if (fileNames.some((f) => f.endsWith('.mjs'))) return 'mjs';
  if (fileNames.some((f) => f.endsWith('.js'))) {
    const { packageType } = require('../runner/package-type') as typeof import('../runner/package-type');
    return packageType(folder) === 'module' ? 'mjs' : 'js';
  }
  if (fileNames.length > 0) return 'js';
  if (fallback !== undefined) return fallback;
  // Loaded only here: this module stays cheap enough to load on the boot path.
  return (require('../autogenerate/autogenerate') as typeof import('../autogenerate/autogenerate')).detectLanguage(folder);
}

function folderEntries(dir: string): IndexEntry[] {
  return folderSources(dir).map((source) => ({ fileName: source.fileName, checksum: source.checksum()! }));
}

function generatedIndexes(dir: string): string[] {
  return INDEX_EXTENSIONS.map((ext) => join(dir, `index.${ext}`)).filter((path) => {
    const text = readIfExists(path);
    return text !== null && isGenerated(text);
  });
}

function isGenerated(text: string): boolean {
  return text.replace(/^\uFEFF/, '').startsWith(INDEX_MARKER);
}

function readIfExists(path: string): string | null {
  if (!existsSync(path)) return null;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new MigrationsFolderError(`${path} cannot be read: ${describeError(error)}`, path, error);
  }
}

/** A bundler watching the folder never sees half an index. */
function writeAtomically(path: string, text: string): void {
  const temporary = join(dirname(path), `.${process.pid}-${Date.now()}.index.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new MigrationsFolderError(`Cannot write ${path}: ${describeError(error)}`, path, error);
  }
}


/** A bundle built from a stale static index would miss migrations: `check` fails on it. */
export function assertBundleIndexFresh(folder: string): void {
  const index = checkBundleIndex(folder);
  if (!index.stale) return;
  const why = [
    ...index.missing.map((f) => `${f} not listed`),
    ...index.extra.map((f) => `${f} gone`),
    ...index.changed.map((f) => `${f} edited`),
  ].join(', ');
  throw new StaleIndexError(`${index.index} is stale (${why}): run \`automigrate bundle\`.`, String(index.index));
}
