import { DataTypes, QueryTypes, Sequelize } from 'sequelize';
import type { Table } from '../../types/schema';
import { introspectMysql } from '../../lib/dialects/mysql/mysql-introspect';
import { normalizeMysqlTable } from '../../lib/dialects/mysql/mysql-normalize';
import { schemaFromModels } from '../../lib/schema/from-models';
import { eachDialect } from '../helpers/each-dialect';
import { adoptDatabaseNames, column, foreignKey, ID, index, INT, tableNamed } from './mysql-fixtures';

const mysqlOnly = { dialects: ['mysql'] as const };

/** MySQL's own spellings, display widths and synonyms included. */
const RAW_ACCOUNTS = `CREATE TABLE accounts (
  id INT(11) NOT NULL AUTO_INCREMENT,
  handle CHARACTER VARYING(40) NOT NULL COMMENT 'public name',
  code NATIONAL CHAR(3),
  flag TINYINT(1) NOT NULL DEFAULT '1',
  flag2 BOOL DEFAULT FALSE,
  small SMALLINT(6) UNSIGNED,
  mid MEDIUMINT(9),
  big BIGINT(20) DEFAULT '42',
  amount NUMERIC(12,3) DEFAULT '1.5',
  price DEC(8),
  ratio REAL,
  weight DOUBLE PRECISION,
  f FLOAT(7,3),
  note LONGTEXT,
  data JSON,
  payload MEDIUMBLOB,
  at DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6),
  day DATE DEFAULT '2020-01-01',
  tm TIME,
  uid CHAR(36) BINARY,
  kind ENUM('a','b') DEFAULT 'a',
  PRIMARY KEY (id),
  UNIQUE KEY accounts_handle_code (handle, code)
) COMMENT='raw accounts'`;

const RAW_ENTRIES = `CREATE TABLE entries (
  id INTEGER PRIMARY KEY AUTO_INCREMENT,
  account_id INT,
  CONSTRAINT entries_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE RESTRICT
)`;

/** The same tables as models (never synced: the raw SQL above made them). */
function defineEquivalentModels(sequelize: Sequelize): void {
  const Account = sequelize.define(
    'Account',
    {
      handle: { type: DataTypes.STRING(40), allowNull: false, comment: 'public name' },
      code: DataTypes.CHAR(3),
      flag: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      flag2: { type: DataTypes.BOOLEAN, defaultValue: false },
      small: DataTypes.SMALLINT.UNSIGNED,
      mid: DataTypes.MEDIUMINT,
      big: { type: DataTypes.BIGINT, defaultValue: 42 },
      amount: { type: DataTypes.DECIMAL(12, 3), defaultValue: 1.5 },
      price: DataTypes.DECIMAL(8),
      ratio: DataTypes.REAL,
      weight: DataTypes.DOUBLE,
      f: DataTypes.FLOAT(7, 3),
      note: DataTypes.TEXT('long'),
      data: DataTypes.JSON,
      payload: DataTypes.BLOB('medium'),
      at: { type: DataTypes.DATE(6), defaultValue: Sequelize.literal('CURRENT_TIMESTAMP(6)') },
      day: { type: DataTypes.DATEONLY, defaultValue: '2020-01-01' },
      tm: DataTypes.TIME,
      uid: DataTypes.UUID,
      kind: { type: DataTypes.ENUM('a', 'b'), defaultValue: 'a' },
    },
    {
      tableName: 'accounts',
      timestamps: false,
      comment: 'raw accounts',
      indexes: [{ name: 'accounts_handle_code', unique: true, fields: ['handle', 'code'] }],
    },
  );
  const Entry = sequelize.define('Entry', {}, { tableName: 'entries', timestamps: false });
  Entry.belongsTo(Account, { foreignKey: 'account_id', onDelete: 'RESTRICT', onUpdate: 'NO ACTION' });
}

