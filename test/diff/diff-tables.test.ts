import test from 'ava';
import type { IncludeObject } from '../../types/options';
import type { Schema } from '../../types/schema';
import { col, diff, fk, idx, roundTrip, schema, summary, table, uq, INT, MYSQL, POSTGRES } from './fixtures';

const users = table('users', [col('email'), col('name')], { indexes: [uq('users_email_key', ['email'])] });
const posts = table('posts', [col('title'), col('user_id', INT)], { foreignKeys: [fk(['user_id'], 'users', { name: 'posts_user_id_fkey' })] });

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

test('equal schemas give no operations and no notes', (t) => {
  const s = schema([users, posts]);
  t.deepEqual(diff(s, s), { operations: [], notes: [] });
});

test('a table only the models have is created with its columns, indexes and keys', (t) => {
  const desired = table('tags', [col('label')], { indexes: [uq(null, ['label'])] });
  const { operations } = diff(schema([]), schema([desired]));
  t.deepEqual(operations, [{ kind: 'createTable', table: desired }]);
});

test('a table only the database has is dropped, carrying the whole table for the way back', (t) => {
  const { operations } = diff(schema([users]), schema([]));
  t.deepEqual(operations, [{ kind: 'dropTable', table: users }]);
});

test('new tables come after the tables they reference, whatever the models\' order', (t) => {
  const comments = table('comments', [col('post_id', INT)], { foreignKeys: [fk(['post_id'], 'posts')] });
  const { operations } = diff(schema([]), schema([comments, posts, users]));
  t.deepEqual(summary(operations), ['createTable users', 'createTable posts', 'createTable comments']);
  const created = operations.find((op) => op.kind === 'createTable' && op.table.name === 'comments');
  t.deepEqual(created?.kind === 'createTable' ? created.table.foreignKeys : null, [fk(['post_id'], 'posts')]);
});

test('a new table referencing an existing one carries its foreign key', (t) => {
  const { operations } = diff(schema([users]), schema([users, posts]));
  t.deepEqual(operations, [{ kind: 'createTable', table: posts }]);
});

test('a foreign key cycle between new tables: created without the cyclic key, added once both exist', (t) => {
  const a = table('a', [col('b_id', INT)], { foreignKeys: [fk(['b_id'], 'b')] });
  const b = table('b', [col('a_id', INT)], { foreignKeys: [fk(['a_id'], 'a')] });
  const result = roundTrip(schema([]), schema([a, b]));
  t.deepEqual(summary(result.up), ['createTable a', 'createTable b', 'addForeignKey a.b_id->b']);
  const first = result.up[0];
  t.deepEqual(first?.kind === 'createTable' ? first.table.foreignKeys : null, []);
  const added = result.up[2];
  t.is(added?.kind === 'addForeignKey' ? added.foreignKey.name : null, 'a_b_id_b_fk');
  t.deepEqual(result.afterUp, []);
  t.deepEqual(result.afterDown, []);
});

test('a self-referencing table keeps its key in createTable', (t) => {
  const nodes = table('nodes', [col('parent_id', INT)], { foreignKeys: [fk(['parent_id'], 'nodes')] });
  const { operations } = diff(schema([]), schema([nodes]));
  t.deepEqual(operations, [{ kind: 'createTable', table: nodes }]);
});

test('dropped tables go referencing-first; a cycle loses its keys first', (t) => {
  const a = table('a', [col('b_id', INT)], { foreignKeys: [fk(['b_id'], 'b', { name: 'a_b_fk' })] });
  const b = table('b', [col('a_id', INT)], { foreignKeys: [fk(['a_id'], 'a', { name: 'b_a_fk' })] });
  const result = roundTrip(schema([a, b, users, posts]), schema([]));
  t.deepEqual(summary(result.up), [
    'removeForeignKey b.a_id->a',
    'dropTable posts',
    'dropTable users',
    'dropTable a',
    'dropTable b',
  ]);
  t.deepEqual(result.afterUp, []);
  t.deepEqual(result.afterDown, []);
});

test('include false on a table: never created, dropped or altered', (t) => {
  const seen: IncludeObject[] = [];
  const include = (object: IncludeObject) => {
    seen.push(object);
    return !(object.kind === 'table' && ['users', 'legacy', 'audit'].includes(object.name));
  };
  const current = schema([users, table('legacy', [])]);
  const desired = schema([table('users', [col('other')]), table('audit', [])]);
  t.deepEqual(diff(current, desired, POSTGRES, { include }).operations, []);
  t.true(seen.some((object) => object.kind === 'table' && object.name === 'legacy'));
});

test('a new table leaves out the columns, indexes and keys the filter rejects', (t) => {
  const desired = table('posts', [col('title'), col('secret'), col('user_id', INT)], {
    indexes: [idx('posts_title', ['title']), idx('posts_secret', ['secret'])],
    foreignKeys: [fk(['user_id'], 'users')],
  });
  const include = (object: IncludeObject) =>
    !(object.name === 'secret' || object.name === 'posts_secret' || object.kind === 'foreignKey');
  const { operations } = diff(schema([users]), schema([users, desired]), MYSQL, { include });
  t.deepEqual(operations, [
    {
      kind: 'createTable',
      table: { ...desired, columns: desired.columns.filter((c) => c.name !== 'secret'), indexes: [idx('posts_title', ['title'])], foreignKeys: [] },
    },
  ]);
});

test('the inputs are never modified', (t) => {
  const current: Schema = deepFreeze(schema([users, table('old', [])]));
  const desired: Schema = deepFreeze(schema([table('users', [col('email', INT)], { indexes: [idx('x', ['email'])] }), posts]));
  t.notThrows(() => diff(current, desired));
  t.notThrows(() => diff(current, desired, { ...POSTGRES, alterTable: false }));
});

test('normalize is applied to both sides before comparing', (t) => {
  const shout = table('users', [col('EMAIL')]);
  const lower = table('users', [col('email')]);
  const normalize = (tb: typeof lower) => ({ ...tb, columns: tb.columns.map((c) => ({ ...c, name: c.name.toLowerCase() })) });
  t.deepEqual(diff(schema([shout]), schema([lower]), POSTGRES, { normalize }).operations, []);
  t.is(diff(schema([shout]), schema([lower])).operations.length, 2);
});
