/**
 * Django's `replaces` (squashmigrations), for the runner: a baseline migration names the
 * migrations it replaces. On a database that applied none of them it runs instead of them and
 * records every replaced name; on one part-way through them the originals run; on one that applied
 * them all it is recorded without running. Its record covers the replaced names, so their files
 * can be deleted once every database is past the range. Pure: sources, history rows and steps in,
 * steps out.
 */
import type { AppliedInfo } from '../../types/options';
import { MigrationError, MigrationShapeError, MissingMigrationError, UnsupportedError } from '../errors';
import type { Step } from '../runner/run';
import { migrationName, type MigrationSource } from '../runner/sources';

/**
 * `exports.replaces = [...]`, `replaces: [...]` (in `module.exports = {}`) or
 * `export const replaces = [...]`: the array literal must be JSON (double-quoted names), as
 * `squash` writes it.
 */
const REPLACES = /(?:^|\n)[ \t]*(?:export\s+const\s+replaces(?:\s*:[^=\n]+)?\s*=|(?:module\.)?exports\.replaces\s*=|replaces\s*:)\s*(\[[\s\S]*?\])\s*[,;]?[ \t]*(?:\n|$)/;

/** The names a migration file's text declares it replaces; [] when it declares none. */
export function replacesIn(text: string, path: string): readonly string[] {
  const match = REPLACES.exec(text);
  if (!match) return [];
  let names: unknown;
  try {
    names = JSON.parse(match[1]);
  } catch {
    names = null;
  }
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n === '')) {
    throw new MigrationShapeError(
      `Migration ${path}: \`replaces\` must be an array of migration names in double quotes (JSON), as \`automigrate squash\` writes it.`,
      path,
    );
  }
  return names as string[];
}

/**
 * The migration names a source replaces: `replaces` holds history names as sequelize-cli stores
 * them (file names, with extension); a name without one matches too.
 */
export function replacedNames(source: MigrationSource): string[] {
  return (source.replaces?.() ?? []).map(migrationName);
}

/** Every name some available migration replaces, with the baseline that replaces it. */
export function replacedBy(available: readonly MigrationSource[]): Map<string, MigrationSource> {
  const out = new Map<string, MigrationSource>();
  for (const source of available) for (const name of replacedNames(source)) out.set(name, source);
  return out;
}

/** A history row written or removed together with a baseline's own. */
export interface ReplacedRow {
  readonly storedName: string;
  readonly checksum: string | null;
}

/**
 * The planned `up` steps with the baselines resolved against the history: each pending baseline
 * runs in place of the migrations it replaces when none of them is applied (they leave the plan;
 * the baseline's step records them), else is only recorded, after the originals, which run.
 */
export function resolveUpgrade(
  available: readonly MigrationSource[],
  applied: readonly AppliedInfo[],
  planned: readonly Step[],
): Step[] {
  const baselines = planned.filter((step) => replacedNames(step.source).length > 0);
  if (baselines.length === 0) return [...planned];
  const done = new Set(applied.map((a) => a.name));
  const byName = new Map(available.map((s) => [s.name, s]));
  const skipped = new Set<string>();
  const resolved = new Map<string, Step>();
  for (const step of baselines) {
    const stored = step.source.replaces?.() ?? [];
    const replaced = replacedNames(step.source);
    const ran = replaced.filter((name) => done.has(name));
    if (ran.length === 0) {
      for (const name of replaced) skipped.add(name);
      const rows = replaced.map((name, i) => {
        const source = byName.get(name);
        return { storedName: source?.fileName ?? stored[i], checksum: source?.checksum() ?? null };
      });
      resolved.set(step.source.name, { ...step, replaced: rows });
      continue;
    }
    const missing = replaced.filter((name) => !done.has(name) && !byName.has(name));
    if (missing.length > 0) {
      throw new MissingMigrationError(
        `The database applied ${ran.length} of the ${replaced.length} migrations baseline "${step.source.fileName}" replaces, ` +
          `so the rest must run one by one, but ${missing.length} of their files are gone (${missing.slice(0, 3).join(', ')}` +
          `${missing.length > 3 ? ', ...' : ''}). Restore them from version control and upgrade again.`,
        missing[0],
      );
    }
    resolved.set(step.source.name, { ...step, recordOnly: true });
  }
  return planned.filter((step) => !skipped.has(step.source.name)).map((step) => resolved.get(step.source.name) ?? step);
}

/**
 * The history rows a downgrade reverts (newest first), with the baselines resolved: reverting a
 * baseline reverts the whole range it replaces (its `down` drops what it creates), so the replaced
 * names' rows leave the plan and go with the baseline's own (`replaced`, by baseline name), and a
 * `step` count counts it as one. A `to` target that keeps some of the range (`toTarget`) is refused.
 */
export function resolveDowngrade(
  available: readonly MigrationSource[],
  applied: readonly AppliedInfo[],
  planned: readonly AppliedInfo[],
  toTarget: boolean,
): { readonly rows: AppliedInfo[]; readonly replaced: ReadonlyMap<string, readonly ReplacedRow[]> } {
  const byName = new Map(available.map((s) => [s.name, s]));
  const replacedOf = (name: string) => {
    const source = byName.get(name);
    return source ? replacedNames(source) : [];
  };
  const reverting = planned.filter((row) => replacedOf(row.name).length > 0);
  if (reverting.length === 0) return { rows: [...planned], replaced: new Map() };
  const rows = new Map(applied.map((a) => [a.name, a]));
  const inPlan = new Set(planned.map((row) => row.name));
  const absorbed = new Set<string>();
  const replaced = new Map<string, ReplacedRow[]>();
  for (const baseline of reverting) {
    const names = replacedOf(baseline.name).filter((name) => rows.has(name));
    const kept = toTarget ? names.filter((name) => !inPlan.has(name)) : [];
    if (kept.length > 0) {
      throw new UnsupportedError(
        `Downgrading through baseline "${baseline.storedName}" reverts every migration it replaces, but the target keeps ` +
          `${kept.length} of them (${kept.slice(0, 3).join(', ')}${kept.length > 3 ? ', ...' : ''}). ` +
          'Downgrade to a migration before the range (or base), then upgrade to the one you want.',
        baseline.name,
      );
    }
    for (const name of names) absorbed.add(name);
    replaced.set(
      baseline.name,
      names.map((name) => ({ storedName: rows.get(name)?.storedName ?? name, checksum: null })),
    );
  }
  return { rows: planned.filter((row) => !absorbed.has(row.name)), replaced };
}

/**
 * The pending migrations as upgrade() runs them: a baseline in place of the originals it replaces
 * on a database that applied none of them (status() lists these, `upgrade +N` counts them). Where
 * the plan cannot be worked out (part-way, their files gone), the plain list: the upgrade itself
 * says why.
 */
export function pendingInPlace(available: readonly MigrationSource[], applied: readonly AppliedInfo[], pending: readonly MigrationSource[]): MigrationSource[] {
  const planned = pending.map((source): Step => ({ source, direction: 'up', storedName: source.fileName }));
  try {
    return resolveUpgrade(available, applied, planned).map((step) => step.source);
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error;
    return [...pending];
  }
}
