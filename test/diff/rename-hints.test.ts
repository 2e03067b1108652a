import test from 'ava';
import { col, diff, schema, summary, table, INT, SQLITE, TEXT, string } from './fixtures';

const users = table('users', [col('email'), col('age', INT)]);

test('a removed and an added column of the same type: a note on the addColumn, never a rename', (t) => {
  const desired = table('users', [col('mail'), col('age', INT)]);
  const { operations, notes } = diff(schema([users]), schema([desired]));
  t.deepEqual(summary(operations), ['addColumn users.mail', 'removeColumn users.email']);
  t.is(notes.length, 1);
  t.is(notes[0]!.operation, 0);
  t.true(notes[0]!.text.includes("queryInterface.renameColumn('users', 'email', 'mail')"));
});

test('different types are no rename candidates', (t) => {
  const desired = table('users', [col('mail', TEXT), col('age', INT)]);
  t.deepEqual(diff(schema([users]), schema([desired])).notes, []);
});

test('candidates are per table', (t) => {
  const other = table('other', [col('x')]);
  const desired = [table('users', [col('age', INT)]), table('other', [col('x'), col('mail')])];
  t.deepEqual(diff(schema([users, other]), schema(desired)).notes, []);
});

test('every candidate is named in one note', (t) => {
  const current = table('users', [col('first'), col('second')]);
  const desired = table('users', [col('third')]);
  const { operations, notes } = diff(schema([current]), schema([desired]));
  t.is(notes.length, 1);
  t.is(operations[notes[0]!.operation]!.kind, 'addColumn');
  t.true(notes[0]!.text.includes("'first', 'third'"));
  t.true(notes[0]!.text.includes("'second', 'third'"));
});

test('a dropped table and a created one with the same columns: a note on the createTable', (t) => {
  const people = { ...users, name: 'people' };
  const { operations, notes } = diff(schema([users]), schema([people]));
  t.deepEqual(summary(operations), ['createTable people', 'dropTable users']);
  t.deepEqual(notes.map((n) => n.operation), [0]);
  t.true(notes[0]!.text.includes("queryInterface.renameTable('users', 'people')"));
  const different = table('people', [col('email'), col('age', string())]);
  t.deepEqual(diff(schema([users]), schema([different])).notes, []);
});

test('SQLite: a rename candidate inside a rebuild gets its note on the rebuild', (t) => {
  const desired = table('users', [col('mail', string(), { allowNull: false }), col('age', INT)]);
  const current = { ...users, columns: users.columns.map((c) => (c.name === 'email' ? { ...c, allowNull: false } : c)) };
  const { operations, notes } = diff(schema([current]), schema([desired]), SQLITE);
  t.deepEqual(summary(operations), ['rebuildTable users']);
  t.is(notes.length, 1);
  t.is(notes[0]!.operation, 0);
  t.true(notes[0]!.text.includes("queryInterface.renameColumn('users', 'email', 'mail')"));
});
