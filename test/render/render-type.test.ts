import test from 'ava';
import type { ColumnType, DefaultValue, DialectName } from '../../types/schema';
import { renderDefault } from '../../lib/render/render-default';
import { renderType } from '../../lib/render/render-type';
import { printLines, statement, type Code } from '../../lib/render/source-writer';

/** The one-line source of a Code value. */
function source(code: Code): string {
  const line = printLines([statement(code)], 0)[0] ?? '';
  return line.slice('await '.length, -1);
}

function type(t: ColumnType, dialect: DialectName = 'mysql', tableName = 'users', column = 'c'): string {
  return source(renderType(t, { dialect, table: { name: tableName, schema: null }, column }));
}

const cases: readonly [ColumnType, string][] = [
  [{ name: 'STRING', length: 100 }, 'Sequelize.STRING(100)'],
  [{ name: 'STRING', length: 255 }, 'Sequelize.STRING(255)'],
  [{ name: 'CHAR', length: 2 }, 'Sequelize.CHAR(2)'],
  [{ name: 'TEXT', variant: null }, 'Sequelize.TEXT'],
  [{ name: 'TEXT', variant: 'long' }, "Sequelize.TEXT('long')"],
  [{ name: 'CITEXT' }, 'Sequelize.CITEXT'],
  [{ name: 'TINYINT' }, 'Sequelize.TINYINT'],
  [{ name: 'INTEGER', unsigned: true }, 'Sequelize.INTEGER.UNSIGNED'],
  [{ name: 'BIGINT', unsigned: false }, 'Sequelize.BIGINT'],
  [{ name: 'DECIMAL', precision: 10, scale: 2 }, 'Sequelize.DECIMAL(10, 2)'],
  [{ name: 'DECIMAL', precision: 10, scale: 2, unsigned: true }, 'Sequelize.DECIMAL(10, 2).UNSIGNED'],
  [{ name: 'DECIMAL', precision: null, scale: null }, 'Sequelize.DECIMAL'],
  [{ name: 'FLOAT', precision: 8, scale: null }, 'Sequelize.FLOAT(8)'],
  [{ name: 'DOUBLE', precision: null, scale: null }, 'Sequelize.DOUBLE'],
  [{ name: 'REAL' }, 'Sequelize.REAL'],
  [{ name: 'BOOLEAN' }, 'Sequelize.BOOLEAN'],
  [{ name: 'DATE', precision: 3 }, 'Sequelize.DATE(3)'],
  [{ name: 'DATE', precision: null }, 'Sequelize.DATE'],
  [{ name: 'DATEONLY' }, 'Sequelize.DATEONLY'],
  [{ name: 'TIME' }, 'Sequelize.TIME'],
  [{ name: 'UUID' }, 'Sequelize.UUID'],
  [{ name: 'JSON' }, 'Sequelize.JSON'],
  [{ name: 'JSONB' }, 'Sequelize.JSONB'],
  [{ name: 'BLOB', variant: 'medium' }, "Sequelize.BLOB('medium')"],
  [{ name: 'INET' }, 'Sequelize.INET'],
  [{ name: 'ENUM', values: ['a', "b'c"], enumName: null }, `Sequelize.ENUM('a', "b'c")`],
  [{ name: 'ARRAY', element: { name: 'INTEGER' } }, 'Sequelize.ARRAY(Sequelize.INTEGER)'],
  [{ name: 'RAW', raw: 'tsvector' }, "'tsvector'"],
  [{ name: 'ARRAY', element: { name: 'RAW', raw: 'tsvector' } }, "'tsvector[]'"],
];

for (const [t, expected] of cases) {
  test(`type ${JSON.stringify(t)} renders as ${expected}`, (t2) => {
    t2.is(type(t), expected);
  });
}

test('a PostgreSQL varchar without length stays unbounded', (t) => {
  t.is(type({ name: 'STRING', length: null }, 'postgres'), "'VARCHAR'");
  t.is(type({ name: 'STRING', length: null }, 'sqlite'), 'Sequelize.STRING');
});

test("a PostgreSQL enum under Sequelize's own name renders as ENUM, any other name by name", (t) => {
  const values = ['a', 'b'];
  t.is(type({ name: 'ENUM', values, enumName: 'enum_users_status' }, 'postgres', 'users', 'status'), "Sequelize.ENUM('a', 'b')");
  t.is(type({ name: 'ENUM', values, enumName: 'mood' }, 'postgres', 'users', 'status'), `'"mood"'`);
  t.is(
    type({ name: 'ARRAY', element: { name: 'ENUM', values, enumName: 'mood' } }, 'postgres', 'users', 'status'),
    `'"mood"[]'`,
  );
  const inSchema = renderType(
    { name: 'ENUM', values, enumName: 'mood' },
    { dialect: 'postgres', table: { name: 'users', schema: 'app' }, column: 'status' },
  );
  t.is(source(inSchema), `'"app"."mood"'`);
});

function dflt(value: DefaultValue, t: ColumnType = { name: 'STRING', length: 10 }, dialect: DialectName = 'postgres'): string {
  return source(renderDefault(value, t, dialect));
}

test('defaults render as literals or Sequelize.literal', (t) => {
  t.is(dflt({ kind: 'value', value: 'x' }), "'x'");
  t.is(dflt({ kind: 'value', value: 42 }), '42');
  t.is(dflt({ kind: 'value', value: -1.5 }), '-1.5');
  t.is(dflt({ kind: 'value', value: false }), 'false');
  t.is(dflt({ kind: 'now' }), "Sequelize.literal('CURRENT_TIMESTAMP')");
  t.is(dflt({ kind: 'sql', sql: "lower('X')" }), `Sequelize.literal("lower('X')")`);
});

test("a JSON column's default is given parsed, since Sequelize stringifies it", (t) => {
  t.is(dflt({ kind: 'value', value: '{"a":[1,"x"],"b c":null}' }, { name: 'JSON' }), "{ a: [1, 'x'], 'b c': null }");
  t.is(dflt({ kind: 'value', value: 'not json' }, { name: 'JSONB' }), "'not json'");
  t.is(dflt({ kind: 'value', value: '{"a":1}' }, { name: 'TEXT', variant: null }), `'{"a":1}'`);
});

test("MySQL's now matches a DATETIME's fractional precision", (t) => {
  t.is(dflt({ kind: 'now' }, { name: 'DATE', precision: 3 }, 'mysql'), "Sequelize.literal('CURRENT_TIMESTAMP(3)')");
  t.is(dflt({ kind: 'now' }, { name: 'DATE', precision: 3 }, 'mariadb'), "Sequelize.literal('CURRENT_TIMESTAMP(3)')");
  t.is(dflt({ kind: 'now' }, { name: 'DATE', precision: null }, 'mysql'), "Sequelize.literal('CURRENT_TIMESTAMP')");
  t.is(dflt({ kind: 'now' }, { name: 'DATE', precision: 3 }, 'postgres'), "Sequelize.literal('CURRENT_TIMESTAMP')");
});
