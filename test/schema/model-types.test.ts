import test from 'ava';
import { DataTypes, Sequelize, type ModelAttributeColumnOptions } from 'sequelize';
import { schemaFromModels } from '../../lib/schema/from-models';
import { defaultValueFrom } from '../../lib/schema/model-types';
import type { Schema, Table } from '../../types/schema';

/** A Sequelize instance that never connects: defining models needs no database. */
function instance(dialect: 'sqlite' | 'postgres' | 'mysql'): Sequelize {
  return dialect === 'sqlite'
    ? new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false })
    : new Sequelize({ dialect, logging: false, host: '127.0.0.1', database: 'never_connected' });
}

function table(schema: Schema, name: string): Table {
  const found = schema.tables.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no table ${name}`);
  return found;
}

test('column types: the generic spelling of every DataType', (t) => {
  const sequelize = instance('mysql');
  const Everything = sequelize.define(
    'Everything',
    {
      a: DataTypes.STRING,
      b: DataTypes.CHAR,
      c: DataTypes.TEXT,
      d: DataTypes.TEXT('long'),
      e: DataTypes.TINYINT,
      f: DataTypes.SMALLINT.UNSIGNED,
      g: DataTypes.MEDIUMINT,
      h: DataTypes.INTEGER({ length: 11 }),
      i: DataTypes.BIGINT.UNSIGNED,
      j: DataTypes.FLOAT,
      k: DataTypes.REAL,
      l: DataTypes.DOUBLE(10, 4),
      m: DataTypes.DECIMAL(8),
      n: DataTypes.BOOLEAN,
      o: DataTypes.DATE,
      p: DataTypes.DATEONLY,
      q: DataTypes.TIME,
      r: DataTypes.UUID,
      s: DataTypes.JSON,
      u: DataTypes.BLOB,
      v: DataTypes.BLOB('tiny'),
      w: DataTypes.GEOMETRY('POINT'),
      x: DataTypes.STRING({ length: 255, binary: true }),
    },
    { timestamps: false },
  );
  t.truthy(Everything);
  const types = Object.fromEntries(table(schemaFromModels(sequelize), 'Everythings').columns.map((c) => [c.name, c.type]));
  t.deepEqual(types, {
    id: { name: 'INTEGER' },
    a: { name: 'STRING', length: 255 },
    b: { name: 'CHAR', length: 255 },
    c: { name: 'TEXT', variant: null },
    d: { name: 'TEXT', variant: 'long' },
    e: { name: 'TINYINT' },
    f: { name: 'SMALLINT', unsigned: true },
    g: { name: 'MEDIUMINT' },
    h: { name: 'INTEGER' },
    i: { name: 'BIGINT', unsigned: true },
    j: { name: 'FLOAT', precision: null, scale: null },
    k: { name: 'REAL', precision: null, scale: null },
    l: { name: 'DOUBLE', precision: 10, scale: 4 },
    m: { name: 'DECIMAL', precision: 8, scale: null },
    n: { name: 'BOOLEAN' },
    o: { name: 'DATE', precision: null },
    p: { name: 'DATEONLY' },
    q: { name: 'TIME' },
    r: { name: 'UUID' },
    s: { name: 'JSON' },
    u: { name: 'BLOB', variant: null },
    v: { name: 'BLOB', variant: 'tiny' },
    w: { name: 'RAW', raw: 'POINT' },
    x: { name: 'STRING', length: 255 },
  });
});

test('postgres types: JSONB with index: true, CITEXT, INET, ARRAY, and a RAW fallback', (t) => {
  const sequelize = instance('postgres');
  sequelize.define(
    'Doc',
    {
      // `index: true` on JSONB is a Sequelize feature its typings omit.
      data: { type: DataTypes.JSONB, index: true } as ModelAttributeColumnOptions,
      email: DataTypes.CITEXT,
      ip: DataTypes.INET,
      tags: DataTypes.ARRAY(DataTypes.STRING(20)),
      search: DataTypes.TSVECTOR,
    },
    { timestamps: false, freezeTableName: true },
  );
  const doc = table(schemaFromModels(sequelize), 'Doc');
  t.deepEqual(
    doc.columns.map((c) => c.type),
    [
      { name: 'INTEGER' },
      { name: 'JSONB' },
      { name: 'CITEXT' },
      { name: 'INET' },
      { name: 'ARRAY', element: { name: 'STRING', length: 20 } },
      { name: 'RAW', raw: 'TSVECTOR' },
    ],
  );
  t.deepEqual(doc.indexes, [{ name: 'doc_data', columns: ['data'], unique: false, origin: 'index', where: null, using: 'gin' }]);
});

test('defaults that never reach the database are null: NOW, UUIDV1, UUIDV4, functions, null', (t) => {
  const sequelize = instance('sqlite');
  sequelize.define(
    'Thing',
    {
      a: { type: DataTypes.DATE, defaultValue: DataTypes.NOW },
      b: { type: DataTypes.UUID, defaultValue: DataTypes.UUIDV1 },
      c: { type: DataTypes.UUID, defaultValue: DataTypes.UUIDV4 },
      d: { type: DataTypes.STRING, defaultValue: () => 'computed' },
      e: { type: DataTypes.STRING, defaultValue: null },
      f: { type: DataTypes.INTEGER, defaultValue: 7 },
      g: { type: DataTypes.BOOLEAN, defaultValue: false },
      h: { type: DataTypes.DATE, defaultValue: sequelize.literal("datetime('now')") },
      i: { type: DataTypes.DATE, defaultValue: sequelize.literal('CURRENT_TIMESTAMP(3)') },
      j: { type: DataTypes.UUID, defaultValue: sequelize.fn('gen_random_uuid') },
      k: { type: DataTypes.STRING, defaultValue: sequelize.fn('lower', 'ABC') },
    },
    { timestamps: false },
  );
  const defaults = Object.fromEntries(table(schemaFromModels(sequelize), 'Things').columns.map((c) => [c.name, c.defaultValue]));
  t.deepEqual(defaults, {
    id: null,
    a: null,
    b: null,
    c: null,
    d: null,
    e: null,
    f: { kind: 'value', value: 7 },
    g: { kind: 'value', value: false },
    h: { kind: 'now' },
    i: { kind: 'now' },
    j: { kind: 'sql', sql: 'gen_random_uuid()' },
    k: { kind: 'sql', sql: "lower('ABC')" },
  });
});

test('helper objects from a second copy of sequelize are recognised by their shape', (t) => {
  // What a duplicated peer dependency hands over: same classes, not this module's copy of them.
  class Literal {
    constructor(readonly val: string) {}
  }
  class Fn {
    constructor(
      readonly fn: string,
      readonly args: readonly unknown[],
    ) {}
  }
  class UUIDV4 {
    readonly key = 'UUIDV4';
  }
  t.deepEqual(defaultValueFrom(new Literal('CURRENT_TIMESTAMP')), { kind: 'now' });
  t.deepEqual(defaultValueFrom(new Literal("'a'")), { kind: 'sql', sql: "'a'" });
  t.deepEqual(defaultValueFrom(new Fn('now', [])), { kind: 'now' });
  t.deepEqual(defaultValueFrom(new Fn('coalesce', [new Literal('1'), 2])), { kind: 'sql', sql: 'coalesce(1, 2)' });
  t.is(defaultValueFrom(new UUIDV4()), null);
  t.deepEqual(defaultValueFrom({ plain: 'object' }), { kind: 'value', value: '{"plain":"object"}' });
});
