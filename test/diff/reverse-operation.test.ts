import test from 'ava';
import type { Operation } from '../../types/operations';
import { extendedEnum, reverseOperation, reverseOperations } from '../../lib/diff/reverse-operation';
import { col, fk, idx, table, INT, string } from './fixtures';

const T = { name: 'users', schema: null };
const users = table('users', [col('email')]);
const e = { name: 'enum_users_role', schema: null, values: ['a', 'c'] };

const pairs: [Operation, Operation][] = [
  [{ kind: 'createTable', table: users }, { kind: 'dropTable', table: users }],
  [{ kind: 'addColumn', table: T, column: col('x') }, { kind: 'removeColumn', table: T, column: col('x') }],
  [{ kind: 'addIndex', table: T, index: idx('i', ['email']) }, { kind: 'removeIndex', table: T, index: idx('i', ['email']) }],
  [{ kind: 'addForeignKey', table: T, foreignKey: fk(['x'], 'orgs') }, { kind: 'removeForeignKey', table: T, foreignKey: fk(['x'], 'orgs') }],
  [{ kind: 'createEnum', enum: e }, { kind: 'dropEnum', enum: e }],
];

test('each operation and its reverse are each other\'s reverse', (t) => {
  for (const [a, b] of pairs) {
    t.deepEqual(reverseOperation(a), b);
    t.deepEqual(reverseOperation(b), a);
  }
});

test('changeColumn and rebuildTable swap their two states', (t) => {
  const change: Operation = { kind: 'changeColumn', table: T, from: col('x'), to: col('x', INT) };
  t.deepEqual(reverseOperation(change), { kind: 'changeColumn', table: T, from: col('x', INT), to: col('x') });
  const wider = { ...users, columns: [...users.columns, col('y', string(10))] };
  t.deepEqual(reverseOperation({ kind: 'rebuildTable', from: users, to: wider }), { kind: 'rebuildTable', from: wider, to: users });
});

test('addEnumValues reverses to removeEnumValues on the extended type, and back', (t) => {
  const op: Operation = { kind: 'addEnumValues', enum: e, values: [{ value: 'b', after: 'a' }, { value: 'z', after: null }] };
  const down = reverseOperation(op);
  t.deepEqual(down, { kind: 'removeEnumValues', enum: { ...e, values: ['z', 'a', 'b', 'c'] }, values: ['b', 'z'] });
  t.deepEqual(reverseOperation(down), {
    kind: 'addEnumValues',
    enum: e,
    values: [{ value: 'z', after: null }, { value: 'b', after: 'a' }],
  });
});

test('extendedEnum puts values after their predecessor, first for null, last when it is unknown', (t) => {
  t.deepEqual(extendedEnum(e, [{ value: 'b', after: 'a' }]).values, ['a', 'b', 'c']);
  t.deepEqual(extendedEnum(e, [{ value: 'b', after: null }]).values, ['b', 'a', 'c']);
  t.deepEqual(extendedEnum(e, [{ value: 'b', after: 'nope' }]).values, ['a', 'c', 'b']);
  t.deepEqual(e.values, ['a', 'c']);
});

test('reverseOperations: last first, each reversed; the input is left as it was', (t) => {
  const ops: Operation[] = [pairs[0]![0], pairs[1]![0], pairs[2]![0]];
  const copy = structuredClone(ops);
  t.deepEqual(reverseOperations(ops), [pairs[2]![1], pairs[1]![1], pairs[0]![1]]);
  t.deepEqual(ops, copy);
  t.deepEqual(reverseOperations(reverseOperations(ops)), ops);
});
