import test from 'ava';
import { canonicalNumber, parsePostgresDefault } from '../../lib/dialects/postgres/postgres-defaults';
import { normalizePostgresTable } from '../../lib/dialects/postgres/postgres-normalize';
import { canonicalPredicate } from '../../lib/dialects/postgres/postgres-predicate';
import { canonicalPostgresType, parsePostgresType } from '../../lib/dialects/postgres/postgres-types';
import type { ColumnType, DefaultValue, Table } from '../../types/schema';
import { NOW, T, column, foreignKey, index, table, value } from './postgres-expect';

test('type spellings and aliases map to one ColumnType', (t) => {
  const cases: [string, ColumnType, boolean?][] = [
    ['integer', T.integer],
    ['int4', T.integer],
    ['INT', T.integer],
    ['int(11)', T.integer],
    ['pg_catalog.int4', T.integer],
    ['serial', T.integer, true],
    ['serial4', T.integer, true],
    ['bigserial', T.bigint, true],
    ['smallserial', T.smallint, true],
    ['int8', T.bigint],
    ['int2', T.smallint],
    ['character varying(40)', T.string(40)],
    ['VARCHAR( 40 )', T.string(40)],
    ['character varying', T.string(null)],
    ['character(3)', T.char(3)],
    ['bpchar(3)', T.char(3)],
    ['char', T.char(1)],
    ['bpchar', T.char(null)],
    ['numeric(10,2)', T.decimal(10, 2)],
    ['DECIMAL(10, 2)', T.decimal(10, 2)],
    ['numeric(5)', T.decimal(5, 0)],
    ['numeric', T.decimal(null, null)],
    ['float', T.double],
    ['float(24)', T.real],
    ['float(25)', T.double],
    ['float4', T.real],
    ['double precision', T.double],
    ['float8', T.double],
    ['bool', T.boolean],
    ['timestamptz', { name: 'DATE', precision: null }],
    ['TIMESTAMP(3) WITH TIME ZONE', { name: 'DATE', precision: 3 }],
    ['timestamp', T.raw('timestamp without time zone')],
    ['timestamp(0) without time zone', T.raw('timestamp(0) without time zone')],
    ['time', T.time],
    ['time(3) without time zone', T.time],
    ['timetz', T.raw('time with time zone')],
    ['date', T.dateonly],
    ['text', T.text],
    ['bytea', T.blob],
    ['jsonb', T.jsonb],
    ['text[]', T.array(T.text)],
    ['character varying(255)[]', T.array(T.string(255))],
    ['integer[][]', T.array(T.integer)],
    ['TSVECTOR', T.raw('tsvector')],
    ['"MyType"', T.raw('"MyType"')],
    ['bit varying(3)', T.raw('bit varying(3)')],
  ];
  for (const [spelling, type, serial = false] of cases) {
    t.deepEqual(parsePostgresType(spelling), { type, serial }, spelling);
  }
});

test('canonical types: what Sequelize actually creates on PostgreSQL', (t) => {
  const cases: [ColumnType, ColumnType][] = [
    [{ name: 'TINYINT' }, T.smallint],
    [{ name: 'MEDIUMINT' }, T.integer],
    [{ name: 'INTEGER', unsigned: true }, T.integer],
    [{ name: 'FLOAT', precision: null, scale: null }, T.double],
    [{ name: 'FLOAT', precision: 10, scale: null }, T.real],
    [{ name: 'FLOAT', precision: 10, scale: 2 }, T.double],
    [{ name: 'REAL', precision: 8, scale: 2 }, T.real],
    [{ name: 'DOUBLE', precision: 8, scale: 2 }, T.double],
    [{ name: 'DECIMAL', precision: 10, scale: null }, T.decimal(10, 0)],
    [{ name: 'DECIMAL', precision: null, scale: null }, T.decimal(null, null)],
    [{ name: 'TEXT', variant: 'long' }, T.text],
    [{ name: 'BLOB', variant: 'tiny' }, T.blob],
    [{ name: 'DATE', precision: 3 }, T.date],
    [{ name: 'STRING', length: 20 }, T.string(20)],
    [T.raw('int4'), T.integer],
    [T.raw('VARCHAR(20)'), T.string(20)],
    [T.raw('TIMESTAMP WITH TIME ZONE'), T.date],
    [T.raw('HSTORE'), T.raw('hstore')],
    [T.array(T.raw('int8')), T.array(T.bigint)],
  ];
  for (const [input, expected] of cases) {
    t.deepEqual(canonicalPostgresType(input), expected, JSON.stringify(input));
    t.deepEqual(canonicalPostgresType(expected), expected, `idempotent: ${JSON.stringify(expected)}`);
  }
});

