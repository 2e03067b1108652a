import type { Column, ColumnType, ForeignKey, Index, ReferentialAction, Schema, Table } from '../../types/schema';
import { introspectSqlite } from '../../lib/dialects/sqlite/sqlite-introspect';
import { normalizeSqliteTable } from '../../lib/dialects/sqlite/sqlite-normalize';
import { eachDialect } from '../helpers/each-dialect';
import { defineBlog } from './sqlite-blog-models';

const sqliteOnly = { dialects: ['sqlite'] as const };

function column(name: string, type: ColumnType, extra: Partial<Column> = {}): Column {
  return { name, type, allowNull: true, defaultValue: null, autoIncrement: false, comment: null, ...extra };
}
const id = column('id', { name: 'INTEGER' }, { allowNull: false, autoIncrement: true });
const datetime: ColumnType = { name: 'DATE', precision: null };
const text: ColumnType = { name: 'TEXT', variant: null };
const string = (length: number | null): ColumnType => ({ name: 'STRING', length });
const integer: ColumnType = { name: 'INTEGER' };
const index = (fields: Partial<Index> & Pick<Index, 'name' | 'columns'>): Index => ({
  unique: false,
  origin: 'index',
  expression: null,
  where: null,
  using: null,
  ...fields,
});
const fk = (
  columns: string[],
  referencedTable: string,
  onDelete: ReferentialAction,
  onUpdate: ReferentialAction,
): ForeignKey => ({
  name: null,
  columns,
  referencedTable,
  referencedSchema: null,
  referencedColumns: ['id'],
  onDelete,
  onUpdate,
});

/** The canonical SQLite form of the blog, written out by hand. */
const EXPECTED: Record<string, Table> = {
  users: {
    name: 'users',
    schema: null,
    columns: [
      id,
      column('email', string(255), { allowNull: false }),
      column('display_name', string(100), { defaultValue: { kind: 'value', value: 'anonymous' } }),
      // ENUM is stored as TEXT: its values are out of reach on SQLite.
      column('role', text, { allowNull: false, defaultValue: { kind: 'value', value: 'reader' } }),
      column('is_active', { name: 'BOOLEAN' }, { defaultValue: { kind: 'value', value: true } }),
      column('balance', { name: 'DECIMAL', precision: 10, scale: 2 }, { defaultValue: { kind: 'value', value: 0 } }),
      column('settings', { name: 'JSON' }, { defaultValue: { kind: 'value', value: '{"theme":"dark"}' } }),
      column('birthday', { name: 'DATEONLY' }),
      column('last_login_at', datetime, { defaultValue: { kind: 'now' } }),
      // UUIDV4 is computed in JavaScript: no server default.
      column('api_key', { name: 'UUID' }),
      column('rating', { name: 'FLOAT', precision: null, scale: null }, { defaultValue: { kind: 'value', value: 2.5 } }),
      column('karma', integer, { defaultValue: { kind: 'value', value: -1 } }),
      column('avatar', { name: 'BLOB', variant: 'long' }),
      column('created_at', datetime, { allowNull: false }),
      column('updated_at', datetime, { allowNull: false }),
      column('deleted_at', datetime),
    ],
    primaryKey: ['id'],
    indexes: [
      index({ name: 'users_display_name_idx', columns: ['display_name'] }),
      index({ name: 'sqlite_autoindex_users_1', columns: ['email'], unique: true, origin: 'constraint' }),
      index({ name: 'users_role_is_active', columns: ['role', 'is_active'] }),
    ],
    foreignKeys: [],
    comment: null,
  },
  posts: {
    name: 'posts',
    schema: null,
    columns: [
      id,
      column('title', string(200), { allowNull: false }),
      column('body', text),
      column('status', text, { defaultValue: { kind: 'value', value: 'draft' } }),
      column('views', integer, { allowNull: false, defaultValue: { kind: 'value', value: 0 } }),
      column('publishedAt', datetime, { defaultValue: { kind: 'now' } }),
      column('featuredUntil', datetime, { defaultValue: { kind: 'value', value: '2030-01-01T00:00:00.000Z' } }),
      column('createdAt', datetime, { allowNull: false }),
      column('updatedAt', datetime, { allowNull: false }),
      column('authorId', integer),
    ],
    primaryKey: ['id'],
    indexes: [index({ name: 'posts_author_title', columns: ['authorId', 'title'], unique: true })],
    foreignKeys: [fk(['authorId'], 'users', 'CASCADE', 'CASCADE')],
    comment: null,
  },
  comments: {
    name: 'comments',
    schema: null,
    columns: [
      id,
      column('body', text, { allowNull: false }),
      column('approved', { name: 'BOOLEAN' }, { allowNull: false, defaultValue: { kind: 'value', value: false } }),
      column('created_at', datetime, { allowNull: false }),
      column('updated_at', datetime, { allowNull: false }),
      column('post_id', integer),
      column('user_id', integer),
    ],
    primaryKey: ['id'],
    indexes: [],
    // belongsTo leaves onUpdate to the database default only when it is set: CASCADE otherwise.
    foreignKeys: [fk(['post_id'], 'posts', 'CASCADE', 'CASCADE'), fk(['user_id'], 'users', 'SET NULL', 'CASCADE')],
    comment: null,
  },
  tags: {
    name: 'tags',
    schema: null,
    columns: [id, column('name', string(50), { allowNull: false }), column('slug', string(255))],
    primaryKey: ['id'],
    indexes: [
      // The column constraint comes first in the CREATE TABLE text, the named UNIQUE (name) last.
      index({ name: 'sqlite_autoindex_tags_2', columns: ['name'], unique: true, origin: 'constraint' }),
      index({ name: 'sqlite_autoindex_tags_1', columns: ['slug'], unique: true, origin: 'constraint' }),
    ],
    foreignKeys: [],
    comment: null,
  },
  post_tags: {
    name: 'post_tags',
    schema: null,
    columns: [
      column('createdAt', datetime, { allowNull: false }),
      column('updatedAt', datetime, { allowNull: false }),
      column('PostId', integer, { allowNull: false }),
      column('TagId', integer, { allowNull: false }),
    ],
    primaryKey: ['PostId', 'TagId'],
    // The composite primary key's own index is the primary key, not an index.
    indexes: [],
    foreignKeys: [fk(['PostId'], 'posts', 'CASCADE', 'CASCADE'), fk(['TagId'], 'tags', 'CASCADE', 'CASCADE')],
    comment: null,
  },
};

