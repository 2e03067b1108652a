/**
 * The plan: pure functions from (available migrations, applied history, target) to the steps to
 * run. No I/O here except the lazy checksum each source computes from its own file.
 */
import type { AppliedInfo, Target } from '../../types/options';
import { AmbiguousTargetError, ChecksumError, MissingMigrationError, OutOfOrderError, StepCountError, UnknownTargetError } from '../errors';
import type { Step } from './run';
import { migrationName, type MigrationSource } from './sources';

export interface HistoryCheck {
  readonly allowOutOfOrder: boolean;
  /** Checksums are verified only for migrations that run from the same kind of file. */
  readonly verifyChecksums: boolean;
}

/** Names applied, for set lookups. */
export function appliedNames(applied: readonly AppliedInfo[]): Set<string> {
  return new Set(applied.map((a) => a.name));
}

/**
 * Run order as a sort key: a migration's position in `available` (a folder's files by name; an
 * in-code array as given, which is how umzug runs it). A history row of a migration not in
 * `available` takes the place its name sorts to, so for a folder the key orders exactly by name,
 * and a row newer than every known name comes last.
 */
export function runOrderKey(available: readonly MigrationSource[]): (name: string) => number {
  const position = new Map(available.map((s, index) => [s.name, index]));
  return (name) => position.get(name) ?? available.filter((s) => s.name < name).length - 0.5;
}

