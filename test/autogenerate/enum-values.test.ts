import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataTypes, QueryTypes, type Sequelize } from 'sequelize';
import { createMigrator, type MigrationFailedError } from '../../lib';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';

const REPO = resolve(__dirname, '..', '..');

function models(db: TestDatabase, values: string[]): Sequelize {
  const sequelize = db.connect();
  sequelize.define('Item', { state: { type: DataTypes.ENUM(...values), allowNull: false, defaultValue: 'draft' } }, { tableName: 'items', timestamps: false });
  return sequelize;
}

const labels = async (s: Sequelize) =>
  (
    await s.query<{ label: string }>(
      "SELECT e.enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'enum_items_state' ORDER BY e.enumsortorder",
      { type: QueryTypes.SELECT },
    )
  ).map((r) => r.label);

eachDialect(
  'an enum value added: up is idempotent, down removes it (refused while a row holds it), up runs again',
  async (t, db) => {
    // Generated migrations load the library's helper as an application would: from node_modules.
    mkdirSync(join(db.dir, 'node_modules'), { recursive: true });
    symlinkSync(REPO, join(db.dir, 'node_modules', 'sequelize-automigrate'), 'dir');
    const folder = join(db.dir, 'migrations');
    const migrator = (s: Sequelize) => createMigrator({ sequelize: s, migrations: folder, logger: false, language: 'js' });
    const v1 = models(db, ['draft', 'live']);
    await migrator(v1).generate('v1');
    await migrator(v1).upgrade();
    const v2 = models(db, ['draft', 'live', 'archived']);
    const added = await migrator(v2).generate('archived');
    t.regex(readFileSync(added!.path, 'utf8'), /ADD VALUE IF NOT EXISTS 'archived' AFTER 'live'/);
    await migrator(v2).upgrade();
    t.deepEqual(await labels(v2), ['draft', 'live', 'archived']);
    await v2.query(`INSERT INTO items (state) VALUES ('live'), ('archived')`);

    const refused = await rejectsWith<MigrationFailedError>(t, migrator(v2).downgrade(), 'E_MIGRATION_FAILED');
    const cause = refused.cause as { code?: string; message?: string };
    t.is(cause.code, 'E_ENUM_VALUE_IN_USE');
    t.regex(cause.message ?? '', /items\.state: 1 row\(s\) \(id 2\)/);
    t.deepEqual(await labels(v2), ['draft', 'live', 'archived'], 'nothing changed');

    await v2.query(`DELETE FROM items WHERE state = 'archived'`);
    await migrator(v2).downgrade();
    t.deepEqual(await labels(v1), ['draft', 'live'], 'down removed the value');
    t.deepEqual(await migrator(v1).diff(), [], 'and matches v1 again');
    await v1.query('INSERT INTO items DEFAULT VALUES');
    const states = await v1.query<{ state: string }>('SELECT state FROM items ORDER BY id', { type: QueryTypes.SELECT });
    t.deepEqual(states.map((r) => r.state), ['live', 'draft'], 'rows and the default survive the new type');

    await migrator(v2).upgrade();
    t.deepEqual(await labels(v2), ['draft', 'live', 'archived'], 'up runs again');
    t.deepEqual(await migrator(v2).diff(), []);
  },
  { dialects: ['postgres'] },
);
