/**
 * What a target names, as Alembic reads it: `head`, `base` / `0`, a migration's name (with or
 * without its extension), a unique prefix of one (`20261202`), or a count relative to the history
 * (`+2`: the next two pending migrations; `-1`: the newest applied one reverted). Pure.
 */
import type { AppliedInfo, Target } from '../../types/options';
import { AmbiguousTargetError, StepCountError, UnknownTargetError } from '../errors';
import type { MigrationSource } from './sources';

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
  const done = new Set(applied.map((a) => a.name));
  const steps = relativeUpgrade(available.filter((s) => !done.has(s.name)), count);
  return steps.length > 0 ? steps[steps.length - 1]!.name : (to as Target);
}
