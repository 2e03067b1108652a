import test from 'ava';
import type { ColumnType, Index, Table } from '../../types/schema';
import { normalizeMysqlTable, normalizeMysqlType } from '../../lib/dialects/mysql/mysql-normalize';
import { column, foreignKey, ID, index, INT } from './mysql-fixtures';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** A model-side (generic) table, the way lib/schema/from-models.ts writes one. */
const GENERIC: Table = {
  name: 'orders',
  schema: null,
  columns: [
    { name: 'id', type: { name: 'INTEGER' }, allowNull: false, defaultValue: null, autoIncrement: true, comment: null },
    { name: 'user_id', type: { name: 'INTEGER' }, allowNull: true, defaultValue: null, autoIncrement: false, comment: null },
    {
      name: 'total',
      type: { name: 'DECIMAL', precision: 10, scale: 2 },
      allowNull: true,
      defaultValue: { kind: 'value', value: 0 },
      autoIncrement: false,
      comment: '',
    },
    {
      name: 'notes',
      type: { name: 'TEXT', variant: null },
      allowNull: true,
      defaultValue: { kind: 'value', value: 'none' },
      autoIncrement: false,
      comment: null,
    },
    {
      name: 'label',
      type: { name: 'TEXT', variant: 'tiny' },
      allowNull: true,
      defaultValue: { kind: 'value', value: 'none' },
      autoIncrement: false,
      comment: null,
    },
    {
      name: 'doc',
      type: { name: 'JSON' },
      allowNull: true,
      defaultValue: { kind: 'value', value: '{}' },
      autoIncrement: false,
      comment: null,
    },
  ],
  primaryKey: ['id'],
  indexes: [
    { name: 'orders_total', columns: ['total'], unique: false, origin: 'index', where: null, using: 'BTREE' },
    { name: null, columns: ['label'], unique: true, origin: 'constraint' },
    { name: 'orders_ft', columns: ['notes'], unique: false, origin: 'index', where: null, using: 'fulltext' },
  ],
  foreignKeys: [
    {
      name: null,
      columns: ['user_id'],
      referencedTable: 'users',
      referencedSchema: null,
      referencedColumns: ['id'],
      onDelete: 'RESTRICT',
      onUpdate: 'CASCADE',
    },
  ],
  comment: '',
};

test('the generic model form becomes the canonical MySQL form', (t) => {
  t.deepEqual(normalizeMysqlTable(GENERIC), {
    name: 'orders',
    schema: null,
    columns: [
      ID,
      column('user_id', INT),
      column(
        'total',
        { name: 'DECIMAL', precision: 10, scale: 2, unsigned: false },
        { defaultValue: { kind: 'value', value: '0.00' } },
      ),
      // Sequelize never writes a DEFAULT for TEXT and JSON on MySQL; TINYTEXT keeps it.
      column('notes', { name: 'TEXT', variant: null }),
      column('label', { name: 'TEXT', variant: 'tiny' }, { defaultValue: { kind: 'value', value: 'none' } }),
      column('doc', { name: 'JSON' }),
    ],
    primaryKey: ['id'],
    indexes: [
      // A UNIQUE constraint is a unique index on MySQL: one origin.
      { ...index('x', ['label'], true), name: null },
      index('orders_ft', ['notes'], false, 'FULLTEXT'),
      index('orders_total', ['total']),
    ],
    foreignKeys: [foreignKey(null, ['user_id'], 'users', 'NO ACTION', 'CASCADE')],
    comment: null,
  });
});

test('normalising is pure and idempotent', (t) => {
  const frozen = deepFreeze(structuredClone(GENERIC));
  const once = normalizeMysqlTable(frozen);
  t.deepEqual(frozen, GENERIC);
  t.deepEqual(normalizeMysqlTable(once), once);
});

test("InnoDB's foreign key indexes are dropped, other indexes on those columns are kept", (t) => {
  const table = (indexes: Index[]): Table => ({
    ...GENERIC,
    indexes,
    foreignKeys: [
      foreignKey('fk_named', ['a'], 'x', 'CASCADE', 'CASCADE'),
      foreignKey('t_ibfk_2', ['b', 'c'], 'y', 'CASCADE', 'CASCADE'),
    ],
  });
  const kept = (indexes: Index[]) => normalizeMysqlTable(table(indexes)).indexes.map((i) => i.name);
  // Named after the constraint, or after the key's first column: the server's.
  t.deepEqual(kept([index('fk_named', ['a']), index('b', ['b', 'c'])]), []);
  t.deepEqual(kept([index('a', ['a'])]), []);
  // Anything else is the schema's own: another name, unique, more or fewer columns.
  t.deepEqual(kept([index('t_a_idx', ['a'])]), ['t_a_idx']);
  t.deepEqual(kept([index('a', ['a'], true)]), ['a']);
  t.deepEqual(kept([index('b', ['b'])]), ['b']);
  t.deepEqual(kept([index('a', ['a', 'b'])]), ['a']);
  t.deepEqual(kept([index('c', ['b', 'c'])]), ['c']);
});

