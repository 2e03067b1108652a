import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataTypes, type ModelAttributes, type Sequelize } from 'sequelize';
import { createMigrator, type DataLossError } from '../../lib';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';

const V1: ModelAttributes = {
  title: { type: DataTypes.STRING(255) },
  fits: { type: DataTypes.STRING(255) },
  big: { type: DataTypes.BIGINT },
  code: { type: DataTypes.TEXT },
  note: { type: DataTypes.TEXT, allowNull: true },
  legacy: { type: DataTypes.STRING(50) },
};
const V2: ModelAttributes = {
  title: { type: DataTypes.STRING(10) },
  fits: { type: DataTypes.STRING(50) },
  big: { type: DataTypes.INTEGER },
  code: { type: DataTypes.INTEGER },
  note: { type: DataTypes.TEXT, allowNull: false },
};

function models(db: TestDatabase, attributes: ModelAttributes, logs: boolean): Sequelize {
  const sequelize = db.connect();
  sequelize.define('Item', attributes, { tableName: 'items', timestamps: false });
  if (logs) sequelize.define('Log', { line: DataTypes.STRING }, { tableName: 'old_logs', timestamps: false });
  sequelize.define('Empty', { x: DataTypes.STRING }, { tableName: 'empties', timestamps: false });
  return sequelize;
}

eachDialect('each kind of data loss is E_DATA_LOSS with its count and writes nothing; allowDataLoss writes it with the warnings', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const migrator = (s: Sequelize) => createMigrator({ sequelize: s, migrations: folder, logger: false, language: 'js' });
  const v1 = models(db, V1, true);
  await migrator(v1).generate('v1');
  await migrator(v1).upgrade();
  const q = (sql: string) => v1.query(db.dialect === 'mysql' ? sql.replace(/"/g, '`') : sql);
  await q(`INSERT INTO items (title, fits, big, code, note, legacy) VALUES
    ('a title longer than ten', 'short', 5000000000, 'abc', NULL, 'x'),
    ('short', 'short', 1, '12', NULL, 'y'),
    ('also longer than ten', NULL, 2, '7', 'kept', NULL)`);
  await q(`INSERT INTO old_logs (line) VALUES ('1'), ('2'), ('3'), ('4')`);
  const files = readdirSync(folder);

  const v2 = models(db, V2, false);
  const error = await rejectsWith<DataLossError>(t, migrator(v2).generate('lossy'), 'E_DATA_LOSS');
  t.deepEqual(readdirSync(folder), files, 'no file written');
  const found = error.risks.map((r) => `${r.kind} ${r.table}${r.column ? `.${r.column}` : ''} ${r.count}`).sort();
  // SQLite keeps any value in any column (https://www.sqlite.org/datatype3.html): a narrower
  // declared type destroys nothing there.
  const narrowed = db.dialect === 'sqlite' ? [] : ['narrowType items.big 1', 'narrowType items.code 1', 'narrowType items.title 2'];
  t.deepEqual(found, ['dropColumn items.legacy 2', 'dropTable old_logs 4', 'notNull items.note 2', ...narrowed].sort());
  for (const risk of error.risks) t.true(error.message.includes(risk.text), `the message lists "${risk.text}"`);
  t.false(found.some((f) => f.includes('fits') || f.includes('empties')), 'values that fit and empty tables are no risk');

  const written = await migrator(v2).generate('lossy', { allowDataLoss: true });
  t.truthy(written);
  t.deepEqual(written!.risks.map((r) => r.text).sort(), error.risks.map((r) => r.text).sort());
  const source = readFileSync(written!.path, 'utf8');
  for (const risk of written!.risks) {
    t.true(source.includes(`// WARNING (data loss): ${risk.text}`), `the file warns: ${risk.text}`);
  }
  t.regex(source, /drop table old_logs: 4 rows deleted/);
});

eachDialect('dropping empty tables and columns without values writes the migration without asking', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const migrator = (s: Sequelize) => createMigrator({ sequelize: s, migrations: folder, logger: false, language: 'js' });
  const v1 = models(db, V1, true);
  await migrator(v1).generate('v1');
  await migrator(v1).upgrade();
  // TEXT to INTEGER stays out: PostgreSQL wants a USING clause that changeColumn does not write.
  const v2 = { ...V2, code: { type: DataTypes.TEXT } };
  const result = await migrator(models(db, v2, false)).generate('drop empty things');
  t.truthy(result);
  t.deepEqual(result!.risks, []);
  await migrator(models(db, v2, false)).upgrade();
  t.deepEqual(await migrator(models(db, v2, false)).diff(), []);
});
