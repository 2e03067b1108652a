import type { Operation } from '../../types/operations';
import type { EnumType } from '../../types/schema';
import { assertNever } from '../errors';

/**
 * The operation that undoes `op`, built from the prior state every operation carries. The reverse
 * of addEnumValues is removeEnumValues, which PostgreSQL's ALTER TYPE cannot do
 * (https://www.postgresql.org/docs/15/sql-altertype.html): it renders as the library's
 * removeEnumValues helper, which creates the type again without the values.
 */
export function reverseOperation(op: Operation): Operation {
  switch (op.kind) {
    case 'createTable':
      return { kind: 'dropTable', table: op.table };
    case 'dropTable':
      return { kind: 'createTable', table: op.table };
    case 'addColumn':
      return { kind: 'removeColumn', table: op.table, column: op.column };
    case 'removeColumn':
      return { kind: 'addColumn', table: op.table, column: op.column };
    case 'changeColumn':
      return { kind: 'changeColumn', table: op.table, from: op.to, to: op.from };
    case 'addIndex':
      return { kind: 'removeIndex', table: op.table, index: op.index };
    case 'removeIndex':
      return { kind: 'addIndex', table: op.table, index: op.index };
    case 'addForeignKey':
      return { kind: 'removeForeignKey', table: op.table, foreignKey: op.foreignKey };
    case 'removeForeignKey':
      return { kind: 'addForeignKey', table: op.table, foreignKey: op.foreignKey };
    case 'rebuildTable':
      return { kind: 'rebuildTable', from: op.to, to: op.from, ...(op.alter ? { alter: reverseOperations(op.alter) } : {}) };
    case 'alterPrimaryKey':
      return { kind: 'alterPrimaryKey', table: op.table, from: op.to, to: op.from };
    case 'renameTable':
      return { kind: 'renameTable', from: op.to, to: op.from };
    case 'renameColumn':
      return { kind: 'renameColumn', table: op.table, from: op.to, to: op.from };
    case 'createEnum':
      return { kind: 'dropEnum', enum: op.enum };
    case 'dropEnum':
      return { kind: 'createEnum', enum: op.enum };
    case 'addEnumValues':
      return { kind: 'removeEnumValues', enum: extendedEnum(op.enum, op.values), values: op.values.map((v) => v.value) };
    case 'renameEnum':
      return { kind: 'renameEnum', enum: { ...op.enum, name: op.to }, to: op.enum.name };
    case 'removeEnumValues': {
      const values = op.enum.values.flatMap((value, i) => (op.values.includes(value) ? [{ value, after: op.enum.values[i - 1] ?? null }] : []));
      return { kind: 'addEnumValues', enum: { ...op.enum, values: op.enum.values.filter((v) => !op.values.includes(v)) }, values };
    }
    default:
      return assertNever(op, 'operation');
  }
}

/** `down` for a list of operations: the reverse of each, last first. */
export function reverseOperations(ops: readonly Operation[]): Operation[] {
  return [...ops].reverse().map(reverseOperation);
}

/** The enum type after addEnumValues: each value right after its `after` (null: first). */
export function extendedEnum(enumType: EnumType, values: readonly { readonly value: string; readonly after: string | null }[]): EnumType {
  let result = [...enumType.values];
  for (const { value, after } of values) {
    if (result.includes(value)) continue;
    const found = after === null ? -1 : result.indexOf(after);
    const at = after === null ? 0 : found < 0 ? result.length : found + 1;
    result = [...result.slice(0, at), value, ...result.slice(at)];
  }
  return { ...enumType, values: result };
}