const EXPECTED_ACCOUNTS: Table = {
  name: 'accounts',
  schema: null,
  columns: [
    ID,
    column('handle', { name: 'STRING', length: 40 }, { allowNull: false, comment: 'public name' }),
    column('code', { name: 'CHAR', length: 3 }),
    column('flag', { name: 'BOOLEAN' }, { allowNull: false, defaultValue: { kind: 'value', value: true } }),
    column('flag2', { name: 'BOOLEAN' }, { defaultValue: { kind: 'value', value: false } }),
    column('small', { name: 'SMALLINT', unsigned: true }),
    column('mid', { name: 'MEDIUMINT', unsigned: false }),
    column('big', { name: 'BIGINT', unsigned: false }, { defaultValue: { kind: 'value', value: 42 } }),
    column(
      'amount',
      { name: 'DECIMAL', precision: 12, scale: 3, unsigned: false },
      { defaultValue: { kind: 'value', value: '1.500' } },
    ),
    column('price', { name: 'DECIMAL', precision: 8, scale: 0, unsigned: false }),
    column('ratio', { name: 'DOUBLE', precision: null, scale: null, unsigned: false }),
    column('weight', { name: 'DOUBLE', precision: null, scale: null, unsigned: false }),
    column('f', { name: 'FLOAT', precision: 7, scale: 3, unsigned: false }),
    column('note', { name: 'TEXT', variant: 'long' }),
    column('data', { name: 'JSON' }),
    column('payload', { name: 'BLOB', variant: 'medium' }),
    column('at', { name: 'DATE', precision: 6 }, { defaultValue: { kind: 'now' } }),
    column('day', { name: 'DATEONLY' }, { defaultValue: { kind: 'value', value: '2020-01-01' } }),
    column('tm', { name: 'TIME', precision: null }),
    column('uid', { name: 'UUID' }),
    column('kind', { name: 'ENUM', values: ['a', 'b'], enumName: null }, { defaultValue: { kind: 'value', value: 'a' } }),
  ],
  primaryKey: ['id'],
  indexes: [index('accounts_handle_code', ['handle', 'code'], true)],
  foreignKeys: [],
  comment: 'raw accounts',
};

eachDialect(
  "tables created in MySQL's own spellings normalise like the equivalent models",
  async (t, db) => {
    await db.sequelize.query(RAW_ACCOUNTS);
    await db.sequelize.query(RAW_ENTRIES);
    defineEquivalentModels(db.sequelize);
    const live = await introspectMysql(db.sequelize);
    const accounts = normalizeMysqlTable(tableNamed(live, 'accounts'));
    t.deepEqual(accounts, EXPECTED_ACCOUNTS);
    const entries = normalizeMysqlTable(tableNamed(live, 'entries'));
    t.deepEqual(entries, {
      name: 'entries',
      schema: null,
      columns: [ID, column('account_id', INT)],
      primaryKey: ['id'],
      // `entries_account_fk`, the index InnoDB named after the constraint, is not drift.
      indexes: [],
      // RESTRICT and an unspecified ON UPDATE (reported RESTRICT) are NO ACTION on InnoDB.
      foreignKeys: [foreignKey('entries_account_fk', ['account_id'], 'accounts', 'NO ACTION', 'NO ACTION')],
      comment: null,
    });
    t.deepEqual(
      tableNamed(live, 'entries').indexes.map((i) => i.name),
      ['entries_account_fk'],
    );
    const models = schemaFromModels(db.sequelize);
    for (const model of models.tables) {
      const normalizedLive = normalizeMysqlTable(tableNamed(live, model.name));
      t.deepEqual(adoptDatabaseNames(normalizeMysqlTable(model), normalizedLive), normalizedLive, model.name);
    }
  },
  mysqlOnly,
);

eachDialect(
  'MariaDB default spellings: escaped strings, expressions, NULL, bit and datetime literals',
  async (t, db) => {
    await db.sequelize.query(`CREATE TABLE quirks (
      q VARCHAR(20) DEFAULT 'it''s \\\\ x',
      word VARCHAR(10) DEFAULT 'NULL',
      nothing VARCHAR(10) DEFAULT NULL,
      required VARCHAR(10) NOT NULL,
      ex VARCHAR(40) DEFAULT (UUID()),
      b BIT(1) DEFAULT b'1',
      d DATETIME DEFAULT '2020-01-01',
      t TIME(3) DEFAULT '10:00',
      y YEAR,
      e ENUM('a''b', 'c,d') DEFAULT 'a''b',
      ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
    )`);
    const live = await introspectMysql(db.sequelize);
    const byName = new Map(tableNamed(live, 'quirks').columns.map((c) => [c.name, c]));
    t.deepEqual(byName.get('q')?.defaultValue, { kind: 'value', value: "it's \\ x" });
    t.deepEqual(byName.get('word')?.defaultValue, { kind: 'value', value: 'NULL' });
    t.is(byName.get('nothing')?.defaultValue, null);
    t.is(byName.get('required')?.defaultValue, null);
    t.deepEqual(byName.get('ex')?.defaultValue, { kind: 'sql', sql: 'uuid()' });
    t.deepEqual(byName.get('b')?.type, { name: 'RAW', raw: 'bit(1)' });
    t.deepEqual(byName.get('b')?.defaultValue, { kind: 'sql', sql: "b'1'" });
    t.deepEqual(byName.get('d')?.defaultValue, { kind: 'value', value: '2020-01-01 00:00:00' });
    t.deepEqual(byName.get('t')?.defaultValue, { kind: 'value', value: '10:00:00.000' });
    t.deepEqual(normalizeMysqlTable(tableNamed(live, 'quirks')).columns[8]?.type, { name: 'RAW', raw: 'year' });
    t.deepEqual(byName.get('e')?.type, { name: 'ENUM', values: ["a'b", 'c,d'], enumName: null });
    t.deepEqual(byName.get('e')?.defaultValue, { kind: 'value', value: "a'b" });
    t.deepEqual(byName.get('ts')?.type, { name: 'RAW', raw: 'timestamp' });
    t.deepEqual(byName.get('ts')?.defaultValue, { kind: 'now' });
  },
  mysqlOnly,
);

