/**
 * The pure half of MySQL introspection, fed with rows shaped like MySQL 8's information_schema
 * (the server here is MariaDB): functional key parts, unquoted defaults, DEFAULT_GENERATED.
 */
import test from 'ava';
import type { Table } from '../../types/schema';
import {
  quotesDefaults,
  tablesFromCatalog,
  type MysqlCatalog,
  type MysqlColumnRow,
  type MysqlIndexRow,
} from '../../lib/dialects/mysql/mysql-catalog';
import { normalizeMysqlTable } from '../../lib/dialects/mysql/mysql-normalize';
import { column, foreignKey, ID, index, INT } from './mysql-fixtures';

function col(tableName: string, columnName: string, columnType: string, extra: Partial<MysqlColumnRow> = {}): MysqlColumnRow {
  return {
    tableName,
    columnName,
    columnType,
    columnDefault: null,
    nullable: true,
    extra: '',
    collation: null,
    comment: '',
    ...extra,
  };
}

function part(tableName: string, indexName: string, columnName: string | null, extra: Partial<MysqlIndexRow> = {}): MysqlIndexRow {
  return { tableName, indexName, unique: false, columnName, expression: null, indexType: 'BTREE', ...extra };
}

const MYSQL8: MysqlCatalog = {
  server: { version: '8.0.36', database: 'app', expressionColumn: true },
  tables: [
    { tableName: 'users', comment: '' },
    { tableName: 'orders', comment: 'customer orders' },
  ],
  columns: [
    col('users', 'id', 'int', { nullable: false, extra: 'auto_increment' }),
    col('users', 'email', 'varchar(255)', { nullable: false, collation: 'utf8mb4_0900_ai_ci', comment: 'login' }),
    col('users', 'active', 'tinyint(1)', { columnDefault: '1' }),
    col('users', 'created', 'datetime', { columnDefault: 'CURRENT_TIMESTAMP', extra: 'DEFAULT_GENERATED' }),
    col('users', 'updated', 'datetime(3)', {
      columnDefault: 'CURRENT_TIMESTAMP(3)',
      extra: 'DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)',
    }),
    col('users', 'name', 'varchar(50)', { columnDefault: "it's" }),
    col('users', 'nick', 'varchar(10)', { columnDefault: 'NULL' }),
    col('users', 'token', 'varchar(36)', { columnDefault: 'uuid()', extra: 'DEFAULT_GENERATED' }),
    col('users', 'meta', 'json'),
    col('users', 'big', 'bigint unsigned', { columnDefault: '0' }),
    col('users', 'api_key', 'char(36)', { collation: 'utf8mb4_bin' }),
    col('orders', 'id', 'int', { nullable: false }),
    col('orders', 'user_id', 'int'),
    col('orders', 'total', 'decimal(10,2)', { columnDefault: '0.00' }),
    col('orders', 'legacy', 'datetime', { columnDefault: 'CURRENT_TIMESTAMP' }),
    col('orders', 'account_id', 'int'),
  ],
  indexes: [
    part('users', 'PRIMARY', 'id', { unique: true }),
    part('users', 'email', 'email', { unique: true }),
    part('users', 'users_lower_email', null, { unique: true, expression: 'lower(`email`)' }),
    part('users', 'users_mixed', 'name'),
    part('users', 'users_mixed', null, { expression: '(`id` + 1)' }),
    part('orders', 'PRIMARY', 'id', { unique: true }),
    part('orders', 'user_id', 'user_id'),
    part('orders', 'account_fk', 'account_id'),
  ],
  foreignKeys: [
    {
      tableName: 'orders',
      constraintName: 'orders_ibfk_1',
      columnName: 'user_id',
      referencedSchema: 'app',
      referencedTable: 'users',
      referencedColumn: 'id',
      updateRule: 'NO ACTION',
      deleteRule: 'CASCADE',
    },
    {
      tableName: 'orders',
      constraintName: 'account_fk',
      columnName: 'account_id',
      referencedSchema: 'billing',
      referencedTable: 'accounts',
      referencedColumn: 'id',
      updateRule: 'RESTRICT',
      deleteRule: 'SET NULL',
    },
  ],
  checks: [],
};

