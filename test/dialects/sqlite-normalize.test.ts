import test from 'ava';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { DataTypes, Sequelize } from 'sequelize';
import type { Column, ColumnType, DefaultValue, ForeignKey, Index, Table, TypeName } from '../../types/schema';
import { parseCreateIndex, parseCreateTable } from '../../lib/dialects/sqlite/sqlite-ddl';
import { normalizeSqliteDefault, parseSqliteDefault } from '../../lib/dialects/sqlite/sqlite-defaults';
import { normalizeSqliteTable } from '../../lib/dialects/sqlite/sqlite-normalize';
import { normalizeSqliteType, parseSqliteType } from '../../lib/dialects/sqlite/sqlite-types';
import { columnTypeFrom, type SequelizeDataType } from '../../lib/schema/model-types';

// Unit tests: no database. A SQLite Sequelize instance that never connects gives each DataType
// its SQLite class, whose toSql() is exactly the text Sequelize writes into CREATE TABLE.

test('every Sequelize type, as Sequelize writes it on SQLite, parses back to its model-side canonical type', (t) => {
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
  const types = {
    string: DataTypes.STRING,
    string100: DataTypes.STRING(100),
    binary: DataTypes.STRING(255, true),
    char: DataTypes.CHAR(3),
    text: DataTypes.TEXT,
    longText: DataTypes.TEXT('long'),
    citext: DataTypes.CITEXT,
    tinyint: DataTypes.TINYINT,
    smallint: DataTypes.SMALLINT,
    mediumint: DataTypes.MEDIUMINT,
    integer: DataTypes.INTEGER,
    integer11: DataTypes.INTEGER({ length: 11 }),
    bigint: DataTypes.BIGINT,
    float: DataTypes.FLOAT,
    float102: DataTypes.FLOAT(10, 2),
    real: DataTypes.REAL,
    double: DataTypes.DOUBLE,
    double83: DataTypes.DOUBLE(8, 3),
    decimal: DataTypes.DECIMAL,
    decimal102: DataTypes.DECIMAL(10, 2),
    boolean: DataTypes.BOOLEAN,
    date: DataTypes.DATE,
    date3: DataTypes.DATE(3),
    dateonly: DataTypes.DATEONLY,
    time: DataTypes.TIME,
    uuid: DataTypes.UUID,
    json: DataTypes.JSON,
    jsonb: DataTypes.JSONB,
    blob: DataTypes.BLOB,
    tinyBlob: DataTypes.BLOB('tiny'),
    mediumBlob: DataTypes.BLOB('medium'),
    longBlob: DataTypes.BLOB('long'),
    enum: DataTypes.ENUM('a', 'b'),
  };
  const model = sequelize.define('AllTypes', Object.fromEntries(Object.entries(types).map(([k, type]) => [k, { type }])));
  for (const [name, attribute] of Object.entries(model.getAttributes())) {
    if (name === 'id' || name === 'createdAt' || name === 'updatedAt') continue;
    const dataType = attribute.type as unknown as SequelizeDataType & { toSql(): string };
    const written = dataType.toSql();
    const generic = columnTypeFrom(dataType, { enumTable: null, column: name });
    t.deepEqual(normalizeSqliteType(parseSqliteType(written)), normalizeSqliteType(generic), `${name}: ${written}`);
    t.not(normalizeSqliteType(generic).name, 'RAW', name);
  }
});

test('hand-written type spellings', (t) => {
  const cases: [string, ColumnType][] = [
    ['int', { name: 'INTEGER' }],
    ['INT(11) UNSIGNED', { name: 'INTEGER' }],
    ['unsigned big int', { name: 'BIGINT' }],
    ['int2', { name: 'SMALLINT' }],
    ['tinyint(1)', { name: 'BOOLEAN' }],
    ['tinyint(4)', { name: 'TINYINT' }],
    ['character varying ( 20 )', { name: 'STRING', length: 20 }],
    ['varchar', { name: 'STRING', length: null }],
    ['native character(70)', { name: 'CHAR', length: 70 }],
    ['numeric(5,2)', { name: 'DECIMAL', precision: 5, scale: 2 }],
    ['NUMERIC', { name: 'DECIMAL', precision: null, scale: null }],
    ['double precision', { name: 'DOUBLE', precision: null, scale: null }],
    ['timestamp with time zone', { name: 'DATE', precision: null }],
    ['datetime(6)', { name: 'DATE', precision: null }],
    ['date', { name: 'DATEONLY' }],
    ['mediumtext', { name: 'TEXT', variant: null }],
    ['TEXT COLLATE NOCASE', { name: 'CITEXT' }],
    ['longblob', { name: 'BLOB', variant: 'long' }],
    ['', { name: 'RAW', raw: '' }],
    ['point', { name: 'RAW', raw: 'POINT' }],
    ['varchar(max)', { name: 'RAW', raw: 'VARCHAR(MAX)' }],
  ];
  for (const [spelling, expected] of cases) {
    t.deepEqual(normalizeSqliteType(parseSqliteType(spelling)), expected, spelling);
  }
  t.deepEqual(parseSqliteType('text', 'NOCASE'), { name: 'CITEXT' });
  t.deepEqual(parseSqliteType('varchar(10)', 'NOCASE'), { name: 'STRING', length: 10 });
  // A RAW model-side type that names a known type is read as that type.
  t.deepEqual(normalizeSqliteType({ name: 'RAW', raw: 'varchar(12)' }), { name: 'STRING', length: 12 });
});

