import test from 'ava';
import type { Operation } from '../../types/operations';
import type { Table } from '../../types/schema';
import { lowerForDialect } from '../../lib/diff/lower-for-dialect';
import { col, diff, fk, idx, roundTrip, schema, summary, table, uq, INT, MYSQL, SQLITE, TEXT, string } from './fixtures';

const T = { name: 'posts', schema: null };
const users = table('users', [col('email')]);
const posts = table('posts', [col('title'), col('body', TEXT), col('user_id', INT)], {
  indexes: [idx('posts_title', ['title'])],
  foreignKeys: [fk(['user_id'], 'users', { name: 'posts_user_fk' })],
});

function only<K extends Operation['kind']>(ops: readonly Operation[], kind: K): Extract<Operation, { kind: K }> {
  const found = ops.filter((op) => op.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, got ${found.length}`);
  return found[0] as Extract<Operation, { kind: K }>;
}

test('SQLite: changeColumn becomes a rebuild holding the whole table before and after', (t) => {
  const desired = { ...posts, columns: posts.columns.map((c) => (c.name === 'title' ? col('title', string(80)) : c)) };
  const result = roundTrip(schema([users, posts]), schema([users, desired]), SQLITE);
  const title = posts.columns.find((c) => c.name === 'title')!;
  const alter = [{ kind: 'changeColumn', table: { name: 'posts', schema: null }, from: title, to: col('title', string(80)) }];
  t.deepEqual(result.up, [{ kind: 'rebuildTable', from: posts, to: desired, alter }], 'with the same change as ALTERs');
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
  t.deepEqual(summary(diff(schema([users, posts]), schema([users, desired]), MYSQL).operations), ['changeColumn posts.title']);
});

test('SQLite: what ALTER TABLE can do stays plain', (t) => {
  const desired = {
    ...posts,
    columns: [...posts.columns.filter((c) => c.name !== 'body'), col('views', INT, { allowNull: false, defaultValue: { kind: 'value', value: 0 } }), col('note')],
    indexes: [...posts.indexes, idx('posts_note', ['note'])],
  };
  const result = roundTrip(schema([users, posts]), schema([users, desired]), SQLITE);
  t.deepEqual(summary(result.up), ['addColumn posts.views', 'addColumn posts.note', 'removeColumn posts.body', 'addIndex posts.posts_note']);
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
});

test('SQLite: columns ADD COLUMN refuses need a rebuild', (t) => {
  const cases = [
    col('code', string(), { allowNull: false }),
    col('seen_at', { name: 'DATE', precision: null }, { defaultValue: { kind: 'now' } }),
    col('slug', string(), { defaultValue: { kind: 'sql', sql: "lower('x')" } }),
  ];
  for (const added of cases) {
    const desired = { ...posts, columns: [...posts.columns, added] };
    const { operations } = diff(schema([users, posts]), schema([users, desired]), SQLITE);
    const alter = [{ kind: 'addColumn', table: { name: 'posts', schema: null }, column: added }];
    t.deepEqual(operations, [{ kind: 'rebuildTable', from: posts, to: desired, alter }], added.name);
  }
});

test('SQLite: removing a column a key or index uses needs a rebuild', (t) => {
  for (const name of ['title', 'user_id', 'id']) {
    const desired = { ...posts, columns: posts.columns.filter((c) => c.name !== name), indexes: [], foreignKeys: [], primaryKey: name === 'id' ? [] : ['id'] };
    const result = roundTrip(schema([users, posts]), schema([users, desired]), SQLITE);
    t.true(result.up.some((op) => op.kind === 'rebuildTable'), name);
    t.false(result.up.some((op) => op.kind === 'removeColumn'), name);
    t.deepEqual([result.afterUp, result.afterDown], [[], []], name);
  }
});

test('SQLite: every change of a rebuilt table merges into one rebuild; added indexes follow it', (t) => {
  const desired: Table = {
    ...posts,
    columns: [...posts.columns.map((c) => (c.name === 'title' ? col('title', string(80)) : c)), col('slug', string(), { allowNull: false })],
    indexes: [idx('posts_slug', ['slug'])],
    foreignKeys: [fk(['user_id'], 'users', { onDelete: 'CASCADE' })],
  };
  const result = roundTrip(schema([users, posts]), schema([users, desired]), SQLITE);
  t.deepEqual(summary(result.up), ['removeIndex posts.posts_title', 'rebuildTable posts', 'addIndex posts.posts_slug']);
  const rebuild = only(result.up, 'rebuildTable');
  t.deepEqual(rebuild.from, { ...posts, indexes: [] });
  t.deepEqual(rebuild.to.indexes, []);
  t.deepEqual(rebuild.to.foreignKeys, [fk(['user_id'], 'users', { onDelete: 'CASCADE', name: 'posts_user_id_users_fk' })]);
  t.deepEqual(rebuild.to.columns.map((c) => c.name).sort(), ['body', 'id', 'slug', 'title', 'user_id']);
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
});

test('SQLite: adding or removing a foreign key, a primary key change, dropping a UNIQUE constraint: rebuilds', (t) => {
  const variants: Table[] = [
    { ...posts, foreignKeys: [] },
    { ...posts, foreignKeys: [...posts.foreignKeys, fk(['user_id'], 'posts')] },
    { ...posts, primaryKey: ['id', 'title'], columns: posts.columns.map((c) => (c.name === 'title' ? { ...c, allowNull: false } : c)) },
  ];
  for (const desired of variants) {
    const result = roundTrip(schema([users, posts]), schema([users, desired]), SQLITE);
    t.deepEqual(kinds(result.up), ['rebuildTable']);
    t.deepEqual([result.afterUp, result.afterDown], [[], []]);
  }
  const unique = { ...posts, indexes: [...posts.indexes, uq('sqlite_autoindex_posts_1', ['title'])] };
  const result = roundTrip(schema([users, unique]), schema([users, posts]), SQLITE);
  t.deepEqual(kinds(result.up), ['rebuildTable']);
  t.deepEqual(only(result.up, 'rebuildTable').to.indexes, posts.indexes);
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
});

function kinds(ops: readonly Operation[]): string[] {
  return ops.map((op) => op.kind);
}

test('SQLite: a foreign key cycle between new tables stays inside the createTables', (t) => {
  const a = table('a', [col('b_id', INT)], { foreignKeys: [fk(['b_id'], 'b')] });
  const b = table('b', [col('a_id', INT)], { foreignKeys: [fk(['a_id'], 'a')] });
  const result = roundTrip(schema([]), schema([a, b]), SQLITE);
  t.deepEqual(kinds(result.up), ['createTable', 'createTable']);
  t.deepEqual(result.up.flatMap((op) => (op.kind === 'createTable' ? op.table.foreignKeys.map((k) => k.referencedTable) : [])).sort(), ['a', 'b']);
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
  const back = roundTrip(schema([a, b].map((x) => ({ ...x, foreignKeys: x.foreignKeys.map((k) => ({ ...k, name: `${x.name}_fk` })) }))), schema([]), SQLITE);
  t.deepEqual(kinds(back.up), ['dropTable', 'dropTable']);
  t.deepEqual([back.afterUp, back.afterDown], [[], []]);
});

test('lowerForDialect leaves operations alone where ALTER TABLE works', (t) => {
  const ops: Operation[] = [
    { kind: 'changeColumn', table: T, from: col('title'), to: col('title', TEXT) },
    { kind: 'addForeignKey', table: T, foreignKey: fk(['user_id'], 'users', { name: 'x' }) },
  ];
  t.deepEqual(lowerForDialect(ops, MYSQL, [users, posts]), ops);
});

test('lowerForDialect folds operations given to it directly, using the current tables', (t) => {
  const ops: Operation[] = [
    { kind: 'addColumn', table: T, column: col('note') },
    { kind: 'changeColumn', table: T, from: col('title'), to: col('title', TEXT) },
    { kind: 'addIndex', table: T, index: idx('posts_note', ['note']) },
    { kind: 'addColumn', table: { name: 'users', schema: null }, column: col('age', INT) },
  ];
  const lowered = lowerForDialect(ops, SQLITE, [users, posts]);
  t.deepEqual(summary(lowered), ['rebuildTable posts', 'addIndex posts.posts_note', 'addColumn users.age']);
  const rebuild = only(lowered, 'rebuildTable');
  t.deepEqual(rebuild.from, posts);
  t.deepEqual(rebuild.to.columns.map((c) => [c.name, c.type.name]), [
    ['id', 'INTEGER'],
    ['title', 'TEXT'],
    ['body', 'TEXT'],
    ['user_id', 'INTEGER'],
    ['note', 'STRING'],
  ]);
});