test('catalog default expressions', (t) => {
  const cases: [string, ReturnType<typeof parsePostgresDefault>][] = [
    ["'abc'::character varying", { kind: 'literal', text: 'abc' }],
    ["'it''s'::text", { kind: 'literal', text: "it's" }],
    ["'-1'::integer", { kind: 'literal', text: '-1' }],
    ['42', { kind: 'literal', text: '42' }],
    ['1.50', { kind: 'literal', text: '1.50' }],
    ['(-3)', { kind: 'literal', text: '-3' }],
    ['true', { kind: 'literal', text: 'true' }],
    ["'active'::enum_users_status", { kind: 'literal', text: 'active' }],
    ["'x'::\"enum_Users_status\"", { kind: 'literal', text: 'x' }],
    ["'2020-01-01 00:00:00+00'::timestamp with time zone", { kind: 'literal', text: '2020-01-01 00:00:00+00' }],
    ["('a'::text)::character varying", { kind: 'literal', text: 'a' }],
    ["'{}'::character varying[]", { kind: 'literal', text: '{}' }],
    ['NULL::character varying', { kind: 'null' }],
    ['NULL', { kind: 'null' }],
    ['now()', { kind: 'now' }],
    ['CURRENT_TIMESTAMP', { kind: 'now' }],
    ['transaction_timestamp()', { kind: 'now' }],
    ["nextval('users_id_seq'::regclass)", { kind: 'sequence' }],
    ["nextval('\"Posts_id_seq\"'::regclass)", { kind: 'sequence' }],
    ['gen_random_uuid()', { kind: 'sql', sql: 'gen_random_uuid()' }],
    ["('x'::text || 'y'::text)", { kind: 'sql', sql: "('x'::text || 'y'::text)" }],
    ["'a'::text || 'b'::text", { kind: 'sql', sql: "'a'::text || 'b'::text" }],
    ['CURRENT_DATE', { kind: 'sql', sql: 'CURRENT_DATE' }],
    ['(1 + 2)', { kind: 'sql', sql: '(1 + 2)' }],
  ];
  for (const [expression, expected] of cases) t.deepEqual(parsePostgresDefault(expression), expected, expression);
});