test('DEFAULT clause text', (t) => {
  const cases: [string | null, DefaultValue | null][] = [
    [null, null],
    ['NULL', null],
    ["'it''s'", { kind: 'value', value: "it's" }],
    ["''", { kind: 'value', value: '' }],
    ['-5', { kind: 'value', value: -5 }],
    ['((1.5e3))', { kind: 'value', value: 1500 }],
    ['9007199254740993', { kind: 'value', value: '9007199254740993' }],
    ['TRUE', { kind: 'value', value: true }],
    ['CURRENT_TIMESTAMP', { kind: 'now' }],
    ["datetime( 'now' )", { kind: 'now' }],
    ["datetime('now', 'localtime')", { kind: 'sql', sql: "datetime('now', 'localtime')" }],
    ['CURRENT_DATE', { kind: 'sql', sql: 'CURRENT_DATE' }],
    ['(1) + (2)', { kind: 'sql', sql: '(1) + (2)' }],
    ["('a)')", { kind: 'value', value: 'a)' }],
  ];
  for (const [sql, expected] of cases) t.deepEqual(parseSqliteDefault(sql), expected, String(sql));
});

test('defaults take the form the column stores', (t) => {
  const value = (v: string | number | boolean): DefaultValue => ({ kind: 'value', value: v });
  const boolean: ColumnType = { name: 'BOOLEAN' };
  const float: ColumnType = { name: 'FLOAT', precision: null, scale: null };
  const string: ColumnType = { name: 'STRING', length: 255 };
  t.deepEqual(normalizeSqliteDefault(value(1), boolean), value(true));
  t.deepEqual(normalizeSqliteDefault(value('0'), boolean), value(false));
  t.deepEqual(normalizeSqliteDefault(value('1.50'), float), value(1.5));
  t.deepEqual(normalizeSqliteDefault(value('abc'), float), value('abc'));
  t.deepEqual(normalizeSqliteDefault(value(true), { name: 'INTEGER' }), value(1));
  // Sequelize writes DEFAULT 'true' as DEFAULT 1 on SQLite, whatever the column type.
  t.deepEqual(normalizeSqliteDefault(value('true'), string), value('1'));
  t.deepEqual(normalizeSqliteDefault(value('false'), { name: 'JSON' }), value(0));
  t.deepEqual(normalizeSqliteDefault(value('TRUE'), string), value('TRUE'));
  const date: ColumnType = { name: 'DATE', precision: null };
  t.deepEqual(normalizeSqliteDefault(value('2020-01-01 02:00:00.000 +02:00'), date), value('2020-01-01T00:00:00.000Z'));
  t.deepEqual(normalizeSqliteDefault(value('2020-01-01 00:00:00'), date), value('2020-01-01 00:00:00'));
  t.deepEqual(normalizeSqliteDefault(value(7), string), value('7'));
  t.deepEqual(normalizeSqliteDefault(value('7'), { name: 'JSON' }), value('7'));
  t.deepEqual(normalizeSqliteDefault({ kind: 'sql', sql: "'x'" }, string), value('x'));
  t.deepEqual(normalizeSqliteDefault({ kind: 'sql', sql: '(1)' }, boolean), value(true));
  t.deepEqual(normalizeSqliteDefault({ kind: 'sql', sql: 'NULL' }, string), null);
  t.deepEqual(normalizeSqliteDefault({ kind: 'sql', sql: "(datetime('now'))" }, { name: 'DATE' }), { kind: 'now' });
  t.deepEqual(normalizeSqliteDefault({ kind: 'sql', sql: 'random()' }, string), { kind: 'sql', sql: 'random()' });
});