test('indexes and foreign keys sort by columns, then name', (t) => {
  const normalized = normalizeMysqlTable({
    ...GENERIC,
    indexes: [index('z', ['b']), index('y', ['a', 'b']), index('x', ['a']), index('w', ['b'])],
    foreignKeys: [
      foreignKey('k2', ['user_id'], 'users', 'CASCADE', 'CASCADE'),
      foreignKey('k1', ['total'], 'users', 'CASCADE', 'CASCADE'),
    ],
  });
  t.deepEqual(
    normalized.indexes.map((i) => i.name),
    ['x', 'y', 'w', 'z'],
  );
  t.deepEqual(
    normalized.foreignKeys.map((fk) => fk.name),
    ['k1', 'k2'],
  );
});

test('primary key columns are NOT NULL, autoincrement columns have no default', (t) => {
  const normalized = normalizeMysqlTable({
    ...GENERIC,
    columns: [column('id', INT, { allowNull: true, autoIncrement: true, defaultValue: { kind: 'value', value: 1 } })],
    primaryKey: ['id'],
  });
  t.deepEqual(normalized.columns, [column('id', INT, { allowNull: false, autoIncrement: true })]);
});

test('expression indexes compare by their canonical spelling', (t) => {
  const a = normalizeMysqlTable({ ...GENERIC, indexes: [{ ...index('e', [], true), expression: 'LOWER( `email` )' }] });
  const b = normalizeMysqlTable({ ...GENERIC, indexes: [{ ...index('e', [], true), expression: '(lower(`email`))' }] });
  t.deepEqual(a.indexes, b.indexes);
  t.is(a.indexes[0]?.expression, 'lower(`email`)');
});

const TYPES: readonly [ColumnType, ColumnType][] = [
  [{ name: 'STRING' }, { name: 'STRING', length: 255 }],
  [{ name: 'CHAR', length: 2 }, { name: 'CHAR', length: 2 }],
  [{ name: 'INTEGER' }, { name: 'INTEGER', unsigned: false }],
  [{ name: 'BIGINT', unsigned: true }, { name: 'BIGINT', unsigned: true }],
  [{ name: 'DECIMAL', precision: null, scale: null }, { name: 'DECIMAL', precision: 10, scale: 0, unsigned: false }],
  [{ name: 'DECIMAL', precision: 8, scale: null }, { name: 'DECIMAL', precision: 8, scale: 0, unsigned: false }],
  [{ name: 'REAL', precision: null, scale: null }, { name: 'DOUBLE', precision: null, scale: null, unsigned: false }],
  [{ name: 'REAL', precision: 10, scale: 2 }, { name: 'DOUBLE', precision: 10, scale: 2, unsigned: false }],
  // FLOAT(p): FLOAT up to 24 bits of precision, DOUBLE above; p itself is not kept.
  [{ name: 'FLOAT', precision: 10, scale: null }, { name: 'FLOAT', precision: null, scale: null, unsigned: false }],
  [{ name: 'FLOAT', precision: 30, scale: null }, { name: 'DOUBLE', precision: null, scale: null, unsigned: false }],
  [{ name: 'DATE', precision: 0 }, { name: 'DATE', precision: null }],
  [{ name: 'TIME' }, { name: 'TIME', precision: null }],
  [{ name: 'JSONB' }, { name: 'JSON' }],
  [{ name: 'TEXT', variant: 'LONG' }, { name: 'TEXT', variant: 'long' }],
  [{ name: 'ENUM', values: ['a'], enumName: 'enum_t_c' }, { name: 'ENUM', values: ['a'], enumName: null }],
  // RAW types MySQL knows by a Sequelize name become that type; the rest stay RAW, lower-cased.
  [{ name: 'RAW', raw: 'VARCHAR(20)' }, { name: 'STRING', length: 20 }],
  [{ name: 'RAW', raw: 'CHAR(36) BINARY' }, { name: 'UUID' }],
  [{ name: 'RAW', raw: 'INT(11) UNSIGNED' }, { name: 'INTEGER', unsigned: true }],
  [{ name: 'RAW', raw: 'GEOMETRY' }, { name: 'RAW', raw: 'geometry' }],
  [{ name: 'RAW', raw: 'year(4)' }, { name: 'RAW', raw: 'year' }],
];

for (const [input, expected] of TYPES) {
  test(`type ${JSON.stringify(input)}`, (t) => {
    t.deepEqual(normalizeMysqlType(input), expected);
    t.deepEqual(normalizeMysqlType(expected), expected);
  });
}
