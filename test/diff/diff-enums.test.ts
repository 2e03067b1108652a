import test from 'ava';
import type { IncludeObject } from '../../types/options';
import type { ColumnType, EnumType } from '../../types/schema';
import { col, diff, roundTrip, schema, summary, table, MYSQL, POSTGRES, string } from './fixtures';

const role = (values: readonly string[]): ColumnType => ({ name: 'ENUM', values, enumName: 'enum_users_role' });
const roleEnum = (values: readonly string[]): EnumType => ({ name: 'enum_users_role', schema: null, values });
const users = (values: readonly string[] | null) => table('users', values === null ? [col('name')] : [col('name'), col('role', role(values))]);

test('a new enum column: the type is created before the column', (t) => {
  const result = roundTrip(schema([users(null)]), schema([users(['a', 'b'])], [roleEnum(['a', 'b'])]));
  t.deepEqual(result.up, [
    { kind: 'createEnum', enum: roleEnum(['a', 'b']) },
    { kind: 'addColumn', table: { name: 'users', schema: null }, column: col('role', role(['a', 'b'])) },
  ]);
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
});

test('a new table with an enum column: type first', (t) => {
  const { operations } = diff(schema([]), schema([users(['a'])], [roleEnum(['a'])]));
  t.deepEqual(summary(operations), ['createEnum enum_users_role', 'createTable users']);
});

test('new values are added at their place; the column itself does not change', (t) => {
  const current = schema([users(['b', 'd'])], [roleEnum(['b', 'd'])]);
  const desired = schema([users(['a', 'b', 'c', 'd', 'e'])], [roleEnum(['a', 'b', 'c', 'd', 'e'])]);
  const result = roundTrip(current, desired);
  t.deepEqual(result.up, [
    {
      kind: 'addEnumValues',
      enum: roleEnum(['b', 'd']),
      values: [
        { value: 'a', after: null },
        { value: 'c', after: 'b' },
        { value: 'e', after: 'd' },
      ],
    },
  ]);
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
});

test('values the models dropped stay: PostgreSQL cannot remove enum values', (t) => {
  const current = schema([users(['a', 'b'])], [roleEnum(['a', 'b'])]);
  t.deepEqual(diff(current, schema([users(['a'])], [roleEnum(['a'])])).operations, []);
});

test('an enum nothing uses any more is dropped after its last column', (t) => {
  const current = schema([users(['a'])], [roleEnum(['a'])]);
  const asString = table('users', [col('name'), col('role', string(20))]);
  const result = roundTrip(current, schema([asString]));
  t.deepEqual(summary(result.up), ['changeColumn users.role', 'dropEnum enum_users_role']);
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
  const dropped = roundTrip(current, schema([]));
  t.deepEqual(summary(dropped.up), ['dropTable users', 'dropEnum enum_users_role']);
  t.deepEqual([dropped.afterUp, dropped.afterDown], [[], []]);
});

test('an enum a filtered-out table still uses is kept', (t) => {
  const current = schema([users(['a'])], [roleEnum(['a'])]);
  const include = (object: IncludeObject) => object.kind !== 'table' || object.name !== 'users';
  t.deepEqual(diff(current, schema([]), POSTGRES, { include }).operations, []);
  const noEnums = (object: IncludeObject) => object.kind !== 'enum';
  t.deepEqual(summary(diff(current, schema([]), POSTGRES, { include: noEnums }).operations), ['dropTable users']);
});

test('without enum types (MySQL) values live in the column type: a change is changeColumn', (t) => {
  const current = schema([users(['a'])], [], 'mysql');
  const desired = schema([users(['a', 'b'])], [], 'mysql');
  const mysqlRole = (values: string[]) => ({ name: 'ENUM', values, enumName: null }) as const;
  const inline = (values: string[]) => schema([table('users', [col('name'), col('role', mysqlRole(values))])], [], 'mysql');
  t.deepEqual(summary(diff(inline(['a']), inline(['a', 'b']), MYSQL).operations), ['changeColumn users.role']);
  t.deepEqual(summary(diff(current, desired, MYSQL).operations), ['changeColumn users.role']);
  t.deepEqual(diff(schema([], [roleEnum(['a'])]), schema([]), MYSQL).operations, []);
});
