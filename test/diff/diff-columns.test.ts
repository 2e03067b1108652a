import test from 'ava';
import type { IncludeObject } from '../../types/options';
import type { DefaultValue } from '../../types/schema';
import { col, diff, roundTrip, schema, string, summary, table, INT, MYSQL, POSTGRES, SQLITE, TEXT } from './fixtures';

const base = table('users', [col('email'), col('bio', TEXT), col('age', INT)]);

test('added and removed columns', (t) => {
  const desired = table('users', [col('email'), col('nickname', string(40)), col('age', INT)]);
  const { operations } = diff(schema([base]), schema([desired]));
  t.deepEqual(operations, [
    { kind: 'addColumn', table: { name: 'users', schema: null }, column: col('nickname', string(40)) },
    { kind: 'removeColumn', table: { name: 'users', schema: null }, column: col('bio', TEXT) },
  ]);
});

test('a changed column carries both states: type, null, default, autoIncrement', (t) => {
  const cases = [
    col('email', string(100)),
    col('email', string(), { allowNull: false }),
    col('email', string(), { defaultValue: { kind: 'value', value: 'x' } }),
    col('email', string(), { defaultValue: { kind: 'now' } }),
    col('email', INT, { autoIncrement: true }),
  ];
  for (const changed of cases) {
    const desired = table('users', [changed, col('bio', TEXT), col('age', INT)]);
    const { operations } = diff(schema([base]), schema([desired]));
    t.deepEqual(operations, [{ kind: 'changeColumn', table: { name: 'users', schema: null }, from: col('email'), to: changed }]);
  }
});

test('absent, undefined and null optional type fields compare equal', (t) => {
  const current = table('t', [col('a', { name: 'STRING', length: 20, unsigned: false, variant: null }), col('b', { name: 'DECIMAL', precision: 10, scale: null })]);
  const desired = table('t', [col('a', { name: 'STRING', length: 20 }), col('b', { name: 'DECIMAL', precision: 10 })]);
  t.deepEqual(diff(schema([current]), schema([desired])).operations, []);
  const unsigned = table('t', [col('a', { name: 'STRING', length: 20, unsigned: true }), col('b', { name: 'DECIMAL', precision: 10 })]);
  t.deepEqual(summary(diff(schema([current]), schema([unsigned])).operations), ['changeColumn t.a']);
});

test('defaults: value, now and sql are three kinds; values compare strictly', (t) => {
  const withDefault = (defaultValue: DefaultValue) => table('t', [col('a', string(), { defaultValue })]);
  const value1 = withDefault({ kind: 'value', value: 1 });
  const valueString1 = withDefault({ kind: 'value', value: '1' });
  const now = withDefault({ kind: 'now' });
  const sql = withDefault({ kind: 'sql', sql: 'now()' });
  t.is(diff(schema([value1]), schema([valueString1])).operations.length, 1);
  t.is(diff(schema([now]), schema([sql])).operations.length, 1);
  t.deepEqual(diff(schema([now]), schema([now])).operations, []);
  t.deepEqual(diff(schema([sql]), schema([sql])).operations, []);
});

test('comments are compared only where the dialect stores them', (t) => {
  const commented = table('users', [col('email', string(), { comment: 'login' }), col('bio', TEXT), col('age', INT)]);
  t.deepEqual(summary(diff(schema([base]), schema([commented]), POSTGRES).operations), ['changeColumn users.email']);
  t.deepEqual(summary(diff(schema([base]), schema([commented]), MYSQL).operations), ['changeColumn users.email']);
  t.deepEqual(diff(schema([base]), schema([commented]), SQLITE).operations, []);
});

test('where comments are not compared, a change keeps the current comment', (t) => {
  const current = table('t', [col('a', string(), { comment: 'kept' })]);
  const desired = table('t', [col('a', INT, { comment: 'ignored' })]);
  const { operations } = diff(schema([current]), schema([desired]), { ...POSTGRES, columnComments: false });
  t.deepEqual(operations, [
    { kind: 'changeColumn', table: { name: 't', schema: null }, from: col('a', string(), { comment: 'kept' }), to: col('a', INT, { comment: 'kept' }) },
  ]);
});

test('include false on a column: neither added, removed nor changed', (t) => {
  const desired = table('users', [col('email', INT), col('fresh'), col('age', INT)]);
  const include = (object: IncludeObject) => object.kind !== 'column' || !['email', 'fresh', 'bio'].includes(object.name);
  t.deepEqual(diff(schema([base]), schema([desired]), POSTGRES, { include }).operations, []);
  const onlyTable = (object: IncludeObject) => object.kind !== 'column' || object.table !== 'users';
  t.deepEqual(diff(schema([base]), schema([desired]), POSTGRES, { include: onlyTable }).operations, []);
});

test('column order alone is no change', (t) => {
  const reordered = { ...base, columns: [...base.columns].reverse() };
  t.deepEqual(diff(schema([base]), schema([reordered])).operations, []);
});

test('a primary key change is one alterPrimaryKey (ALTER dialects)', (t) => {
  const current = table('t', [col('code', string(), { allowNull: false })]);
  const desired = { ...current, primaryKey: ['code'] };
  const { operations } = diff(schema([current]), schema([desired]), MYSQL);
  t.deepEqual(operations, [{ kind: 'alterPrimaryKey', table: { name: 't', schema: null }, from: ['id'], to: ['code'] }]);
});

test('a primary key change comes after the columns it needs are added, before removals', (t) => {
  const current = table('t', [col('old')]);
  const desired = table('t', [col('a', INT, { allowNull: false }), col('b', INT, { allowNull: false })], { primaryKey: ['a', 'b'] });
  const noId = { ...desired, columns: desired.columns.filter((c) => c.name !== 'id') };
  const result = roundTrip(schema([current]), schema([noId]), POSTGRES);
  t.deepEqual(summary(result.up), [
    'addColumn t.a',
    'addColumn t.b',
    'alterPrimaryKey t:id->a,b',
    'removeColumn t.id',
    'removeColumn t.old',
  ]);
  t.deepEqual(result.afterUp, []);
  t.deepEqual(result.afterDown, []);
});