test('CREATE TABLE text: AUTOINCREMENT and COLLATE per column, table constraints skipped', (t) => {
  const clauses = parseCreateTable(`CREATE TABLE "a ""b""" (
    [id] INTEGER PRIMARY KEY AUTOINCREMENT, -- the key, (with a comment)
    "na,me" TEXT COLLATE nocase CHECK ("na,me" <> 'AUTOINCREMENT'),
    \`plain\` VARCHAR(10, 2) /* COLLATE rtrim */,
    CONSTRAINT pk UNIQUE (plain),
    CHECK (length(plain) > 0)
  )`);
  t.deepEqual(
    [...clauses],
    [
      ['id', { autoIncrement: true, collation: null }],
      ['na,me', { autoIncrement: false, collation: 'NOCASE' }],
      ['plain', { autoIncrement: false, collation: null }],
    ],
  );
  t.is(parseCreateTable('CREATE TABLE copy AS SELECT 1 AS x').size, 0);
});

test('CREATE INDEX text: key list and WHERE', (t) => {
  t.deepEqual(parseCreateIndex('CREATE UNIQUE INDEX IF NOT EXISTS "i" ON "t" (lower("e"), b DESC) WHERE b IS NOT NULL;'), {
    keys: 'lower("e"), b DESC',
    where: 'b IS NOT NULL',
  });
  t.deepEqual(parseCreateIndex('CREATE INDEX i ON main.t(a)'), { keys: 'a', where: null });
  t.is(parseCreateIndex('CREATE INDEX broken'), null);
});

const column = (name: string, type: ColumnType, extra: Partial<Column> = {}): Column => ({
  name,
  type,
  allowNull: true,
  defaultValue: null,
  autoIncrement: false,
  comment: null,
  ...extra,
});

test('normalizeSqliteTable: keys, comments, names SQLite cannot keep, order', (t) => {
  const key: ForeignKey = {
    name: null,
    columns: [],
    referencedTable: '',
    referencedSchema: null,
    referencedColumns: ['id'],
    onDelete: 'NO ACTION',
    onUpdate: 'NO ACTION',
  };
  const table: Table = {
    name: 'things',
    schema: null,
    columns: [
      column('id', { name: 'BIGINT', unsigned: true }, { autoIncrement: true, comment: 'key' }),
      column('counter', { name: 'INTEGER' }, { autoIncrement: true }),
      column('kind', { name: 'ENUM', values: ['a', 'b'], enumName: null }, { defaultValue: { kind: 'value', value: 'a' } }),
    ],
    primaryKey: ['id'],
    indexes: [
      { name: 'things_kind', columns: ['kind'], unique: false, origin: 'index' },
      { name: 'things_counter_kind', columns: ['counter', 'kind'], unique: true, origin: 'constraint' },
      { name: 'sqlite_autoindex_things_1', columns: ['counter'], unique: true, origin: 'constraint' },
      {
        name: 'by_expression',
        columns: ['ignored'],
        unique: false,
        origin: 'index',
        expression: 'lower(kind)',
        using: 'btree',
      },
    ],
    foreignKeys: [
      { ...key, columns: ['kind'], referencedTable: 'kinds', referencedSchema: 'main', onDelete: 'CASCADE' },
      { ...key, columns: ['counter'], referencedTable: 'counters', onDelete: 'SET NULL', onUpdate: 'RESTRICT' },
    ],
    comment: 'things',
  };
  const normalized = normalizeSqliteTable(table);
  t.deepEqual(normalized.columns, [
    column('id', { name: 'INTEGER' }, { allowNull: false, autoIncrement: true }),
    column('counter', { name: 'INTEGER' }),
    column('kind', { name: 'TEXT', variant: null }, { defaultValue: { kind: 'value', value: 'a' } }),
  ]);
  t.deepEqual(
    normalized.indexes.map((index) => [index.name, index.columns, index.expression, index.using]),
    [
      ['by_expression', [], 'lower(kind)', null],
      ['sqlite_autoindex_things_1', ['counter'], null, null],
      [null, ['counter', 'kind'], null, null],
      ['things_kind', ['kind'], null, null],
    ],
  );
  t.deepEqual(
    normalized.foreignKeys.map((key) => [key.columns, key.referencedSchema]),
    [
      [['counter'], null],
      [['kind'], null],
    ],
  );
  t.is(normalized.comment, null);
  // A composite key keeps its declared types: only a sole integer key is the rowid alias.
  const composite = normalizeSqliteTable({ ...table, primaryKey: ['id', 'counter'] });
  t.deepEqual(composite.columns[0]?.type, { name: 'BIGINT' });
  t.false(composite.columns[0]?.autoIncrement);
});

