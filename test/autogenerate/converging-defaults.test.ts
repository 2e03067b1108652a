/**
 * Defaults and keys that used to read as drift right after the migration that created them, or
 * needed a second migration to converge.
 */
import { join } from 'node:path';
import { DataTypes, Sequelize, type ModelAttributes } from 'sequelize';
import { createMigrator } from '../../lib';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';

function migratorFor(db: TestDatabase, attributes: ModelAttributes) {
  const sequelize = db.connect();
  sequelize.define('Item', attributes, { tableName: 'items', timestamps: false });
  return createMigrator({ sequelize, migrations: join(db.dir, 'migrations'), logger: false, language: 'js' });
}

eachDialect(
  'PostgreSQL array defaults and expression defaults read back equal to the models',
  async (t, db) => {
    const attributes: ModelAttributes = {
      tags: { type: DataTypes.ARRAY(DataTypes.STRING), allowNull: false, defaultValue: [] },
      scores: { type: DataTypes.ARRAY(DataTypes.INTEGER), allowNull: false, defaultValue: [1, 2] },
      labels: { type: DataTypes.ARRAY(DataTypes.TEXT), defaultValue: ['a', "b'c"] },
      code: { type: DataTypes.STRING, defaultValue: Sequelize.literal("UPPER('x' || 'y')") },
      due: { type: DataTypes.DATE, defaultValue: Sequelize.literal("NOW() + INTERVAL '1 day'") },
    };
    const migrator = migratorFor(db, attributes);
    await migrator.generate('items');
    await migrator.upgrade();
    t.deepEqual(await migrator.diff(), []);
  },
  { dialects: ['postgres'] },
);