test('MySQL 8 rows: functional indexes, unquoted and generated defaults, other-schema references', (t) => {
  const [orders, users] = tablesFromCatalog(MYSQL8);
  const expectedUsers: Table = {
    name: 'users',
    schema: null,
    columns: [
      ID,
      column('email', { name: 'STRING', length: 255 }, { allowNull: false, comment: 'login' }),
      column('active', { name: 'BOOLEAN' }, { defaultValue: { kind: 'value', value: true } }),
      column('created', { name: 'DATE', precision: null }, { defaultValue: { kind: 'now' } }),
      column('updated', { name: 'DATE', precision: 3 }, { defaultValue: { kind: 'now' } }),
      column('name', { name: 'STRING', length: 50 }, { defaultValue: { kind: 'value', value: "it's" } }),
      column('nick', { name: 'STRING', length: 10 }, { defaultValue: { kind: 'value', value: 'NULL' } }),
      column('token', { name: 'STRING', length: 36 }, { defaultValue: { kind: 'sql', sql: 'uuid()' } }),
      column('meta', { name: 'JSON' }),
      column('big', { name: 'BIGINT', unsigned: true }, { defaultValue: { kind: 'value', value: 0 } }),
      column('api_key', { name: 'UUID' }),
    ],
    primaryKey: ['id'],
    indexes: [
      index('email', ['email'], true),
      { ...index('users_lower_email', [], true), expression: 'lower(`email`)' },
      // A key mixing a column and an expression is reported whole as an expression.
      { ...index('users_mixed', []), expression: '`name`, (`id` + 1)' },
    ],
    foreignKeys: [],
    comment: null,
  };
  t.deepEqual(users, expectedUsers);
  t.deepEqual(orders, {
    name: 'orders',
    schema: null,
    columns: [
      column('id', INT, { allowNull: false }),
      column('user_id', INT),
      column('total', { name: 'DECIMAL', precision: 10, scale: 2, unsigned: false }, { defaultValue: { kind: 'value', value: '0.00' } }),
      // MySQL 5.7 spells it without DEFAULT_GENERATED.
      column('legacy', { name: 'DATE', precision: null }, { defaultValue: { kind: 'now' } }),
      column('account_id', INT),
    ],
    primaryKey: ['id'],
    indexes: [index('user_id', ['user_id']), index('account_fk', ['account_id'])],
    foreignKeys: [
      foreignKey('orders_ibfk_1', ['user_id'], 'users', 'CASCADE', 'NO ACTION'),
      {
        ...foreignKey('account_fk', ['account_id'], 'accounts', 'SET NULL', 'RESTRICT'),
        referencedSchema: 'billing',
      },
    ],
    comment: 'customer orders',
  });
});

test('normalising MySQL 8 rows drops the foreign key indexes and canonicalises expressions', (t) => {
  const [orders, users] = tablesFromCatalog(MYSQL8).map(normalizeMysqlTable);
  t.deepEqual(orders?.indexes, []);
  t.deepEqual(
    orders?.foreignKeys.map((fk) => [fk.name, fk.onDelete, fk.onUpdate]),
    [
      ['account_fk', 'SET NULL', 'NO ACTION'],
      ['orders_ibfk_1', 'CASCADE', 'NO ACTION'],
    ],
  );
  t.deepEqual(
    users?.indexes.map((i) => [i.name, i.expression]),
    [
      ['users_lower_email', 'lower(`email`)'],
      ['users_mixed', '`name`, (`id` + 1)'],
      ['email', null],
    ],
  );
});

test('MariaDB rows: JSON is LONGTEXT with a json_valid check, on that table only', (t) => {
  const catalog: MysqlCatalog = {
    server: { version: '10.11.19-MariaDB-0+deb12u1', database: 'app', expressionColumn: false },
    tables: [
      { tableName: 'a', comment: '' },
      { tableName: 'b', comment: '' },
    ],
    columns: [
      col('a', 'doc', 'longtext', { collation: 'utf8mb4_bin', columnDefault: "'{}'" }),
      col('a', 'odd`name', 'longtext', { collation: 'utf8mb4_bin' }),
      col('b', 'doc', 'longtext', { collation: 'utf8mb4_bin', columnDefault: 'NULL' }),
    ],
    indexes: [],
    foreignKeys: [],
    checks: [
      { tableName: 'a', clause: 'json_valid(`doc`)' },
      { tableName: 'a', clause: 'json_valid(`odd``name`)' },
      { tableName: 'b', clause: 'octet_length(`doc`) < 100' },
    ],
  };
  const [a, b] = tablesFromCatalog(catalog);
  t.deepEqual(a?.columns, [
    column('doc', { name: 'JSON' }, { defaultValue: { kind: 'value', value: '{}' } }),
    column('odd`name', { name: 'JSON' }),
  ]);
  t.deepEqual(b?.columns, [column('doc', { name: 'TEXT', variant: 'long' })]);
});

test('excludeTables is exact and tables come sorted by code unit', (t) => {
  const names = (exclude: string[]) => tablesFromCatalog(MYSQL8, exclude).map((table) => table.name);
  t.deepEqual(names([]), ['orders', 'users']);
  t.deepEqual(names(['users']), ['orders']);
  t.deepEqual(names(['USERS']), ['orders', 'users']);
});

test('which servers quote literal defaults', (t) => {
  t.true(quotesDefaults('10.11.19-MariaDB-0+deb12u1'));
  t.true(quotesDefaults('11.4.2-MariaDB'));
  t.true(quotesDefaults('10.2.7-MariaDB'));
  t.false(quotesDefaults('10.2.6-MariaDB'));
  t.false(quotesDefaults('10.1.48-MariaDB'));
  t.false(quotesDefaults('8.0.36'));
  t.false(quotesDefaults('5.7.44-log'));
});
