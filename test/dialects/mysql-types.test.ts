import test from 'ava';
import type { ColumnType, DefaultValue } from '../../types/schema';
import { parseMysqlColumnType, parseQuotedList, unquoteString } from '../../lib/dialects/mysql/mysql-types';
import { canonicalDefault, canonicalSql, parseMysqlDefault } from '../../lib/dialects/mysql/mysql-defaults';

const TYPES: readonly [string, ColumnType, { collation?: string; jsonCheck?: boolean }?][] = [
  ['int(11)', { name: 'INTEGER', unsigned: false }],
  ['int', { name: 'INTEGER', unsigned: false }],
  ['int(10) unsigned', { name: 'INTEGER', unsigned: true }],
  ['int(5) unsigned zerofill', { name: 'INTEGER', unsigned: true }],
  ['tinyint(1)', { name: 'BOOLEAN' }],
  ['tinyint(1) unsigned', { name: 'TINYINT', unsigned: true }],
  ['tinyint(4)', { name: 'TINYINT', unsigned: false }],
  ['tinyint', { name: 'TINYINT', unsigned: false }],
  ['smallint(6)', { name: 'SMALLINT', unsigned: false }],
  ['mediumint(8) unsigned', { name: 'MEDIUMINT', unsigned: true }],
  ['bigint(20) unsigned', { name: 'BIGINT', unsigned: true }],
  ['BIGINT UNSIGNED', { name: 'BIGINT', unsigned: true }],
  ['decimal(10,2)', { name: 'DECIMAL', precision: 10, scale: 2, unsigned: false }],
  ['decimal(10,0) unsigned', { name: 'DECIMAL', precision: 10, scale: 0, unsigned: true }],
  ['float', { name: 'FLOAT', precision: null, scale: null, unsigned: false }],
  ['float(10,2)', { name: 'FLOAT', precision: 10, scale: 2, unsigned: false }],
  ['double', { name: 'DOUBLE', precision: null, scale: null, unsigned: false }],
  ['double(8,3) unsigned', { name: 'DOUBLE', precision: 8, scale: 3, unsigned: true }],
  ['double precision', { name: 'DOUBLE', precision: null, scale: null, unsigned: false }],
  ['DOUBLE PRECISION(10,2)', { name: 'DOUBLE', precision: 10, scale: 2, unsigned: false }],
  ['varchar(255)', { name: 'STRING', length: 255 }],
  ['char(2)', { name: 'CHAR', length: 2 }],
  ['char(36)', { name: 'CHAR', length: 36 }, { collation: 'utf8mb4_general_ci' }],
  ['char(36)', { name: 'UUID' }, { collation: 'utf8mb4_bin' }],
  ['CHAR(36) BINARY', { name: 'UUID' }],
  ['uuid', { name: 'UUID' }],
  ['text', { name: 'TEXT', variant: null }],
  ['tinytext', { name: 'TEXT', variant: 'tiny' }],
  ['mediumtext', { name: 'TEXT', variant: 'medium' }],
  ['longtext', { name: 'TEXT', variant: 'long' }],
  ['longtext', { name: 'JSON' }, { collation: 'utf8mb4_bin', jsonCheck: true }],
  ['json', { name: 'JSON' }],
  ['blob', { name: 'BLOB', variant: null }],
  ['longblob', { name: 'BLOB', variant: 'long' }],
  ['datetime', { name: 'DATE', precision: null }],
  ['datetime(3)', { name: 'DATE', precision: 3 }],
  ['date', { name: 'DATEONLY' }],
  ['time', { name: 'TIME', precision: null }],
  ['time(6)', { name: 'TIME', precision: 6 }],
  ["enum('admin','user')", { name: 'ENUM', values: ['admin', 'user'], enumName: null }],
  ["enum('a)b','c''d','e\\\\f','g,h')", { name: 'ENUM', values: ['a)b', "c'd", 'e\\f', 'g,h'], enumName: null }],
  ["set('x','y')", { name: 'RAW', raw: "set('x','y')" }],
  ['timestamp', { name: 'RAW', raw: 'timestamp' }],
  ['year(4)', { name: 'RAW', raw: 'year(4)' }],
  ['bit(1)', { name: 'RAW', raw: 'bit(1)' }],
  ['varbinary(10)', { name: 'RAW', raw: 'varbinary(10)' }],
  ['GEOMETRY', { name: 'RAW', raw: 'geometry' }],
];

