import type { ColumnType, TypeName } from '../../types/schema';

/**
 * How a dialect spells the checks that find values a narrower column type cannot hold. Null on a
 * dialect that does not enforce declared types (SQLite keeps any value in any column:
 * https://www.sqlite.org/datatype3.html), where a narrowed type destroys nothing.
 */
export interface ValueFitSql {
  /** Length of a text value in characters. */
  charLength(column: string): string;
  /** True for a text value that is not an integer literal. */
  notInteger(column: string): string;
}

const INTEGER_BITS: Partial<Record<TypeName, number>> = { TINYINT: 8, SMALLINT: 16, MEDIUMINT: 24, INTEGER: 32, BIGINT: 64 };
const TEXTUAL: readonly TypeName[] = ['STRING', 'CHAR', 'TEXT', 'CITEXT', 'ENUM', 'UUID', 'RAW'];
const FRACTIONAL: readonly TypeName[] = ['DECIMAL', 'FLOAT', 'REAL', 'DOUBLE'];

function integerRange(type: ColumnType): readonly [bigint, bigint] | null {
  const bits = INTEGER_BITS[type.name];
  if (bits === undefined) return null;
  return type.unsigned === true ? [0n, (1n << BigInt(bits)) - 1n] : [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n];
}

/**
 * A SQL predicate, true for a non-null value of a `from` column that a `to` column cannot hold
 * (the ALTER would fail on it, or truncate it where the server is not strict); null when every
 * value fits or when the check would be a guess. Covers what autogenerate meets: shorter strings,
 * smaller integers, text or fractions into integers, fewer enum values.
 */
export function misfitPredicate(
  sql: ValueFitSql,
  column: string,
  from: ColumnType,
  to: ColumnType,
  literal: (value: string) => string,
): string | null {
  if ((to.name === 'STRING' || to.name === 'CHAR') && typeof to.length === 'number' && TEXTUAL.includes(from.name)) {
    const wider = from.name === 'TEXT' || from.name === 'CITEXT' || from.name === 'RAW' || (from.length ?? Infinity) > to.length;
    return wider ? `${sql.charLength(column)} > ${to.length}` : null;
  }
  const range = integerRange(to);
  if (range !== null) {
    const [lo, hi] = range;
    const outside = `(${column} < ${lo} OR ${column} > ${hi})`;
    const fromRange = integerRange(from);
    if (fromRange !== null) return fromRange[0] < lo || fromRange[1] > hi ? outside : null;
    if (FRACTIONAL.includes(from.name)) return `(${outside} OR ${column} <> FLOOR(${column}))`;
    if (TEXTUAL.includes(from.name)) return sql.notInteger(column);
    return null;
  }
  if (to.name === 'ENUM' && to.values !== undefined && TEXTUAL.includes(from.name)) {
    const removed = from.name === 'ENUM' && from.values !== undefined ? from.values.some((v) => !to.values!.includes(v)) : true;
    return removed ? `${column} NOT IN (${to.values.map(literal).join(', ')})` : null;
  }
  return null;
}
