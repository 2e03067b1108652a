import test from 'ava';
import { DataTypes, Sequelize } from 'sequelize';
import { schemaFromModels } from '../../lib/schema/from-models';
import type { Column, Schema, Table } from '../../types/schema';

/** A Sequelize instance that never connects: defining models needs no database. */
function instance(dialect: 'sqlite' | 'postgres' | 'mysql' | 'mariadb'): Sequelize {
  return dialect === 'sqlite'
    ? new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false })
    : new Sequelize({ dialect, logging: false, host: '127.0.0.1', database: 'never_connected' });
}

/** users, posts, comments, tags + through table: the realistic set the brief asks for. */
function defineBlog(sequelize: Sequelize): void {
  const User = sequelize.define(
    'User',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      email: { type: DataTypes.STRING(320), allowNull: false, unique: true, comment: 'login' },
      displayName: { type: DataTypes.STRING, defaultValue: 'anonymous' },
      role: { type: DataTypes.ENUM('reader', 'author', 'admin'), allowNull: false, defaultValue: 'reader' },
      balance: { type: DataTypes.DECIMAL(12, 2), defaultValue: 0 },
      settings: { type: DataTypes.JSON, defaultValue: { theme: 'dark' } },
      lastSeenAt: { type: DataTypes.DATE(3), defaultValue: DataTypes.NOW },
      active: { type: DataTypes.BOOLEAN, defaultValue: true },
      fullName: { type: DataTypes.VIRTUAL, get: () => 'x' },
    },
    { underscored: true, paranoid: true, comment: 'people' },
  );
  const Post = sequelize.define(
    'Post',
    {
      title: { type: DataTypes.STRING(200), allowNull: false },
      slug: { type: DataTypes.STRING(200), allowNull: false, unique: 'posts_slug_key' },
      body: DataTypes.TEXT('medium'),
      views: { type: DataTypes.INTEGER.UNSIGNED, defaultValue: 0 },
      score: DataTypes.FLOAT(8, 3),
      publishedAt: { type: DataTypes.DATE, defaultValue: sequelize.literal('CURRENT_TIMESTAMP') },
      checkedAt: { type: DataTypes.DATE, defaultValue: sequelize.fn('now') },
      token: { type: DataTypes.STRING(40), defaultValue: sequelize.literal("'x' || 'y'") },
    },
    {
      indexes: [
        { fields: ['title', 'published_at'] },
        { name: 'posts_views_idx', fields: ['views'] },
        { unique: true, fields: ['title', 'slug'] },
      ],
    },
  );
  const Comment = sequelize.define('Comment', { text: { type: DataTypes.TEXT, allowNull: false } }, { timestamps: false });
  const Tag = sequelize.define('Tag', { name: { type: DataTypes.CHAR(30), allowNull: false } }, { timestamps: false });
  User.hasMany(Post, { foreignKey: { name: 'authorId', allowNull: false }, onDelete: 'CASCADE' });
  Post.belongsTo(User, { foreignKey: { name: 'authorId', allowNull: false }, onDelete: 'CASCADE' });
  Post.hasMany(Comment, { foreignKey: 'postId' });
  Comment.belongsTo(Post, { foreignKey: 'postId' });
  Post.belongsToMany(Tag, { through: 'post_tags', foreignKey: 'postId', otherKey: 'tagId', timestamps: false });
  Tag.belongsToMany(Post, { through: 'post_tags', foreignKey: 'tagId', otherKey: 'postId', timestamps: false });
}

function table(schema: Schema, name: string): Table {
  const found = schema.tables.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no table ${name} in ${schema.tables.map((t) => t.name).join(', ')}`);
  return found;
}

function column(t: Table, name: string): Column {
  const found = t.columns.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no column ${name} in ${t.name}`);
  return found;
}

test('every model becomes a table, through-models included, in definition order', (t) => {
  const sequelize = instance('sqlite');
  defineBlog(sequelize);
  const schema = schemaFromModels(sequelize);
  t.is(schema.dialect, 'sqlite');
  t.deepEqual(
    schema.tables.map((candidate) => candidate.name),
    ['users', 'Posts', 'Comments', 'Tags', 'post_tags'],
  );
  t.deepEqual(schema.enums, []);
});