for (const [text, expected, context] of TYPES) {
  test(`column type ${text}${context ? ` ${JSON.stringify(context)}` : ''}`, (t) => {
    const type = parseMysqlColumnType(text, { collation: context?.collation ?? null, jsonCheck: context?.jsonCheck ?? false });
    t.deepEqual(type, expected);
  });
}

test('quoted lists and literals undo both escaping styles', (t) => {
  t.deepEqual(parseQuotedList("'a''b','c,d','x\\\\y','n\\nl'"), ["a'b", 'c,d', 'x\\y', 'n\nl']);
  t.is(unquoteString("'it''s'"), "it's");
  t.is(unquoteString("'it\\'s'"), "it's");
  t.is(unquoteString("''"), '');
  t.is(unquoteString("'a' + 'b'"), null);
  t.is(unquoteString('uuid()'), null);
  t.is(unquoteString("'unterminated"), null);
});

const MARIADB = { quotedDefaults: true, extra: '', temporal: false };
const MYSQL = { quotedDefaults: false, extra: '', temporal: false };

test('MariaDB defaults: quoted literals, NULL, bare numbers and expressions', (t) => {
  t.is(parseMysqlDefault(null, MARIADB), null);
  t.is(parseMysqlDefault('NULL', MARIADB), null);
  t.deepEqual(parseMysqlDefault("'NULL'", MARIADB), { kind: 'value', value: 'NULL' });
  t.deepEqual(parseMysqlDefault("'it''s \\\\ x'", MARIADB), { kind: 'value', value: "it's \\ x" });
  t.deepEqual(parseMysqlDefault('1', MARIADB), { kind: 'value', value: '1' });
  t.deepEqual(parseMysqlDefault('-2.50', MARIADB), { kind: 'value', value: '-2.50' });
  t.deepEqual(parseMysqlDefault('current_timestamp()', MARIADB), { kind: 'now' });
  t.deepEqual(parseMysqlDefault('current_timestamp(3)', MARIADB), { kind: 'now' });
  t.deepEqual(parseMysqlDefault('uuid()', MARIADB), { kind: 'sql', sql: 'uuid()' });
});

test('MySQL defaults: bare literals, DEFAULT_GENERATED expressions, 5.7 CURRENT_TIMESTAMP', (t) => {
  t.is(parseMysqlDefault(null, MYSQL), null);
  // On MySQL the text NULL is a literal: "no default" is SQL NULL.
  t.deepEqual(parseMysqlDefault('NULL', MYSQL), { kind: 'value', value: 'NULL' });
  t.deepEqual(parseMysqlDefault("it's", MYSQL), { kind: 'value', value: "it's" });
  t.deepEqual(parseMysqlDefault("'quoted'", MYSQL), { kind: 'value', value: "'quoted'" });
  t.deepEqual(parseMysqlDefault('CURRENT_TIMESTAMP', { ...MYSQL, extra: 'DEFAULT_GENERATED' }), { kind: 'now' });
  t.deepEqual(
    parseMysqlDefault('CURRENT_TIMESTAMP(3)', { ...MYSQL, extra: 'DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)' }),
    { kind: 'now' },
  );
  t.deepEqual(parseMysqlDefault('uuid()', { ...MYSQL, extra: 'DEFAULT_GENERATED' }), { kind: 'sql', sql: 'uuid()' });
  t.deepEqual(parseMysqlDefault('CURRENT_TIMESTAMP', { ...MYSQL, temporal: true }), { kind: 'now' });
  t.deepEqual(parseMysqlDefault('CURRENT_TIMESTAMP', MYSQL), { kind: 'value', value: 'CURRENT_TIMESTAMP' });
  t.deepEqual(parseMysqlDefault("b'1'", MYSQL), { kind: 'sql', sql: "b'1'" });
});

