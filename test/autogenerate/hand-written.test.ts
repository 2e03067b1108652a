import { join } from 'node:path';
import { DataTypes, type Sequelize } from 'sequelize';
import { createMigrator, type Operation } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { writeMigrations } from '../helpers/migrations';

/** Migrations as a Sequelize user writes them by hand with sequelize-cli (`npx sequelize-cli migration:generate`). */
const handWritten = {
  '20230101000000-create-user.js': `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('Users', {
      id: { allowNull: false, autoIncrement: true, primaryKey: true, type: Sequelize.INTEGER },
      email: { type: Sequelize.STRING, allowNull: false, unique: true },
      firstName: { type: Sequelize.STRING },
      isAdmin: { type: Sequelize.BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: { allowNull: false, type: Sequelize.DATE },
      updatedAt: { allowNull: false, type: Sequelize.DATE },
    });
  },
  async down(queryInterface) { await queryInterface.dropTable('Users'); },
};`,
  '20230102000000-create-post.js': `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('Posts', {
      id: { allowNull: false, autoIncrement: true, primaryKey: true, type: Sequelize.INTEGER },
      title: { type: Sequelize.STRING(150), allowNull: false },
      price: { type: Sequelize.DECIMAL(10, 2), allowNull: false, defaultValue: 0 },
      UserId: { type: Sequelize.INTEGER, allowNull: true, references: { model: 'Users', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'SET NULL' },
      createdAt: { allowNull: false, type: Sequelize.DATE },
      updatedAt: { allowNull: false, type: Sequelize.DATE },
    });
    await queryInterface.addIndex('Posts', ['title']);
  },
  async down(queryInterface) { await queryInterface.dropTable('Posts'); },
};`,
};

function models(sequelize: Sequelize, extra: boolean): void {
  const User = sequelize.define('User', {
    email: { type: DataTypes.STRING, allowNull: false, unique: true },
    firstName: DataTypes.STRING,
    isAdmin: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    ...(extra ? { lastName: { type: DataTypes.STRING(80), allowNull: true } } : {}),
  });
  const Post = sequelize.define(
    'Post',
    { title: { type: DataTypes.STRING(150), allowNull: false }, price: { type: DataTypes.DECIMAL(10, 2), allowNull: false, defaultValue: 0 } },
    { indexes: [{ fields: ['title'] }] },
  );
  Post.belongsTo(User);
  User.hasMany(Post);
}

eachDialect('a schema built by hand-written sequelize-cli migrations shows only the drift that is really there', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), handWritten);
  await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).upgrade();

  const same = db.connect();
  models(same, false);
  t.deepEqual(await createMigrator({ sequelize: same, migrations: folder, logger: false }).diff(), [], 'models matching the migrations: no drift');

  const more = db.connect();
  models(more, true);
  const drift: Operation[] = await createMigrator({ sequelize: more, migrations: folder, logger: false }).diff();
  t.is(drift.length, 1, JSON.stringify(drift));
  t.like(drift[0], { kind: 'addColumn', table: { name: 'Users' }, column: { name: 'lastName', allowNull: true } });
});
