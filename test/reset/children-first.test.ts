import test from 'ava';
import { childrenFirst } from '../../lib/dialects/reset-driver';

const refs = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

/** Every table comes before each table it references (within the list). */
function respects(order: readonly string[], references: ReadonlyMap<string, readonly string[]>): boolean {
  return order.every((child, i) => (references.get(child) ?? []).every((parent) => parent === child || !order.includes(parent) || order.indexOf(parent) > i));
}

test('a chain is ordered from the last child to the root', (t) => {
  const references = refs({ comments: ['posts'], posts: ['users'] });
  t.deepEqual(childrenFirst(['users', 'posts', 'comments'], references), ['comments', 'posts', 'users']);
});

test('a diamond, a self-reference and parents outside the list', (t) => {
  const references = refs({ b: ['a'], c: ['a'], d: ['b', 'c', 'outside'], e: ['e', 'a'] });
  const order = childrenFirst(['a', 'b', 'c', 'd', 'e'], references);
  t.truthy(order);
  t.deepEqual([...(order ?? [])].sort(), ['a', 'b', 'c', 'd', 'e']);
  t.true(respects(order ?? [], references));
});

test('two foreign keys to the same parent count once', (t) => {
  const references = refs({ messages: ['users', 'users'] });
  t.deepEqual(childrenFirst(['users', 'messages'], references), ['messages', 'users']);
});

test('a cycle has no such order', (t) => {
  t.is(childrenFirst(['a', 'b', 'c'], refs({ a: ['b'], b: ['a'] })), null);
  t.deepEqual(childrenFirst(['a', 'c'], refs({ a: ['b'], b: ['a'] })), ['a', 'c'], 'the cycle closes outside the list');
});