const value = (v: string | number | boolean): DefaultValue => ({ kind: 'value', value: v });
const DECIMAL_10_2: ColumnType = { name: 'DECIMAL', precision: 10, scale: 2, unsigned: false };

test('canonical defaults take the type of their column', (t) => {
  t.deepEqual(canonicalDefault(value('1'), { name: 'BOOLEAN' }), value(true));
  t.deepEqual(canonicalDefault(value(0), { name: 'BOOLEAN' }), value(false));
  t.deepEqual(canonicalDefault(value('true'), { name: 'BOOLEAN' }), value(true));
  t.deepEqual(canonicalDefault(value('42'), { name: 'INTEGER', unsigned: false }), value(42));
  t.deepEqual(canonicalDefault(value('-5'), { name: 'INTEGER', unsigned: false }), value(-5));
  // Past 2^53 the text is kept rather than rounded.
  t.deepEqual(
    canonicalDefault(value('18446744073709551615'), { name: 'BIGINT', unsigned: true }),
    value('18446744073709551615'),
  );
  t.deepEqual(canonicalDefault(value(0), DECIMAL_10_2), value('0.00'));
  t.deepEqual(canonicalDefault(value('1.5'), DECIMAL_10_2), value('1.50'));
  t.deepEqual(canonicalDefault(value('-0.00'), DECIMAL_10_2), value('0.00'));
  t.deepEqual(canonicalDefault(value('007.100'), DECIMAL_10_2), value('7.10'));
  t.deepEqual(canonicalDefault(value(3), { name: 'DECIMAL', precision: 10, scale: 0 }), value('3'));
  t.deepEqual(canonicalDefault(value('2.50'), { name: 'FLOAT' }), value(2.5));
  t.deepEqual(canonicalDefault(value('2020-01-01'), { name: 'DATE', precision: null }), value('2020-01-01 00:00:00'));
  t.deepEqual(
    canonicalDefault(value('2020-01-01 10:00:00'), { name: 'DATE', precision: 3 }),
    value('2020-01-01 10:00:00.000'),
  );
  t.deepEqual(
    canonicalDefault(value('2020-01-01T10:00:00.000Z'), { name: 'DATE', precision: null }),
    value('2020-01-01 10:00:00'),
  );
  t.deepEqual(canonicalDefault(value('10:00'), { name: 'TIME', precision: null }), value('10:00:00'));
  t.deepEqual(canonicalDefault(value(5), { name: 'STRING', length: 10 }), value('5'));
  t.deepEqual(canonicalDefault(value(true), { name: 'STRING', length: 10 }), value('1'));
});

test('canonical defaults: SQL that is really a literal, now, NULL, spelling of expressions', (t) => {
  const sql = (s: string): DefaultValue => ({ kind: 'sql', sql: s });
  t.deepEqual(canonicalDefault(sql("'abc'"), { name: 'STRING', length: 10 }), value('abc'));
  t.deepEqual(canonicalDefault(sql('42'), { name: 'INTEGER' }), value(42));
  t.deepEqual(canonicalDefault(sql('TRUE'), { name: 'BOOLEAN' }), value(true));
  t.is(canonicalDefault(sql('NULL'), { name: 'INTEGER' }), null);
  t.deepEqual(canonicalDefault(sql('NOW()'), { name: 'DATE' }), { kind: 'now' });
  t.deepEqual(canonicalDefault(sql('CURRENT_TIMESTAMP'), { name: 'DATE' }), { kind: 'now' });
  t.deepEqual(canonicalDefault(sql('(UUID())'), { name: 'STRING' }), sql('uuid()'));
  t.deepEqual(canonicalDefault(sql("CONCAT( 'A' ,  'B' )"), { name: 'STRING' }), sql("concat('A', 'B')"));
  t.is(canonicalSql('LOWER(`Email`)'), 'lower(`Email`)');
  t.is(canonicalSql("'x' = 'Y'"), "'x' = 'Y'");
});
