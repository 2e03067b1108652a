/**
 * Autogenerate, Alembic's way: the models (desired) and the live database (introspected) become
 * two Schemas, the differ turns them into operations, the renderer into an editable file.
 * Loaded only when generate/revision/check run (diff() and the drift check use compute-diff.ts):
 * a boot never pays for it.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DataRisk } from '../../types/operations';
import type { GenerateOptions, GenerateResult, Status } from '../../types/options';
import type { Dialect } from '../dialects/dialect';
import { computeDiff } from './compute-diff';
import { reverseOperations } from '../diff/reverse-operation';
import { DataLossError, DriftError, MissingMigrationError, NotAtHeadError, OptionsError } from '../errors';
import type { ResolvedOptions } from '../options';
import { describeOperation } from '../render/describe-operation';
import { renderEmptyMigration, renderMigration } from '../render/render-migration';
import { packageType } from '../runner/package-type';
import { folderSources } from '../runner/sources';
import { findDataLoss } from '../safety/find-data-loss';
import { inSchema } from '../tenants/schema-scope';

export async function generateMigration(
  options: ResolvedOptions,
  dialect: Dialect,
  folder: string,
  message: string,
  generateOptions: GenerateOptions = {},
): Promise<GenerateResult | null> {
  assertGenerateOptions(generateOptions);
  await assertAtHead(options, folder);
  const { operations, notes } = await computeDiff(options, dialect, generateOptions.renames ?? {});
  if (operations.length === 0) return null;
  const risks = await inSchema(options.sequelize, dialect, options.schema, () => findDataLoss(options.sequelize, dialect, operations));
  if (risks.length > 0 && generateOptions.allowDataLoss !== true) throw dataLossError(risks);
  const language = options.language ?? detectLanguage(folder);
  const source = renderMigration({
    operations,
    down: reverseOperations(operations),
    notes: [...notes, ...risks.map((risk) => ({ operation: risk.operation, text: risk.text, warning: true }))].sort(
      (a, b) => a.operation - b.operation,
    ),
    language,
    dialect: dialect.name,
    message,
  });
  return { path: writeMigration(folder, message, language, source), operations, risks };
}

function dataLossError(risks: readonly DataRisk[]): DataLossError {
  return new DataLossError(
    `The migration would destroy data the database holds now:\n${risks.map((risk) => `  - ${risk.text}`).join('\n')}\n` +
      'No file was written. Move the data first, give the renames (renames / --rename), ' +
      'or pass allowDataLoss: true (--allow-data-loss) to write it with these warnings in it.',
    risks,
  );
}

function assertGenerateOptions(options: GenerateOptions): void {
  const known = new Set(['renames', 'allowDataLoss']);
  const unknown = Object.keys(options).find((key) => !known.has(key));
  if (unknown !== undefined) throw new OptionsError(`Unknown generate() option "${unknown}": use renames or allowDataLoss.`, unknown);
  for (const [from, to] of Object.entries(options.renames ?? {})) {
    if (typeof to !== 'string' || to === '' || from === '') {
      throw new OptionsError(`generate() renames: "${from}" must map to a new name (a non-empty string).`, 'renames');
    }
  }
}

export async function writeEmptyMigration(options: ResolvedOptions, folder: string, message: string): Promise<GenerateResult> {
  const language = options.language ?? detectLanguage(folder);
  return { path: writeMigration(folder, message, language, renderEmptyMigration({ language, message })), operations: [], risks: [] };
}

/** Check passes when the database is at head and matches the models. */
export async function checkDrift(options: ResolvedOptions, dialect: Dialect, status: Status): Promise<void> {
  if (status.pending.length > 0) {
    throw new NotAtHeadError(
      `The database is not at head: ${status.pending.length} pending migration(s) (${status.pending.join(', ')}). Run upgrade.`,
      status.pending,
    );
  }
  const { operations } = await computeDiff(options, dialect);
  if (operations.length > 0) {
    throw new DriftError(
      `The models differ from the database (${operations.length} difference(s)):\n${operations
        .map((op) => `  ${describeOperation(op)}`)
        .join('\n')}\nGenerate a migration for them.`,
      operations,
    );
  }
}

/**
 * Autogenerate against a database that lacks pending migrations would write them again; against
 * a history whose files are not in the folder (a config pointing at the wrong folder, or a newer
 * release's migrations) it would write a file that the folder's own history does not lead to.
 * Stricter than upgrade(), which runs on past rows newer than every file (a rollback deploy).
 */
async function assertAtHead(options: ResolvedOptions, folder: string): Promise<void> {
  const { historyFor } = require('../runner/history') as typeof import('../runner/history');
  const history = (await historyFor(options).executed()) ?? [];
  const sources = existsSync(folder) ? folderSources(folder) : [];
  const files = new Set(sources.map((s) => s.name));
  const missing = history.filter((row) => !files.has(row.name));
  if (missing.length > 0) {
    const names = missing.map((row) => row.storedName);
    throw new MissingMigrationError(
      `${missing.length} applied migration(s) have no file in ${resolve(folder)} (${names.slice(0, 5).join(', ')}` +
        `${names.length > 5 ? ', ...' : ''}): the \`migrations\` option may point at the wrong folder, or the files are not here. ` +
        'Fix the path or restore the files; nothing was written.',
      missing[0]!.name,
    );
  }
  const applied = new Set(history.map((a) => a.name));
  const pending = sources
    .map((s) => s.name)
    .filter((name) => !applied.has(name));
  if (pending.length > 0) {
    throw new NotAtHeadError(
      `Target database is not up to date: ${pending.length} pending migration(s) (${pending.join(', ')}). ` +
        'Run upgrade first, then generate.',
      pending,
    );
  }
}

/** 'ts' in a TypeScript project (a tsconfig.json above the folder), 'mjs' in an ES module package, else 'js'. */
export function detectLanguage(folder: string): 'ts' | 'js' | 'mjs' {
  let dir = resolve(folder);
  for (let depth = 0; depth < 8; depth++) {
    if (existsSync(join(dir, 'tsconfig.json'))) return 'ts';
    if (existsSync(join(dir, 'package.json'))) return packageType(dir) === 'module' ? 'mjs' : 'js';
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return 'js';
}

/** `YYYYMMDDHHMMSS-slug.ext`, sorting after every existing migration of the folder. */
function writeMigration(folder: string, message: string, language: 'ts' | 'js' | 'mjs', source: string): string {
  mkdirSync(folder, { recursive: true });
  // Timestamped files only: `index.*` (the bundle index) sorts after every timestamp.
  const newest = readdirSync(folder)
    .filter((f) => /^\d{14}/.test(f))
    .sort()
    .pop() ?? '';
  let when = new Date();
  let stamp = timestamp(when);
  while (stamp <= newest.slice(0, 14)) {
    when = new Date(when.getTime() + 1000);
    stamp = timestamp(when);
  }
  const path = join(folder, `${stamp}-${slugOf(message) || 'migration'}.${language}`);
  writeFileSync(path, source, { flag: 'wx' });
  return path;
}

/** Letters NFKD does not decompose into a base letter and marks. */
const LIGATURES: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/**
 * The file-name part of a message: `Ünïcödé` -> `unicode`. NFKD splits accented letters into a
 * base letter and combining marks, which are dropped; anything else becomes a dash.
 */
export function slugOf(message: string): string {
  return message
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => LIGATURES[c] ?? c)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
