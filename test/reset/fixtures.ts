/** Migrations and small helpers shared by the reset() tests. */
import { join } from 'node:path';
import type { Sequelize } from 'sequelize';
import { writeMigrations } from '../helpers/migrations';

const users = `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('users', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      email: { type: Sequelize.STRING(100), allowNull: false, unique: true },
    });
  },
  async down(queryInterface) { await queryInterface.dropTable('users'); },
};
`;

// RESTRICT: deleting a user before its posts fails at once, deferred checks or not.
const posts = `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('posts', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      userId: { type: Sequelize.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'RESTRICT', onUpdate: 'CASCADE' },
      status: { type: Sequelize.ENUM('draft', 'published'), allowNull: false, defaultValue: 'draft' },
      title: { type: Sequelize.STRING, allowNull: true },
    });
    await queryInterface.addIndex('posts', ['userId', 'status'], { name: 'posts_user_status' });
  },
  async down(queryInterface) { await queryInterface.dropTable('posts'); },
};
`;

// Seeds a row: reset() empties seeded rows too.
const tags = `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('tags', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      name: { type: Sequelize.STRING, allowNull: false },
    });
    await queryInterface.bulkInsert('tags', [{ name: 'seeded' }]);
  },
  async down(queryInterface) { await queryInterface.dropTable('tags'); },
};
`;

// No auto-increment column: a composite key of two references.
const postTags = `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('post_tags', {
      postId: { type: Sequelize.INTEGER, primaryKey: true, allowNull: false, references: { model: 'posts', key: 'id' }, onDelete: 'CASCADE' },
      tagId: { type: Sequelize.INTEGER, primaryKey: true, allowNull: false, references: { model: 'tags', key: 'id' }, onDelete: 'RESTRICT' },
    });
  },
  async down(queryInterface) { await queryInterface.dropTable('post_tags'); },
};
`;

export const comments = `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('comments', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      postId: { type: Sequelize.INTEGER, allowNull: false, references: { model: 'posts', key: 'id' }, onDelete: 'CASCADE' },
      body: { type: Sequelize.TEXT, allowNull: false },
    });
  },
  async down(queryInterface) { await queryInterface.dropTable('comments'); },
};
`;

export const BLOG = {
  '20250101000000-users.js': users,
  '20250102000000-posts.js': posts,
  '20250103000000-tags.js': tags,
  '20250104000000-post-tags.js': postTags,
};

export const OWNED = ['post_tags', 'posts', 'tags', 'users'];

export function writeBlog(dir: string): string {
  return writeMigrations(join(dir, 'migrations'), BLOG);
}

function quote(sequelize: Sequelize, name: string): string {
  return (sequelize.getQueryInterface() as unknown as { quoteIdentifier(n: string): string }).quoteIdentifier(name);
}

export async function count(sequelize: Sequelize, table: string): Promise<number> {
  const [row] = (await sequelize.query(`SELECT COUNT(*) AS n FROM ${quote(sequelize, table)}`, { type: 'SELECT' as never })) as unknown as { n: unknown }[];
  return Number(row.n);
}

export async function counts(sequelize: Sequelize, tables: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) out[table] = await count(sequelize, table);
  return out;
}

export const zeros = (tables: readonly string[]) => Object.fromEntries(tables.map((t) => [t, 0]));

/** Inserts a row and returns the id the database gave it. */
export async function insertId(sequelize: Sequelize, table: string, row: Record<string, unknown>): Promise<number> {
  await sequelize.getQueryInterface().bulkInsert(table, [row]);
  const [max] = (await sequelize.query(`SELECT MAX(id) AS id FROM ${quote(sequelize, table)}`, { type: 'SELECT' as never })) as unknown as { id: unknown }[];
  return Number(max.id);
}

/** What a test does: users, posts referencing them, tags, and the join table. Returns the ids. */
export async function fill(sequelize: Sequelize): Promise<{ user: number; post: number; tag: number }> {
  const user = await insertId(sequelize, 'users', { email: `a${Math.random()}@x.org` });
  await insertId(sequelize, 'users', { email: `b${Math.random()}@x.org` });
  const post = await insertId(sequelize, 'posts', { userId: user, title: 'hello', status: 'published' });
  const tag = await insertId(sequelize, 'tags', { name: 'news' });
  await sequelize.getQueryInterface().bulkInsert('post_tags', [{ postId: post, tagId: tag }]);
  return { user, post, tag };
}