function tableNamed(schema: Schema, name: string): Table {
  const table = schema.tables.find((candidate) => candidate.name === name);
  if (table === undefined) throw new Error(`no table ${name} in ${schema.tables.map((t) => t.name).join(', ')}`);
  return table;
}

eachDialect(
  'a synced blog introspects to the expected canonical tables',
  async (t, db) => {
    defineBlog(db.sequelize);
    await db.sequelize.sync();
    const live = await introspectSqlite(db.sequelize);
    t.deepEqual(
      live.tables.map((table) => table.name),
      ['comments', 'post_tags', 'posts', 'tags', 'users'],
    );
    t.is(live.dialect, 'sqlite');
    t.deepEqual(live.enums, []);
    for (const [name, expected] of Object.entries(EXPECTED)) {
      t.deepEqual(normalizeSqliteTable(tableNamed(live, name)), expected, name);
    }
  },
  sqliteOnly,
);

eachDialect(
  'introspection reads what only the CREATE text keeps, before normalising',
  async (t, db) => {
    defineBlog(db.sequelize);
    await db.sequelize.sync();
    const live = await introspectSqlite(db.sequelize);
    const users = tableNamed(live, 'users');
    const byName = new Map(users.columns.map((c) => [c.name, c]));
    t.true(byName.get('id')?.autoIncrement);
    // INTEGER PRIMARY KEY is reported nullable by PRAGMA table_info; normalising fixes that.
    t.true(byName.get('id')?.allowNull);
    t.deepEqual(byName.get('role')?.type, { name: 'TEXT', variant: null });
    t.deepEqual(byName.get('is_active')?.type, { name: 'BOOLEAN' });
    // Sequelize writes a FLOAT default quoted; the canonical form makes it a number.
    t.deepEqual(byName.get('rating')?.defaultValue, { kind: 'value', value: '2.5' });
    t.deepEqual(byName.get('is_active')?.defaultValue, { kind: 'value', value: 1 });
    t.is(byName.get('email')?.comment, null);
    t.is(users.comment, null);
    const tags = tableNamed(live, 'tags');
    t.true(tags.indexes.every((i) => i.name?.startsWith('sqlite_autoindex_tags_') && i.origin === 'constraint'));
  },
  sqliteOnly,
);