/** Applied rows in run order (see runOrderKey); ties (unknown rows in one slot) by name. */
export function inRunOrder(available: readonly MigrationSource[], applied: readonly AppliedInfo[]): AppliedInfo[] {
  const key = runOrderKey(available);
  return [...applied].sort((a, b) => key(a.name) - key(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function pendingSources(available: readonly MigrationSource[], applied: readonly AppliedInfo[]): MigrationSource[] {
  const done = appliedNames(applied);
  return available.filter((s) => !done.has(s.name));
}

/** What upgrade() refuses in a history: one error per migration at fault. */
export type HistoryProblem = ChecksumError | MissingMigrationError | OutOfOrderError;

/**
 * Everything in a history that does not fit the files: an edited applied migration, a history row
 * whose file is gone (unless newer than every known file: a rollback deploy, returned as an
 * orphan), and, when `upgrading`, pending migrations older than the newest applied one. The one
 * validation upgrade(), downgrade(), check() and status() share, so they cannot disagree.
 */
export function historyProblems(
  available: readonly MigrationSource[],
  applied: readonly AppliedInfo[],
  check: HistoryCheck,
  upgrading: boolean,
): { readonly problems: readonly HistoryProblem[]; readonly orphans: readonly AppliedInfo[] } {
  const byName = new Map(available.map((s) => [s.name, s]));
  // The greatest name, not the last source: an in-code array need not be sorted.
  const newestFile = available.reduce<string | null>((max, s) => (max === null || s.name > max ? s.name : max), null);
  const orphans: AppliedInfo[] = [];
  const problems: HistoryProblem[] = [];
  let replaced: ReadonlyMap<string, MigrationSource> | undefined;
  for (const row of applied) {
    const source = byName.get(row.name);
    if (!source) {
      // A squashed baseline's record covers the rows of the files it replaced (lib/squash).
      replaced ??= (require('../squash/replaces') as typeof import('../squash/replaces')).replacedBy(available);
      if (replaced.has(row.name)) continue;
      if (newestFile === null || row.name > newestFile) {
        orphans.push(row);
        continue;
      }
      problems.push(
        new MissingMigrationError(
          `Migration "${row.storedName}" is recorded as applied, but its file is missing. ` +
            'Restore the file, or remove its row from the history table if it was deleted on purpose.',
          row.name,
        ),
      );
      continue;
    }
    if (check.verifyChecksums && row.checksum && sameKind(row.storedName, source.fileName)) {
      const current = source.checksum();
      if (current !== null && current !== row.checksum) {
        problems.push(
          new ChecksumError(
            `Migration "${source.fileName}" was changed after it was applied (checksum ${row.checksum.slice(0, 12)} recorded, ` +
              `${current.slice(0, 12)} now). Revert the edit and write a new migration for the change.`,
            source.name,
          ),
        );
      }
    }
  }
  if (upgrading && !check.allowOutOfOrder) {
    const ordered = inRunOrder(available, applied);
    const newestApplied = ordered.length > 0 ? ordered[ordered.length - 1].name : null;
    const done = appliedNames(applied);
    const key = runOrderKey(available);
    // A baseline whose replaced migrations are all applied only gets recorded (lib/squash): never late.
    const recordOnly = (s: MigrationSource) => {
      const replaced = (s.replaces?.() ?? []).map(migrationName);
      return replaced.length > 0 && replaced.every((name) => done.has(name));
    };
    const late = newestApplied === null ? [] : available.filter((s, index) => !done.has(s.name) && index < key(newestApplied) && !recordOnly(s));
    for (const source of late) {
      const inCode = source.path === null;
      problems.push(
        new OutOfOrderError(
          `Migration "${source.fileName}" is pending but ${inCode ? 'comes before' : 'older than'} the applied "${newestApplied}"` +
            `${inCode ? ' in the migrations array' : ''}. ` +
            `${inCode ? 'Move it after the applied ones' : 'Rename it to sort after the applied ones'}, or pass \`allowOutOfOrder: true\`.`,
          source.name,
        ),
      );
    }
  }
  return { problems, orphans };
}

/** historyProblems(), throwing the first problem: what upgrade() and check() refuse. */
export function verifyHistory(
  available: readonly MigrationSource[],
  applied: readonly AppliedInfo[],
  check: HistoryCheck,
  upgrading: boolean,
): { readonly orphans: readonly AppliedInfo[] } {
  const { problems, orphans } = historyProblems(available, applied, check, upgrading);
  if (problems.length > 0) throw problems[0];
  return { orphans };
}

/**
 * A row recorded from `x.ts` and a file `x.js` are one migration compiled: their texts differ by
 * nature, so their checksums are not compared. Rows without extension (umzug in-code names) match
 * any file of the same name.
 */
function sameKind(storedName: string, fileName: string): boolean {
  const ext = (n: string) => (/\.[cm]?[jt]s$/.exec(n)?.[0] ?? '').replace(/^\.[cm]/, '.');
  const a = ext(storedName);
  const b = ext(fileName);
  return a === '' || b === '' || a === b;
}

/** The migrations an upgrade to `to` runs: up to a name (see resolveTarget below), or the next N for `+N`. */
export function planUpgrade(available: readonly MigrationSource[], applied: readonly AppliedInfo[], to: Target = 'head'): MigrationSource[] {
  const count = relativeCount(to);
  if (count !== null) {
    // `+N` counts what runs: a fresh database's squashed baseline stands in for its originals.
    const { pendingInPlace } = require('../squash/replaces') as typeof import('../squash/replaces');
    return relativeUpgrade(pendingInPlace(available, applied, pendingSources(available, applied)), count);
  }
  const last = resolveTarget(available, to, 'upgrade');
  const done = appliedNames(applied);
  return available.slice(0, last + 1).filter((s) => !done.has(s.name));
}

/** The steps of an upgrade to `to`: each pending source, recorded under its file name. */
export function upgradeSteps(available: readonly MigrationSource[], applied: readonly AppliedInfo[], to?: Target): Step[] {
  return planUpgrade(available, applied, to).map((source) => ({ source, direction: 'up', storedName: source.fileName }));
}

/**
 * The steps of a downgrade: planDowngrade() with each row's source.
 * @throws MissingMigrationError (E_MISSING_MIGRATION) for a row whose file is not here.
 */
export function downgradeSteps(
  available: readonly MigrationSource[],
  applied: readonly AppliedInfo[],
  options: { step?: number; to?: Target },
  /** A squashed baseline's rule (lib/squash/replaces.ts): which rows revert, and what each takes with it. */
  resolve: (planned: AppliedInfo[]) => { readonly rows: readonly AppliedInfo[]; readonly replaced?: ReadonlyMap<string, Step['replaced']> } = (rows) => ({ rows }),
): Step[] {
  const byName = new Map(available.map((s) => [s.name, s]));
  const { rows, replaced } = resolve(planDowngrade(available, applied, options));
  return rows.map((row) => {
    const source = byName.get(row.name);
    if (!source) {
      throw new MissingMigrationError(
        `Cannot revert "${row.storedName}": its file is not here (a newer release applied it). Downgrade with that release's files.`,
        row.name,
      );
    }
    return { source, direction: 'down', storedName: row.storedName, applied: row, replaced: replaced?.get(row.name) };
  });
}

/** The applied migrations to revert, newest first, each with the row it removes. */
export function planDowngrade(
  available: readonly MigrationSource[],
  applied: readonly AppliedInfo[],
  options: { step?: number; to?: Target },
): AppliedInfo[] {
  const newestFirst = inRunOrder(available, applied).reverse();
  const count = relativeCount(options.to);
  if (count !== null) return planDowngrade(available, applied, { step: relativeDowngradeSteps(count) });
  if (options.to !== undefined) {
    const keep = resolveTarget(available, options.to, 'downgrade');
    const key = runOrderKey(available);
    return newestFirst.filter((row) => key(row.name) > keep);
  }
  if (options.step === undefined) return newestFirst.slice(0, 1);
  // `step: 99` with 3 applied is a mistake (a typo, the wrong database), not "revert all".
  if (options.step > applied.length) {
    throw new StepCountError(
      `Cannot downgrade ${options.step} step(s): only ${applied.length} migration(s) are applied. ` +
        "Ask for at most that many, or downgrade to base (`{ to: 0 }`, `automigrate downgrade base`) to revert everything.",
      options.step,
      applied.length,
    );
  }
  return newestFirst.slice(0, options.step);
}

/** For stamp: the history that makes exactly the migrations up to `target` applied. */
export function planStamp(
  available: readonly MigrationSource[],
  applied: readonly AppliedInfo[],
  target: Target,
): { add: MigrationSource[]; remove: AppliedInfo[] } {
  const last = resolveTarget(available, target, 'stamp');
  const keep = new Set(available.slice(0, last + 1).map((s) => s.name));
  const done = appliedNames(applied);
  return {
    add: available.slice(0, last + 1).filter((s) => !done.has(s.name)),
    remove: applied.filter((row) => !keep.has(row.name)),
  };
}

// Targets: names, unique prefixes, +N / -N (kept in this module: a boot loads one planning module)
/*
 * What a target names, as Alembic reads it: `head`, `base` / `0`, a migration's name (with or
 * without its extension), a unique prefix of one (`20261202`), or a count relative to the history
 * (`+2`: the next two pending migrations; `-1`: the newest applied one reverted). Pure.
 */
/** `+N` or `-N` (N >= 1), as a signed count; null for any other target. */
export function relativeCount(target: Target | undefined): number | null {
  if (typeof target !== 'string') return null;
  const match = /^([+-])(\d+)$/.exec(target.trim());
  if (!match) return null;
  const count = Number(match[2]);
  if (count < 1) return null;
  return match[1] === '-' ? -count : count;
}

/** `0`, `'0'` and `'base'`: before every migration. */
export function isBase(target: Target): boolean {
  return target === 0 || target === '0' || target === 'base';
}

/**
 * The index of the migration `text` names among `available`: its name or file name exactly, or
 * else the one name it is a prefix of. Several names starting with it are an AmbiguousTargetError
 * listing them; none an UnknownTargetError.
 */
export function findMigration(available: readonly MigrationSource[], text: string, verb: string): number {
  const exact = available.findIndex((s) => s.name === text || s.fileName === text);
  if (exact >= 0) return exact;
  const matches = text === '' ? [] : available.flatMap((s, index) => (s.name.startsWith(text) ? [index] : []));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const names = matches.map((index) => available[index]!.name);
    throw new AmbiguousTargetError(
      `Cannot ${verb} to "${text}": ${names.length} migrations start with it (${names.join(', ')}). ` +
        'Type more of the name, up to one that only one migration starts with.',
      text,
      names,
    );
  }
  throw new UnknownTargetError(
    `Cannot ${verb} to "${text}": no migration has that name or starts with it. ` +
      "Use a migration name (or the start of one), 'head', 'base'/0, or a relative count such as +1 / -1.",
    text,
  );
}

/**
 * The index of an absolute target among the available names: -1 for base, the last for head.
 * A relative target is refused here: only upgrade (`+N`) and downgrade (`-N`) count from the history.
 */
export function resolveTarget(available: readonly MigrationSource[], target: Target, verb: string): number {
  if (isBase(target)) return -1;
  if (target === 'head') return available.length - 1;
  if (relativeCount(target) !== null) {
    throw new UnknownTargetError(
      `Cannot ${verb} to "${target}": a relative target counts from the history, which only upgrade (+N) and downgrade (-N) do. ` +
        'Use a migration name, head or base.',
      String(target),
    );
  }
  return findMigration(available, String(target), verb);
}

/**
 * `upgrade +N`: the N pending migrations that run next (in run order). Fewer pending is a
 * StepCountError, as Alembic refuses a relative revision that does not exist; `-N` is refused
 * with the downgrade that does it.
 */
export function relativeUpgrade(pending: readonly MigrationSource[], count: number): MigrationSource[] {
  if (count < 0) {
    throw new UnknownTargetError(
      `Cannot upgrade to "${count}": upgrade goes forward. Use \`downgrade ${count}\` (or \`downgrade({ to: '${count}' })\`) to revert.`,
      String(count),
    );
  }
  if (count > pending.length) {
    throw new StepCountError(
      `Cannot upgrade +${count}: only ${pending.length} migration(s) are pending. Ask for at most that many, or upgrade to head.`,
      count,
      pending.length,
    );
  }
  return pending.slice(0, count);
}

/**
 * `downgrade -N`: the number of newest applied migrations to revert (the `step` it stands for);
 * `+N` is refused with the upgrade that does it.
 */
export function relativeDowngradeSteps(count: number): number {
  if (count > 0) {
    throw new UnknownTargetError(
      `Cannot downgrade to "+${count}": downgrade goes back. Use \`upgrade +${count}\` (or \`upgrade({ to: '+${count}' })\`) to apply.`,
      `+${count}`,
    );
  }
  return -count;
}

/**
 * An upgrade's target with a relative count replaced by the name it reaches from `applied`, so a
 * run that waits for the lock while another process migrates goes to the same migration it was
 * asked for, not N further (two `upgrade +1` at once apply one migration, like two `upgrade head`).
 */
export function pinUpgradeTarget(
  available: readonly MigrationSource[],
  applied: readonly AppliedInfo[],
  to: Target | undefined,
): Target | undefined {
  const count = relativeCount(to);
  if (count === null) return to;
  const steps = planUpgrade(available, applied, to);
  return steps.length > 0 ? steps[steps.length - 1]!.name : (to as Target);
}
