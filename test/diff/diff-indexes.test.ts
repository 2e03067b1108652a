import test from 'ava';
import type { IncludeObject } from '../../types/options';
import type { Index, Table } from '../../types/schema';
import { col, diff, fk, idx, roundTrip, schema, summary, table, uq, INT, MYSQL, POSTGRES } from './fixtures';

const T = { name: 'users', schema: null };
const users = (indexes: readonly Index[], extra: Partial<Table> = {}) =>
  table('users', [col('email'), col('name'), col('org_id', INT)], { indexes, ...extra });

test('an unnamed unique attribute matches the constraint the database named', (t) => {
  const current = users([uq('users_email_key', ['email'])]);
  t.deepEqual(diff(schema([current]), schema([users([uq(null, ['email'])])])).operations, []);
});

test('a unique constraint and a unique index on the same columns are the same thing', (t) => {
  const current = users([idx('email', ['email'], { unique: true })]);
  t.deepEqual(diff(schema([current]), schema([users([uq(null, ['email'])])]), MYSQL).operations, []);
});

test('a new unnamed unique constraint gets the name the migration creates it with', (t) => {
  const { operations } = diff(schema([users([])]), schema([users([uq(null, ['email', 'org_id'])])]));
  t.deepEqual(operations, [{ kind: 'addIndex', table: T, index: uq('users_email_org_id_uk', ['email', 'org_id']) }]);
});

test('a named index matches by name; a different definition is a removal and an addition', (t) => {
  const current = users([idx('users_name', ['name'])]);
  t.deepEqual(diff(schema([current]), schema([users([idx('users_name', ['name'])])])).operations, []);
  const changed = idx('users_name', ['name', 'email']);
  const result = roundTrip(schema([current]), schema([users([changed])]));
  t.deepEqual(result.up, [
    { kind: 'removeIndex', table: T, index: idx('users_name', ['name']) },
    { kind: 'addIndex', table: T, index: changed },
  ]);
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
});

test('uniqueness, where, method and operator classes are part of the definition', (t) => {
  const current = users([idx('i', ['name'])]);
  for (const changed of [
    idx('i', ['name'], { unique: true }),
    idx('i', ['name'], { where: 'name IS NOT NULL' }),
    idx('i', ['name'], { using: 'hash' }),
    idx('i', ['name'], { operators: ['text_pattern_ops'] }),
  ]) {
    t.deepEqual(summary(diff(schema([current]), schema([users([changed])])).operations), ['removeIndex users.i', 'addIndex users.i']);
  }
});

test('a named index under another name in the database is a rename: removal and addition', (t) => {
  const current = users([idx('old_name', ['name'])]);
  t.deepEqual(summary(diff(schema([current]), schema([users([idx('new_name', ['name'])])])).operations), [
    'removeIndex users.old_name',
    'addIndex users.new_name',
  ]);
});

test('a named UNIQUE constraint the database named itself matches by its columns', (t) => {
  // PostgreSQL and SQLite ignore the name of `unique: 'name'` in CREATE TABLE.
  const current = users([uq('users_email_key', ['email'])]);
  t.deepEqual(diff(schema([current]), schema([users([uq('users_email_unique', ['email'])])])).operations, []);
});

test('database indexes the models lack are dropped', (t) => {
  const result = roundTrip(schema([users([idx('users_name', ['name']), uq('users_email_key', ['email'])])]), schema([users([])]));
  t.deepEqual(summary(result.up), ['removeIndex users.users_name', 'removeIndex users.users_email_key']);
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
});

test('expression indexes: left alone when the models lack them, compared by name only', (t) => {
  const lower = idx('users_lower_email', [], { unique: true, expression: 'lower((email)::text)' });
  t.deepEqual(diff(schema([users([lower])]), schema([users([])])).operations, []);
  const modelSpelling = idx('users_lower_email', [], { unique: true, expression: 'lower("email")' });
  t.deepEqual(diff(schema([users([lower])]), schema([users([modelSpelling])])).operations, []);
  t.deepEqual(diff(schema([users([])]), schema([users([modelSpelling])])).operations, [
    { kind: 'addIndex', table: T, index: modelSpelling },
  ]);
});

test('the index MySQL creates for a foreign key (named after it) is not dropped', (t) => {
  const current = users([idx('users_org_fk', ['org_id'])], { foreignKeys: [fk(['org_id'], 'orgs', { name: 'users_org_fk' })] });
  const desired = users([], { foreignKeys: [fk(['org_id'], 'orgs')] });
  t.deepEqual(diff(schema([current, table('orgs', [])]), schema([desired, table('orgs', [])]), MYSQL).operations, []);
});

test('two unnamed constraints on the same columns: one matches, the other is added', (t) => {
  const current = users([uq('users_email_key', ['email'])]);
  const desired = users([uq(null, ['email']), uq(null, ['email', 'name'])]);
  t.deepEqual(summary(diff(schema([current]), schema([desired])).operations), ['addIndex users.users_email_name_uk']);
});

test('include false on an index: neither added nor dropped nor changed', (t) => {
  const include = (object: IncludeObject) => object.kind !== 'index' || !['keep_me', 'skip_new', 'email'].includes(object.name);
  const current = users([idx('keep_me', ['name'])]);
  const desired = users([idx('skip_new', ['name']), uq(null, ['email'])]);
  t.deepEqual(diff(schema([current]), schema([desired]), POSTGRES, { include }).operations, []);
});

test('a unique key repeating the primary key, in its order, is neither added nor dropped', (t) => {
  const pair = (indexes: readonly Index[], primaryKey: readonly string[] = ['email', 'org_id']) =>
    users(indexes, { primaryKey, columns: [col('email', undefined, { allowNull: false }), col('name'), col('org_id', INT, { allowNull: false })] });
  const redundant = uq('users_email_org_id_unique', ['email', 'org_id']);
  t.deepEqual(diff(schema([pair([])]), schema([pair([redundant])])).operations, [], 'the models have it, the database not');
  t.deepEqual(diff(schema([pair([idx('users_pair', ['email', 'org_id'], { unique: true })])]), schema([pair([])]), MYSQL).operations, [], 'the database has it, the models not');
  // In another order it is an index of its own (it serves lookups by org_id): compared as usual.
  t.deepEqual(summary(diff(schema([pair([])]), schema([pair([uq('users_org_email', ['org_id', 'email'])])])).operations), ['addIndex users.users_org_email']);
  // The key the table will have decides: a unique pair the models' wider key no longer repeats is dropped.
  const widened = diff(schema([pair([uq('users_pair', ['email', 'org_id'])])]), schema([pair([], ['email', 'org_id', 'name'])]));
  t.deepEqual(summary(widened.operations), ['removeIndex users.users_pair', 'alterPrimaryKey users:email,org_id->email,org_id,name']);
});

test('operator classes that are all defaults are the same as none', (t) => {
  const current = users([idx('i', ['name'])]);
  t.deepEqual(diff(schema([current]), schema([users([idx('i', ['name'], { operators: [null] })])])).operations, []);
});
