'use strict';
// The demo: an application whose boot applies its migrations, on SQLite.
// Run it with `npm run demo` (it builds the library first). It boots twice: the first boot
// applies two migrations, the second finds nothing to do and costs one query.
const { rmSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { Sequelize, DataTypes } = require('sequelize');
const { autoMigrate, createMigrator } = require('../../dist/lib');

const dataDir = join(__dirname, '.data');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

function defineModels(sequelize) {
  const User = sequelize.define('User', {
    email: { type: DataTypes.STRING, allowNull: false, unique: true },
    name: { type: DataTypes.STRING, allowNull: true },
  }, { tableName: 'users' });
  const Post = sequelize.define('Post', {
    title: { type: DataTypes.STRING(200), allowNull: false },
    body: { type: DataTypes.TEXT, allowNull: true },
  }, { tableName: 'posts' });
  Post.belongsTo(User, { foreignKey: { name: 'userId', allowNull: false }, onDelete: 'CASCADE' });
  return { User, Post };
}

async function boot(n) {
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: join(dataDir, 'app.sqlite'), logging: false });
  defineModels(sequelize);
  const started = Date.now();
  const { applied, drift } = await autoMigrate({
    sequelize,
    migrations: join(__dirname, 'migrations'),
    logger: { info: (m) => console.log(`    ${m}`), warn: (m) => console.warn(`    warning: ${m}`), error: console.error },
  });
  console.log(`boot ${n}: applied ${applied.length} migration(s) in ${Date.now() - started} ms; drift: ${drift.length} difference(s)`);
  const status = await createMigrator({ sequelize, migrations: join(__dirname, 'migrations'), logger: false }).status();
  console.log(`        current: ${status.current}, pending: ${status.pending.length}`);
  await sequelize.close();
}

(async () => {
  await boot(1);
  await boot(2);
})().catch((error) => {
  console.error(`demo failed: ${error.message}`);
  process.exitCode = 1;
});