test('users: underscored fields, paranoid timestamps, comments, a UUID key, VIRTUAL left out', (t) => {
  const users = table(schemaFromModels((() => { const s = instance('postgres'); defineBlog(s); return s; })()), 'users');
  t.deepEqual(users, {
    name: 'users',
    schema: null,
    columns: [
      { name: 'id', type: { name: 'UUID' }, allowNull: false, defaultValue: null, autoIncrement: false, comment: null },
      {
        name: 'email',
        type: { name: 'STRING', length: 320 },
        allowNull: false,
        defaultValue: null,
        autoIncrement: false,
        comment: 'login',
      },
      {
        name: 'display_name',
        type: { name: 'STRING', length: 255 },
        allowNull: true,
        defaultValue: { kind: 'value', value: 'anonymous' },
        autoIncrement: false,
        comment: null,
      },
      {
        name: 'role',
        type: { name: 'ENUM', values: ['reader', 'author', 'admin'], enumName: 'enum_users_role' },
        allowNull: false,
        defaultValue: { kind: 'value', value: 'reader' },
        autoIncrement: false,
        comment: null,
      },
      {
        name: 'balance',
        type: { name: 'DECIMAL', precision: 12, scale: 2 },
        allowNull: true,
        defaultValue: { kind: 'value', value: 0 },
        autoIncrement: false,
        comment: null,
      },
      {
        name: 'settings',
        type: { name: 'JSON' },
        allowNull: true,
        defaultValue: { kind: 'value', value: '{"theme":"dark"}' },
        autoIncrement: false,
        comment: null,
      },
      {
        name: 'last_seen_at',
        type: { name: 'DATE', precision: 3 },
        allowNull: true,
        defaultValue: null,
        autoIncrement: false,
        comment: null,
      },
      {
        name: 'active',
        type: { name: 'BOOLEAN' },
        allowNull: true,
        defaultValue: { kind: 'value', value: true },
        autoIncrement: false,
        comment: null,
      },
      { name: 'created_at', type: { name: 'DATE', precision: null }, allowNull: false, defaultValue: null, autoIncrement: false, comment: null },
      { name: 'updated_at', type: { name: 'DATE', precision: null }, allowNull: false, defaultValue: null, autoIncrement: false, comment: null },
      { name: 'deleted_at', type: { name: 'DATE', precision: null }, allowNull: true, defaultValue: null, autoIncrement: false, comment: null },
    ],
    primaryKey: ['id'],
    indexes: [{ name: null, columns: ['email'], unique: true, origin: 'constraint' }],
    foreignKeys: [],
    comment: 'people',
  });
});

