/**
 * `squash`: one baseline migration for a long history. The migrations up to the target run on a
 * scratch database (never the user's), which is then introspected; the differ turns "nothing" into
 * that schema and the renderer writes it, `down` dropping everything, with `replaces` naming the
 * migrations it stands for (replaces.ts gives the runner's semantics, Django's squashmigrations).
 * Row writes the migrations ran (seed data) are not schema: they are named in the file's header.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Target } from '../../types/options';
import type { SquashOptions, SquashResult } from '../../types/squash';
import { detectLanguage } from '../autogenerate/autogenerate';
import type { Dialect } from '../dialects/dialect';
import { leaseTableName } from '../dialects/lock-key';
import { diffSchemas } from '../diff/diff-schemas';
import { reverseOperations } from '../diff/reverse-operation';
import { UnsupportedError, UnknownTargetError } from '../errors';
import type { ResolvedOptions } from '../options';
import { progressTableName } from '../runner/history';
import { folderSources, type MigrationSource } from '../runner/sources';
import { runtimeOptions } from '../sequelize-internals';
import { WriteCapture } from './capture-writes';
import { renderBaseline } from './render-baseline';

/** What squash needs of a migrator on the scratch database (the migrator passes its factory: no import cycle). */
export interface ScratchUpgrader {
  upgrade(options: { to: string }): Promise<unknown>;
}

export async function squash(
  options: ResolvedOptions,
  dialect: Dialect,
  folder: string,
  squashOptions: SquashOptions,
  migratorOn: (options: ResolvedOptions) => ScratchUpgrader,
): Promise<SquashResult> {
  const available = folderSources(folder);
  const range = rangeTo(available, squashOptions.to ?? 'head');
  const last = range[range.length - 1];
  const replaces = [...new Set(range.flatMap((s) => [...(s.replaces?.() ?? []), s.fileName]))];
  const language = options.language ?? detectLanguage(folder);
  const name = `${last.name}_squashed`;
  const existing = available.find((s) => s.name === name);
  if (existing) throw new UnsupportedError(`${join(folder, existing.fileName)} exists already: delete it to squash again.`, existing.fileName);
  const next = available[available.indexOf(last) + 1];
  if (next !== undefined && next.name <= name) {
    throw new UnsupportedError(
      `The baseline "${name}" would sort after "${next.fileName}", which it must precede. Squash to "${next.name}" instead, or rename it.`,
      name,
    );
  }
  const path = join(folder, `${name}.${language}`);
  if (existsSync(path)) throw new UnsupportedError(`${path} exists already: delete it to squash again.`, path);

  const ours = [options.tableName, progressTableName(options.tableName), leaseTableName(options.tableName)];
  const scratch = await dialect.openScratch(options.sequelize);
  const capture = new WriteCapture(ours);
  try {
    runtimeOptions(scratch.sequelize).logging = capture.log;
    const migrator = migratorOn({
      ...options,
      sequelize: scratch.sequelize,
      migrations: folder,
      lockTimeoutMs: null,
      storage: undefined,
      logger: { ...options.logger, info() {} },
      hooks: { beforeStep: (step) => capture.step(step.name) },
    });
    await migrator.upgrade({ to: last.name });
    runtimeOptions(scratch.sequelize).logging = false;
    const schema = await dialect.introspect(scratch.sequelize, { excludeTables: ours });
    const empty = { dialect: schema.dialect, tables: [], enums: [] };
    const { operations, notes } = diffSchemas(empty, schema, {
      capabilities: dialect.capabilities,
      normalize: (table) => dialect.normalizeTable(table),
    });
    const source = renderBaseline({
      operations,
      down: reverseOperations(operations),
      notes,
      language,
      dialect: dialect.name,
      replaces,
      data: capture.writes,
    });
    writeFileSync(path, source, { flag: 'wx' });
    options.logger.info(`squash: wrote ${path}, replacing ${replaces.length} migration(s) (schema read from scratch ${scratch.description})`);
    return { path, replaces, data: capture.writes };
  } finally {
    await scratch.drop().catch((error: unknown) => {
      options.logger.warn(`squash: removing the scratch ${scratch.description} failed (${String(error)}); remove it by hand.`);
    });
  }
}

/** The migrations from the first to `to`, in run order. */
function rangeTo(available: readonly MigrationSource[], to: Target): MigrationSource[] {
  if (available.length === 0) throw new UnsupportedError('squash: the migrations folder has no migration to squash.', 'to');
  const name = String(to);
  const index = name === 'head' ? available.length - 1 : available.findIndex((s) => s.name === name || s.fileName === name);
  if (index < 0) {
    throw new UnknownTargetError(`Cannot squash to "${name}": no migration has that name. Use a migration name or 'head'.`, name);
  }
  return available.slice(0, index + 1);
}
