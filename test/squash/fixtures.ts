/** A short history with the usual moves (tables, a column added and renamed, an index, a foreign key, seed rows) for the squash tests. */
import type { Sequelize } from 'sequelize';
import type { Operation } from '../../types/operations';
import { dialectOf } from '../../lib/dialects';
import { diffSchemas } from '../../lib/diff/diff-schemas';

const cli = (up: string, down: string) => `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
${up}
  },
  async down(queryInterface, Sequelize) {
${down}
  },
};
`;

/** Four migrations the baseline replaces (the second writes a seed row), then one after them. */
export const HISTORY: Record<string, string> = {
  '20250101000001-users.js': cli(
    `    await queryInterface.createTable('users', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      name: { type: Sequelize.STRING(80), allowNull: false },
    });`,
    "    await queryInterface.dropTable('users');",
  ),
  '20250101000002-users-email.js': cli(
    `    await queryInterface.addColumn('users', 'mail', { type: Sequelize.STRING(120), allowNull: true });
    await queryInterface.addIndex('users', ['mail'], { name: 'users_mail', unique: true });
    await queryInterface.bulkInsert('users', [{ name: 'admin', mail: 'admin@example.com' }]);`,
    "    await queryInterface.removeIndex('users', 'users_mail');\n    await queryInterface.removeColumn('users', 'mail');",
  ),
  '20250101000003-posts.js': cli(
    `    await queryInterface.createTable('posts', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      userId: { type: Sequelize.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
      title: { type: Sequelize.STRING(200), allowNull: false, defaultValue: 'untitled' },
    });
    await queryInterface.addIndex('posts', ['userId', 'title'], { name: 'posts_user_title' });`,
    "    await queryInterface.dropTable('posts');",
  ),
  '20250101000004-rename-title.js': cli(
    "    await queryInterface.renameColumn('posts', 'title', 'headline');",
    "    await queryInterface.renameColumn('posts', 'headline', 'title');",
  ),
  '20250101000005-tags.js': cli(
    `    await queryInterface.createTable('tags', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      postId: { type: Sequelize.INTEGER, allowNull: true, references: { model: 'posts', key: 'id' } },
    });`,
    "    await queryInterface.dropTable('tags');",
  ),
};

export const REPLACED = Object.keys(HISTORY).slice(0, 4).map((f) => f.replace(/\.js$/, ''));
export const LAST_REPLACED = REPLACED[3];
export const BASELINE = `${LAST_REPLACED}_squashed`;

/** The operations that turn one database's schema into the other's: [] when they match. */
export async function schemaDiff(a: Sequelize, b: Sequelize): Promise<Operation[]> {
  const dialect = dialectOf(a);
  const ours = ['SequelizeMeta', 'SequelizeMeta_progress'];
  const [left, right] = await Promise.all([dialect.introspect(a, { excludeTables: ours }), dialect.introspect(b, { excludeTables: ours })]);
  const options = { capabilities: dialect.capabilities, normalize: (t: Parameters<typeof dialect.normalizeTable>[0]) => dialect.normalizeTable(t) };
  return diffSchemas(left, right, options).operations;
}
