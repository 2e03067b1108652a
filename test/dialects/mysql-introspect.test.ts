import type { Table } from '../../types/schema';
import { introspectMysql } from '../../lib/dialects/mysql/mysql-introspect';
import { normalizeMysqlTable } from '../../lib/dialects/mysql/mysql-normalize';
import { eachDialect } from '../helpers/each-dialect';
import { defineBlog } from './mysql-blog-models';
import {
  column,
  CREATED,
  DATETIME,
  foreignKey,
  ID,
  index,
  INT,
  tableNamed,
  UPDATED,
} from './mysql-fixtures';

const mysqlOnly = { dialects: ['mysql'] as const };

/** The canonical tables the blog must introspect to, written out by hand. */
const EXPECTED: Record<string, Table> = {
  users: {
    name: 'users',
    schema: null,
    columns: [
      ID,
      column('email', { name: 'STRING', length: 255 }, { allowNull: false, comment: 'login name' }),
      column('display_name', { name: 'STRING', length: 100 }, { defaultValue: { kind: 'value', value: 'anonymous' } }),
      column(
        'role',
        { name: 'ENUM', values: ['admin', 'editor', 'reader'], enumName: null },
        { allowNull: false, defaultValue: { kind: 'value', value: 'reader' } },
      ),
      column('is_active', { name: 'BOOLEAN' }, { defaultValue: { kind: 'value', value: true } }),
      // The server pads a DECIMAL default to its scale; so does the canonical form.
      column(
        'balance',
        { name: 'DECIMAL', precision: 10, scale: 2, unsigned: false },
        { defaultValue: { kind: 'value', value: '0.00' } },
      ),
      // MariaDB: LONGTEXT + json_valid CHECK. Sequelize never writes a JSON default on MySQL.
      column('settings', { name: 'JSON' }),
      column('birthday', { name: 'DATEONLY' }),
      column('last_login_at', DATETIME, { defaultValue: { kind: 'now' } }),
      column('precise', { name: 'DATE', precision: 3 }, { defaultValue: { kind: 'now' } }),
      // CHAR(36) BINARY; UUIDV4 is generated in JavaScript, never a server default.
      column('api_key', { name: 'UUID' }),
      column(
        'rating',
        { name: 'FLOAT', precision: null, scale: null, unsigned: false },
        { defaultValue: { kind: 'value', value: 2.5 } },
      ),
      column('karma', INT, { defaultValue: { kind: 'value', value: -1 } }),
      column('visits', { name: 'BIGINT', unsigned: true }, { defaultValue: { kind: 'value', value: 0 } }),
      column('bio', { name: 'TEXT', variant: 'medium' }),
      column('avatar', { name: 'BLOB', variant: 'long' }),
      column('wake_at', { name: 'TIME', precision: null }),
      column('country_code', { name: 'CHAR', length: 2 }),
      CREATED,
      UPDATED,
      column('deleted_at', DATETIME),
    ],
    primaryKey: ['id'],
    indexes: [
      index('users_country_uq', ['country_code'], true),
      index('users_display_name_idx', ['display_name']),
      index('users_display_name_birthday', ['display_name', 'birthday'], true),
      // `unique: true` on email: MySQL names the index after the column.
      index('email', ['email'], true),
      index('users_role_is_active', ['role', 'is_active']),
    ],
    foreignKeys: [],
    comment: 'people who sign in',
  },
  posts: {
    name: 'posts',
    schema: null,
    columns: [
      ID,
      column('title', { name: 'STRING', length: 200 }, { allowNull: false }),
      column('body', { name: 'TEXT', variant: null }),
      column('published', { name: 'BOOLEAN' }, { allowNull: false, defaultValue: { kind: 'value', value: false } }),
      column('views', { name: 'INTEGER', unsigned: true }, { defaultValue: { kind: 'value', value: 0 } }),
      CREATED,
      UPDATED,
      column('user_id', INT),
    ],
    primaryKey: ['id'],
    // The index InnoDB created for user_id (named `user_id`) is the server's, not drift.
    indexes: [],
    foreignKeys: [foreignKey('posts_ibfk_1', ['user_id'], 'users', 'CASCADE', 'CASCADE')],
    comment: null,
  },
  comments: {
    name: 'comments',
    schema: null,
    columns: [
      ID,
      column('body', { name: 'TEXT', variant: null }, { allowNull: false }),
      column('score', { name: 'DOUBLE', precision: null, scale: null, unsigned: false }),
      CREATED,
      UPDATED,
      column('post_id', INT),
      column('author_id', INT),
    ],
    primaryKey: ['id'],
    indexes: [index('comments_author', ['author_id'])],
    foreignKeys: [
      foreignKey('comments_ibfk_2', ['author_id'], 'users', 'SET NULL', 'CASCADE'),
      foreignKey('comments_ibfk_1', ['post_id'], 'posts', 'CASCADE', 'CASCADE'),
    ],
    comment: null,
  },
  tags: {
    name: 'tags',
    schema: null,
    columns: [ID, column('label', { name: 'STRING', length: 50 }, { allowNull: false })],
    primaryKey: ['id'],
    indexes: [index('label', ['label'], true)],
    foreignKeys: [],
    comment: null,
  },
  post_tags: {
    name: 'post_tags',
    schema: null,
    columns: [CREATED, UPDATED, column('post_id', INT, { allowNull: false }), column('tag_id', INT, { allowNull: false })],
    primaryKey: ['post_id', 'tag_id'],
    // post_id is served by the primary key; the `tag_id` index InnoDB added is not drift.
    indexes: [],
    foreignKeys: [
      foreignKey('post_tags_ibfk_1', ['post_id'], 'posts', 'CASCADE', 'CASCADE'),
      foreignKey('post_tags_ibfk_2', ['tag_id'], 'tags', 'CASCADE', 'CASCADE'),
    ],
    comment: null,
  },
};