eachDialect(
  'an expression index does not crash introspection and is reported',
  async (t, db) => {
    await db.sequelize.query(
      'CREATE TABLE people (id INT PRIMARY KEY, email VARCHAR(100), email_lower VARCHAR(100) AS (lower(email)) VIRTUAL)',
    );
    const probe = await db.sequelize.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = 'STATISTICS' AND COLUMN_NAME = 'EXPRESSION'`,
      { type: QueryTypes.SELECT, raw: true },
    );
    const functional = Number(probe[0]?.n) > 0;
    // MariaDB has no functional key parts: it indexes an expression through a virtual column.
    // MySQL 8.0.13+ takes the expression itself (the pure catalog tests cover its rows too).
    await db.sequelize.query(
      functional
        ? 'CREATE UNIQUE INDEX people_lower_email ON people ((lower(email)))'
        : 'CREATE UNIQUE INDEX people_lower_email ON people (email_lower)',
    );
    await db.sequelize.query('CREATE INDEX people_email ON people (email)');
    const live = await introspectMysql(db.sequelize);
    const people = normalizeMysqlTable(tableNamed(live, 'people'));
    const expected = functional
      ? { ...index('people_lower_email', [], true), expression: 'lower(`email`)' }
      : index('people_lower_email', ['email_lower'], true);
    t.deepEqual(people.indexes, [
      ...(functional ? [expected] : []),
      index('people_email', ['email']),
      ...(functional ? [] : [expected]),
    ]);
    t.deepEqual(
      people.columns.map((c) => c.name),
      ['id', 'email', 'email_lower'],
    );
  },
  mysqlOnly,
);

/** Tables t<from>..t<to - 1>, each with a foreign key to the previous one, an index and a unique key. */
async function createTables(sequelize: Sequelize, to: number, from = 0): Promise<void> {
  for (let i = from; i < to; i += 1) {
    const fk = i === 0 ? '' : `, prev_id INT, FOREIGN KEY (prev_id) REFERENCES t${i - 1} (id) ON DELETE CASCADE`;
    await sequelize.query(
      `CREATE TABLE t${i} (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(20) DEFAULT 'x', code INT,
        UNIQUE KEY t${i}_code (code), KEY t${i}_name (name)${fk}) COMMENT 'table ${i}'`,
    );
  }
}

async function countQueries(db: { connect(extra?: object): Sequelize }): Promise<{ queries: number; tables: number }> {
  let queries = 0;
  const counting = db.connect({ logging: () => (queries += 1) });
  const schema = await introspectMysql(counting);
  return { queries, tables: schema.tables.length };
}

eachDialect(
  'the query count does not depend on the number of tables',
  async (t, db) => {
    await createTables(db.sequelize, 3);
    const small = await countQueries(db);
    t.is(small.tables, 3);
    await createTables(db.sequelize, 60, 3);
    const large = await countQueries(db);
    t.is(large.tables, 60);
    t.is(large.queries, small.queries);
    t.true(small.queries <= 10, `${small.queries} queries`);
  },
  mysqlOnly,
);

eachDialect(
  'excludeTables leaves tables out, compared case-sensitively',
  async (t, db) => {
    await createTables(db.sequelize, 2);
    await db.sequelize.query('CREATE TABLE `SequelizeMeta` (name VARCHAR(255) NOT NULL PRIMARY KEY)');
    const all = await introspectMysql(db.sequelize);
    t.deepEqual(
      all.tables.map((table) => table.name),
      ['SequelizeMeta', 't0', 't1'],
    );
    const excluded = await introspectMysql(db.sequelize, { excludeTables: ['SequelizeMeta', 't1'] });
    t.deepEqual(
      excluded.tables.map((table) => table.name),
      ['t0'],
    );
    const otherCase = await introspectMysql(db.sequelize, { excludeTables: ['sequelizemeta'] });
    t.deepEqual(
      otherCase.tables.map((table) => table.name),
      ['SequelizeMeta', 't0', 't1'],
    );
  },
  mysqlOnly,
);