const typeArbitrary: fc.Arbitrary<ColumnType> = fc.oneof(
  fc.record({
    name: fc.constantFrom('STRING' as const, 'CHAR' as const),
    length: fc.option(fc.integer({ min: 1, max: 500 })),
  }),
  fc.record({
    name: fc.constantFrom('TEXT' as const, 'BLOB' as const),
    variant: fc.constantFrom(null, 'tiny', 'medium', 'long'),
  }),
  fc.record(
    { name: fc.constantFrom('INTEGER' as const, 'BIGINT' as const, 'TINYINT' as const), unsigned: fc.boolean() },
    { requiredKeys: ['name'] },
  ),
  fc.record({
    name: fc.constantFrom('DECIMAL' as const, 'FLOAT' as const, 'DOUBLE' as const, 'REAL' as const),
    precision: fc.option(fc.integer({ min: 1, max: 30 })),
    scale: fc.option(fc.integer({ min: 0, max: 10 })),
  }),
  fc.record({ name: fc.constant('DATE' as const), precision: fc.option(fc.integer({ min: 0, max: 6 })) }),
  fc.record({ name: fc.constant('ENUM' as const), values: fc.array(fc.string()), enumName: fc.constant(null) }),
  fc.record({ name: fc.constantFrom<TypeName>('BOOLEAN', 'UUID', 'JSON', 'DATEONLY', 'CITEXT') }),
  fc.record({ name: fc.constant('RAW' as const), raw: fc.constantFrom('int4', 'GEOMETRY', 'varchar(9)', 'tinyint(1)', 'x y') }),
);

const defaultArbitrary: fc.Arbitrary<DefaultValue | null> = fc.oneof(
  fc.constant(null),
  fc.constant({ kind: 'now' as const }),
  fc.record({
    kind: fc.constant('value' as const),
    value: fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant('2020-01-01 00:00:00 +01:00')),
  }),
  fc.record({
    kind: fc.constant('sql' as const),
    sql: fc.constantFrom("'a'", '(1)', 'NULL', 'CURRENT_TIMESTAMP', 'random()', "(('x'))", "'true'"),
  }),
);

const names = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 5 });

const tableArbitrary: fc.Arbitrary<Table> = names.chain((columnNames) =>
  fc.record({
    name: fc.constant('t'),
    schema: fc.constant(null),
    columns: fc.tuple(
      ...columnNames.map((name) =>
        fc.record({
          name: fc.constant(name),
          type: typeArbitrary,
          allowNull: fc.boolean(),
          defaultValue: defaultArbitrary,
          autoIncrement: fc.boolean(),
          comment: fc.option(fc.string()),
        }),
      ),
    ),
    primaryKey: fc.subarray(columnNames),
    indexes: fc.array(
      fc.record({
        name: fc.option(fc.constantFrom('i1', 'i2', 'sqlite_autoindex_t_1')),
        columns: fc.subarray(columnNames, { minLength: 1 }),
        unique: fc.boolean(),
        origin: fc.constantFrom('index' as const, 'constraint' as const),
      }) satisfies fc.Arbitrary<Index>,
    ),
    foreignKeys: fc.array(
      fc.record({
        name: fc.constant(null),
        columns: fc.subarray(columnNames, { minLength: 1 }),
        referencedTable: fc.constantFrom('p', 'q'),
        referencedSchema: fc.constant(null),
        referencedColumns: fc.constant(['id']),
        onDelete: fc.constantFrom('CASCADE' as const, 'NO ACTION' as const, 'RESTRICT' as const),
        onUpdate: fc.constantFrom('CASCADE' as const, 'SET NULL' as const),
      }) satisfies fc.Arbitrary<ForeignKey>,
    ),
    comment: fc.option(fc.string()),
  }),
);

test('normalizeSqliteTable is idempotent and never mutates its argument', (t) => {
  fc.assert(
    fc.property(tableArbitrary, (table) => {
      const before = structuredClone(table);
      const once = normalizeSqliteTable(table);
      // structuredClone: fast-check builds records without a prototype.
      return isDeepStrictEqual(structuredClone(table), before) && isDeepStrictEqual(normalizeSqliteTable(once), once);
    }),
    { numRuns: 300 },
  );
  t.pass();
});
