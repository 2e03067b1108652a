import type { Operation } from '../../types/operations';
import type { Schema } from '../../types/schema';
import { includesEnum, type DiffContext } from './diff-context';

export interface EnumChanges {
  /** createEnum and addEnumValues: before any table or column that uses them. */
  readonly before: Operation[];
  /** dropEnum: after the last column using the type is gone. */
  readonly after: Operation[];
}

export function enumKey(enumType: { readonly name: string; readonly schema: string | null }): string {
  return `${enumType.schema ?? ''}\u0000${enumType.name}`;
}

/**
 * Named enum types (PostgreSQL). New types are created; new values are added at their position
 * (ALTER TYPE ... ADD VALUE ... AFTER); types nothing uses any more are dropped. Values the models
 * removed or reordered are left as they are: PostgreSQL cannot drop an enum value
 * (https://www.postgresql.org/docs/15/sql-altertype.html), and a superset accepts every row.
 * `stillUsed` holds the enumKey of every type a column keeps using after the migration.
 */
export function diffEnums(current: Schema, desired: Schema, ctx: DiffContext, stillUsed: ReadonlySet<string>): EnumChanges {
  if (!ctx.capabilities.enumTypes) return { before: [], after: [] };
  const currentByKey = new Map(current.enums.map((e) => [enumKey(e), e]));
  const desiredKeys = new Set(desired.enums.map(enumKey));
  const before: Operation[] = [];
  for (const wanted of desired.enums) {
    if (!includesEnum(ctx, wanted)) continue;
    const existing = currentByKey.get(enumKey(wanted));
    if (existing === undefined) {
      before.push({ kind: 'createEnum', enum: wanted });
      continue;
    }
    const values = newValues(existing.values, wanted.values);
    if (values.length > 0) before.push({ kind: 'addEnumValues', enum: existing, values });
  }
  const after: Operation[] = current.enums
    .filter((e) => !desiredKeys.has(enumKey(e)) && !stillUsed.has(enumKey(e)) && includesEnum(ctx, e))
    .map((e) => ({ kind: 'dropEnum', enum: e }));
  return { before, after };
}

/** Each new value goes after the value before it in the models' order (null: first). */
function newValues(existing: readonly string[], wanted: readonly string[]): { value: string; after: string | null }[] {
  const have = new Set(existing);
  const values: { value: string; after: string | null }[] = [];
  wanted.forEach((value, i) => {
    if (have.has(value)) return;
    values.push({ value, after: i === 0 ? null : (wanted[i - 1] ?? null) });
  });
  return values;
}