eachDialect(
  'a synced blog introspects to the expected canonical tables',
  async (t, db) => {
    defineBlog(db.sequelize);
    await db.sequelize.sync();
    const live = await introspectMysql(db.sequelize);
    t.is(live.dialect, 'mysql');
    t.deepEqual(live.enums, []);
    t.deepEqual(
      live.tables.map((table) => table.name),
      ['comments', 'post_tags', 'posts', 'tags', 'users'],
    );
    for (const [name, expected] of Object.entries(EXPECTED)) {
      t.deepEqual(normalizeMysqlTable(tableNamed(live, name)), expected, name);
    }
  },
  mysqlOnly,
);

eachDialect(
  'introspection keeps what the server says before normalising',
  async (t, db) => {
    defineBlog(db.sequelize);
    await db.sequelize.sync();
    const live = await introspectMysql(db.sequelize);
    const posts = tableNamed(live, 'posts');
    // InnoDB's own index for the foreign key is reported as it is, named after the column.
    t.deepEqual(posts.indexes, [index('user_id', ['user_id'])]);
    const postTags = tableNamed(live, 'post_tags');
    t.deepEqual(postTags.indexes, [index('tag_id', ['tag_id'])]);
    // Our index on comments.author_id replaced the one InnoDB had made for the key.
    t.deepEqual(
      tableNamed(live, 'comments')
        .indexes.map((i) => i.name)
        .sort(),
      ['comments_author', 'post_id'],
    );
    const users = tableNamed(live, 'users');
    const byName = new Map(users.columns.map((c) => [c.name, c]));
    t.deepEqual(byName.get('balance')?.defaultValue, { kind: 'value', value: '0.00' });
    t.deepEqual(byName.get('is_active')?.defaultValue, { kind: 'value', value: true });
    t.deepEqual(byName.get('settings')?.type, { name: 'JSON' });
    t.deepEqual(byName.get('api_key')?.type, { name: 'UUID' });
    t.is(byName.get('email')?.comment, 'login name');
  },
  mysqlOnly,
);
