/**
 * Defaults and keys that used to read as drift right after the migration that created them, or
 * needed a second migration to converge.
 */
import { join } from 'node:path';
import { DataTypes, Op, Sequelize, type ModelAttributes } from 'sequelize';
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

/** Items that belong to parents (v1), then keep the column without its foreign key (v2). */
function withParent(db: TestDatabase, foreignKey: boolean) {
  const sequelize = db.connect();
  const Parent = sequelize.define('Parent', { name: DataTypes.STRING }, { tableName: 'parents', timestamps: false });
  const Item = sequelize.define('Item', { parentId: { type: DataTypes.INTEGER, allowNull: true } }, { tableName: 'items', timestamps: false });
  if (foreignKey) Item.belongsTo(Parent, { foreignKey: 'parentId', onDelete: 'CASCADE' });
  return createMigrator({ sequelize, migrations: join(db.dir, 'migrations'), logger: false, language: 'js' });
}

eachDialect('removing a foreign key reaches an empty diff in one migration (MySQL drops the index it made), and down restores it', async (t, db) => {
  await withParent(db, true).generate('v1');
  await withParent(db, true).upgrade();
  t.truthy(await withParent(db, false).generate('no key'));
  await withParent(db, false).upgrade();
  t.deepEqual(await withParent(db, false).diff(), [], 'one migration is enough');
  await withParent(db, false).downgrade();
  t.deepEqual(await withParent(db, true).diff(), [], 'down puts the key (and its index) back');
});

eachDialect('autoIncrement added to an existing key column: ids continue after the rows there, down and up again', async (t, db) => {
  const version = (autoIncrement: boolean) =>
    migratorFor(db, { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement }, label: { type: DataTypes.STRING } });
  await version(false).generate('v1');
  await version(false).upgrade();
  await db.sequelize.query("INSERT INTO items (id, label) VALUES (1, 'a'), (7, 'b')");
  t.truthy(await version(true).generate('auto ids'));
  await version(true).upgrade();
  t.deepEqual(await version(true).diff(), []);
  await db.sequelize.query("INSERT INTO items (label) VALUES ('c')");
  const [rows] = await db.sequelize.query("SELECT id FROM items WHERE label = 'c'");
  t.deepEqual((rows as { id: number }[]).map((r) => Number(r.id)), [8], 'the next id follows the rows already there');
  await version(true).downgrade();
  t.deepEqual(await version(false).diff(), []);
  await version(true).upgrade();
  t.deepEqual(await version(true).diff(), [], 'up runs again after down');
});

eachDialect(
  'SQLite partial-index predicates compare equal whatever their quoting, case and spacing',
  async (t, db) => {
    const sequelize = db.connect();
    sequelize.define(
      'Item',
      { label: DataTypes.STRING, deletedAt: DataTypes.DATE, rank: DataTypes.INTEGER },
      {
        tableName: 'items',
        timestamps: false,
        indexes: [
          { name: 'items_live', fields: ['label'], where: { deletedAt: null } },
          { name: 'items_top', fields: ['rank'], where: { rank: { [Op.gt]: 10 }, label: { [Op.ne]: 'x' } } },
        ],
      },
    );
    const migrator = createMigrator({ sequelize, migrations: join(db.dir, 'migrations'), logger: false });
    await sequelize.sync();
    await sequelize.query('DROP INDEX items_live');
    await sequelize.query('DROP INDEX items_top');
    await sequelize.query('CREATE INDEX items_live ON items (label) WHERE deletedAt   is NULL');
    await sequelize.query("CREATE INDEX items_top ON items (rank) WHERE ((`rank` > 10) and [label] != 'x')");
    t.deepEqual(await migrator.diff(), []);
  },
  { dialects: ['sqlite'] },
);