test('posts: types, server-side defaults, named/composite/unique indexes, an association FK', (t) => {
  const sequelize = instance('mysql');
  defineBlog(sequelize);
  const schema = schemaFromModels(sequelize);
  const posts = table(schema, 'Posts');
  t.is(schema.dialect, 'mysql');
  t.deepEqual(posts.primaryKey, ['id']);
  t.deepEqual(column(posts, 'id'), {
    name: 'id',
    type: { name: 'INTEGER' },
    allowNull: false,
    defaultValue: null,
    autoIncrement: true,
    comment: null,
  });
  t.deepEqual(column(posts, 'body').type, { name: 'TEXT', variant: 'medium' });
  t.deepEqual(column(posts, 'views').type, { name: 'INTEGER', unsigned: true });
  t.deepEqual(column(posts, 'score').type, { name: 'FLOAT', precision: 8, scale: 3 });
  t.deepEqual(column(posts, 'publishedAt').defaultValue, { kind: 'now' });
  t.deepEqual(column(posts, 'checkedAt').defaultValue, { kind: 'now' });
  t.deepEqual(column(posts, 'token').defaultValue, { kind: 'sql', sql: "'x' || 'y'" });
  t.deepEqual(column(posts, 'authorId'), {
    name: 'authorId',
    type: { name: 'UUID' },
    allowNull: false,
    defaultValue: null,
    autoIncrement: false,
    comment: null,
  });
  t.deepEqual(posts.indexes, [
    { name: 'posts_slug_key', columns: ['slug'], unique: true, origin: 'constraint' },
    { name: 'posts_title_published_at', columns: ['title', 'published_at'], unique: false, origin: 'index', where: null, using: null },
    { name: 'posts_views_idx', columns: ['views'], unique: false, origin: 'index', where: null, using: null },
    { name: 'posts_title_slug', columns: ['title', 'slug'], unique: true, origin: 'index', where: null, using: null },
  ]);
  t.deepEqual(posts.foreignKeys, [
    {
      name: null,
      columns: ['authorId'],
      referencedTable: 'users',
      referencedSchema: null,
      referencedColumns: ['id'],
      onDelete: 'CASCADE',
      onUpdate: 'CASCADE',
    },
  ]);
  // ENUM stays inline off PostgreSQL: no type name, no Schema.enums.
  t.deepEqual(column(table(schema, 'users'), 'role').type, {
    name: 'ENUM',
    values: ['reader', 'author', 'admin'],
    enumName: null,
  });
  t.deepEqual(schema.enums, []);
});

test('comments, tags and the through table: default FK actions, composite key, CHAR', (t) => {
  const sequelize = instance('sqlite');
  defineBlog(sequelize);
  const schema = schemaFromModels(sequelize);
  t.deepEqual(table(schema, 'Comments').foreignKeys, [
    {
      name: null,
      columns: ['postId'],
      referencedTable: 'Posts',
      referencedSchema: null,
      referencedColumns: ['id'],
      onDelete: 'SET NULL',
      onUpdate: 'CASCADE',
    },
  ]);
  t.deepEqual(column(table(schema, 'Tags'), 'name').type, { name: 'CHAR', length: 30 });
  const through = table(schema, 'post_tags');
  t.deepEqual(
    through.columns.map((c) => [c.name, c.type.name, c.allowNull]),
    [
      ['postId', 'INTEGER', false],
      ['tagId', 'INTEGER', false],
    ],
  );
  t.deepEqual(through.primaryKey, ['postId', 'tagId']);
  t.deepEqual(
    through.foreignKeys.map((fk) => [fk.columns[0], fk.referencedTable, fk.onDelete, fk.onUpdate]),
    [
      ['postId', 'Posts', 'CASCADE', 'CASCADE'],
      ['tagId', 'Tags', 'CASCADE', 'CASCADE'],
    ],
  );
});

test('postgres: each ENUM column adds its enum type to Schema.enums', (t) => {
  const sequelize = instance('postgres');
  defineBlog(sequelize);
  sequelize.define('Job', { state: DataTypes.ENUM('queued', 'done'), flags: DataTypes.ARRAY(DataTypes.ENUM('a', 'b')) });
  const schema = schemaFromModels(sequelize);
  t.is(schema.dialect, 'postgres');
  t.deepEqual(schema.enums, [
    { name: 'enum_users_role', schema: null, values: ['reader', 'author', 'admin'] },
    { name: 'enum_Jobs_state', schema: null, values: ['queued', 'done'] },
    { name: 'enum_Jobs_flags', schema: null, values: ['a', 'b'] },
  ]);
  t.deepEqual(column(table(schema, 'Jobs'), 'flags').type, {
    name: 'ARRAY',
    element: { name: 'ENUM', values: ['a', 'b'], enumName: 'enum_Jobs_flags' },
  });
});