test('numbers are exact: JavaScript numbers when they fit, decimal text when not', (t) => {
  const cases: [string, number | string | null][] = [
    ['1.50', 1.5],
    ['-0', 0],
    ['007', 7],
    ['-2.500', -2.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['12345678901234567890.50', '12345678901234567890.5'],
    ['9007199254740993', '9007199254740993'],
    ['abc', null],
    ['', null],
    ['NaN', null],
  ];
  for (const [text, expected] of cases) t.is(canonicalNumber(text), expected, text);
  t.true(Object.is(canonicalNumber('-0.0'), 0));
});

test('partial index predicates: PostgreSQL and Sequelize spellings meet', (t) => {
  const pairs: [string, string][] = [
    ["(status = 'published'::enum_posts_status)", `"status" = 'published'`],
    ["((deleted_at IS NULL) AND ((email)::text = 'a''b'::text))", `"deleted_at" IS NULL AND "email" = 'a''b'`],
    ['((a = 1) OR (b = 2))', '("a" = 1 OR "b" = 2)'],
    ['((x > 1) AND ((y = 2) OR (z = 3)))', '"x" > 1 AND ("y" = 2 OR "z" = 3)'],
    ["((email)::text ~~ '%@x.org'::text)", `"email" LIKE '%@x.org'`],
    ['(a <> 1)', '"a" != 1'],
    ['("user" = 1)', '"user" = 1'],
  ];
  for (const [database, model] of pairs) {
    t.is(canonicalPredicate(database), canonicalPredicate(model), database);
    t.is(canonicalPredicate(canonicalPredicate(database)), canonicalPredicate(database), `idempotent: ${database}`);
  }
  // Arithmetic keeps its parentheses; literals are never touched.
  t.is(canonicalPredicate('(x * (y + 1) > 2)'), 'x * (y + 1) > 2');
  t.is(canonicalPredicate(`("a" = '("b")::text')`), `a = '("b")::text'`);
  t.is(canonicalPredicate('"user" = 1'), '"user" = 1');
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const withDefault = (type: ColumnType, defaultValue: DefaultValue | null) =>
  column('c', type, { defaultValue });

/** A model-side table in the generic form, with things normalisation must settle. */
const GENERIC: Table = {
  name: 'things',
  schema: 'public',
  columns: [
    { ...column('id', { name: 'INTEGER' }, { autoIncrement: true }), allowNull: true },
    column('serialish', T.bigint, { defaultValue: { kind: 'sql', sql: "nextval('things_serialish_seq'::regclass)" } }),
    column('count', T.integer, { defaultValue: value('42') }),
    column('label', T.string(10), { defaultValue: value(42) }),
    column('flag', T.boolean, { defaultValue: value('f') }),
    column('doc', T.jsonb, { defaultValue: value('{"b":[{"d":1,"c":2}],"a":null}') }),
    column('word', T.text, { defaultValue: { kind: 'sql', sql: "'abc'::text" } }),
    column('seen', { name: 'DATE', precision: 3 }, { defaultValue: { kind: 'sql', sql: 'now()' } }),
    column('gone', T.string(5), { defaultValue: { kind: 'sql', sql: 'NULL' }, comment: '' }),
    column('kind', { name: 'ENUM', values: ['a', 'b'], enumName: null }),
    column('kinds', T.array({ name: 'ENUM', values: ['a'], enumName: null })),
    column('at', T.date, { defaultValue: value('2020-01-01T00:00:00.000Z') }),
  ],
  primaryKey: ['id'],
  indexes: [
    { name: 'things_word', columns: ['word'], unique: false, origin: 'index', using: 'BTREE' },
    { name: null, columns: ['label'], unique: true, origin: 'constraint' },
    { name: 'things_doc', columns: ['doc'], unique: false, origin: 'index', using: 'GIN', where: '"count" > 1' },
    { name: 'a_lower', columns: [], unique: false, origin: 'index', expression: 'lower(word)' },
  ],
  foreignKeys: [
    foreignKey(null, ['kind'], 'kinds', 'CASCADE', 'NO ACTION', ['id'], 'public'),
    foreignKey(null, ['count'], 'counts', 'SET NULL', 'CASCADE', ['id'], 'other'),
  ],
  comment: '',
};

const CANONICAL: Table = table('things', {
  columns: [
    column('id', T.integer, { allowNull: false, autoIncrement: true }),
    column('serialish', T.bigint, { autoIncrement: true }),
    column('count', T.integer, { defaultValue: value(42) }),
    column('label', T.string(10), { defaultValue: value('42') }),
    column('flag', T.boolean, { defaultValue: value(false) }),
    column('doc', T.jsonb, { defaultValue: value('{"a":null,"b":[{"c":2,"d":1}]}') }),
    column('word', T.text, { defaultValue: value('abc') }),
    column('seen', T.date, { defaultValue: NOW }),
    column('gone', T.string(5)),
    column('kind', T.enum('enum_things_kind', ['a', 'b'])),
    column('kinds', T.array(T.enum('enum_things_kinds', ['a']))),
    column('at', T.date, { defaultValue: value('2020-01-01T00:00:00.000Z') }),
  ],
  indexes: [
    index('a_lower', [], { expression: 'lower(word)' }),
    index('things_doc', ['doc'], { using: 'gin', where: 'count > 1' }),
    index(null, ['label'], { unique: true, origin: 'constraint' }),
    index('things_word', ['word']),
  ],
  foreignKeys: [
    foreignKey(null, ['count'], 'counts', 'SET NULL', 'CASCADE', ['id'], 'other'),
    foreignKey(null, ['kind'], 'kinds', 'CASCADE', 'NO ACTION'),
  ],
});

test('normalisation settles types, defaults, names, order and empty comments', (t) => {
  t.deepEqual(normalizePostgresTable(GENERIC), CANONICAL);
});

test('normalisation is pure and idempotent', (t) => {
  const input = deepFreeze(structuredClone(GENERIC));
  const once = normalizePostgresTable(input);
  t.deepEqual(input, GENERIC);
  t.deepEqual(normalizePostgresTable(once), once);
  t.deepEqual(normalizePostgresTable(deepFreeze(structuredClone(CANONICAL))), CANONICAL);
});

test("a foreign key into another schema keeps it; one into the table's own schema does not", (t) => {
  const billing: Table = {
    ...CANONICAL,
    schema: 'billing',
    foreignKeys: [
      foreignKey(null, ['a'], 'accounts', 'CASCADE', 'CASCADE', ['id'], 'public'),
      foreignKey(null, ['b'], 'invoices', 'CASCADE', 'CASCADE', ['id'], 'billing'),
      foreignKey(null, ['c'], 'invoices', 'CASCADE', 'CASCADE', ['id'], null),
    ],
  };
  t.deepEqual(
    normalizePostgresTable(billing).foreignKeys.map((fk) => fk.referencedSchema),
    ['public', null, null],
  );
});

test('defaults follow the column type', (t) => {
  const cases: [ColumnType, DefaultValue | null, DefaultValue | null][] = [
    [T.decimal(10, 2), value('10.00'), value(10)],
    [T.decimal(30, 2), value('123456789012345678901234.50'), value('123456789012345678901234.5')],
    [T.double, value('NaN'), value('NaN')],
    [T.boolean, value(1), value(true)],
    [T.boolean, { kind: 'sql', sql: 'false' }, value(false)],
    [T.json, value('abc'), value('"abc"')],
    [T.json, value(5), value('5')],
    [T.string(3), value(true), value('true')],
    [T.uuid, { kind: 'sql', sql: 'gen_random_uuid()' }, { kind: 'sql', sql: 'gen_random_uuid()' }],
    [T.date, { kind: 'sql', sql: 'CURRENT_TIMESTAMP' }, NOW],
    [T.date, value('2021-06-01 12:00:00+02'), value('2021-06-01T10:00:00.000Z')],
    [T.text, null, null],
  ];
  for (const [type, input, expected] of cases) {
    const [normalised] = normalizePostgresTable(table('t', { columns: [withDefault(type, input)], primaryKey: [] })).columns;
    t.deepEqual(normalised?.defaultValue, expected, `${JSON.stringify(type)} ${JSON.stringify(input)}`);
  }
});

test('operator classes: lower case as PostgreSQL folds them; default classes are none', (t) => {
  const text = column('title', { name: 'TEXT', variant: null });
  const withOperators = (operators: readonly (string | null)[] | null) =>
    normalizePostgresTable(table('posts', { columns: [text], primaryKey: [], indexes: [{ ...index('i', ['title']), operators }] })).indexes[0];
  t.deepEqual(withOperators(['GIN_TRGM_OPS'])?.operators, ['gin_trgm_ops']);
  t.false('operators' in withOperators([null])!, 'only defaults: the same as naming none');
  t.false('operators' in withOperators(null)!);
  t.false('operators' in withOperators(['JSONB_OPS', 'text_ops'])!, 'built-in default classes named explicitly are none too');
  t.deepEqual(withOperators(['text_ops', 'text_pattern_ops'])?.operators, [null, 'text_pattern_ops']);
});