test('the schema option reaches tables, enum types and references to models in it', (t) => {
  const sequelize = instance('postgres');
  const Account = sequelize.define('Account', { kind: DataTypes.ENUM('a', 'b') }, { schema: 'billing', timestamps: false });
  const Invoice = sequelize.define('Invoice', { total: DataTypes.DECIMAL }, { schema: 'billing', timestamps: false });
  Invoice.belongsTo(Account, { onDelete: 'restrict', onUpdate: 'no action' });
  const schema = schemaFromModels(sequelize);
  t.deepEqual(
    schema.tables.map((candidate) => [candidate.schema, candidate.name]),
    [
      ['billing', 'Accounts'],
      ['billing', 'Invoices'],
    ],
  );
  t.deepEqual(schema.enums, [{ name: 'enum_Accounts_kind', schema: 'billing', values: ['a', 'b'] }]);
  t.deepEqual(column(table(schema, 'Invoices'), 'total').type, { name: 'DECIMAL', precision: null, scale: null });
  t.deepEqual(table(schema, 'Invoices').foreignKeys, [
    {
      name: null,
      columns: ['AccountId'],
      referencedTable: 'Accounts',
      referencedSchema: 'billing',
      referencedColumns: ['id'],
      onDelete: 'RESTRICT',
      onUpdate: 'NO ACTION',
    },
  ]);
});

test('indexes: attribute names map to fields, composite unique attributes group, expressions and where', (t) => {
  const sequelize = instance('postgres');
  sequelize.define(
    'Member',
    {
      orgId: { type: DataTypes.INTEGER, unique: 'member_org_email' },
      email: { type: DataTypes.STRING, unique: 'member_org_email' },
      handle: { type: DataTypes.STRING, unique: { name: 'members_handle_uq', msg: 'taken' } },
      state: DataTypes.STRING,
    },
    {
      underscored: true,
      timestamps: false,
      indexes: [
        { fields: ['orgId', { name: 'state', order: 'DESC' }] },
        { name: 'members_lower_email', unique: true, fields: [sequelize.fn('lower', sequelize.col('email'))] },
        { name: 'members_active', fields: ['state'], where: { state: 'active' } },
        { name: 'members_fulltext', type: 'FULLTEXT', fields: ['handle'] },
      ],
    },
  );
  const members = table(schemaFromModels(sequelize), 'members');
  t.deepEqual(members.indexes, [
    { name: 'member_org_email', columns: ['org_id', 'email'], unique: true, origin: 'constraint' },
    { name: 'members_handle_uq', columns: ['handle'], unique: true, origin: 'constraint' },
    { name: 'members_org_id_state', columns: ['org_id', 'state'], unique: false, origin: 'index', where: null, using: null },
    {
      name: 'members_lower_email',
      columns: [],
      unique: true,
      origin: 'index',
      expression: 'lower("email")',
      where: null,
      using: null,
    },
    { name: 'members_active', columns: ['state'], unique: false, origin: 'index', where: `"state" = 'active'`, using: null },
    { name: 'members_fulltext', columns: ['handle'], unique: false, origin: 'index', where: null, using: 'FULLTEXT' },
  ]);
});

test('a belongsToMany through table without a composite key keeps Sequelize\'s unique pair, unnamed', (t) => {
  const sequelize = instance('sqlite');
  const A = sequelize.define('A', {}, { timestamps: false });
  const B = sequelize.define('B', {}, { timestamps: false });
  const AB = sequelize.define(
    'AB',
    { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true } },
    { timestamps: false, tableName: 'a_b' },
  );
  A.belongsToMany(B, { through: AB });
  const ab = table(schemaFromModels(sequelize), 'a_b');
  t.deepEqual(ab.primaryKey, ['id']);
  t.deepEqual(ab.indexes, [{ name: null, columns: ['AId', 'BId'], unique: true, origin: 'constraint' }]);
});

test('the result is plain data: no Sequelize objects, survives a JSON round trip', (t) => {
  const sequelize = instance('postgres');
  defineBlog(sequelize);
  const schema = schemaFromModels(sequelize);
  t.deepEqual(JSON.parse(JSON.stringify(schema)), schema);
});

test('an unsupported dialect is refused with E_UNSUPPORTED', (t) => {
  const fake = { getDialect: () => 'mssql', models: {} } as unknown as Sequelize;
  const error = t.throws(() => schemaFromModels(fake));
  t.is((error as unknown as { code: string }).code, 'E_UNSUPPORTED');
});
