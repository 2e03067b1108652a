import type { Sequelize } from 'sequelize';
import { DataTypes } from 'sequelize';
import { introspectPostgres } from '../../lib/dialects/postgres/postgres-introspect';
import { normalizePostgresTable } from '../../lib/dialects/postgres/postgres-normalize';
import type { Schema, Table } from '../../types/schema';
import { eachDialect } from '../helpers/each-dialect';
import { defineBlog } from './postgres-blog-models';
import { NOW, T, column, foreignKey, index, sql, table, value } from './postgres-expect';

const postgres = { dialects: ['postgres'] } as const;

function tableNamed(schema: Schema, name: string): Table {
  const found = schema.tables.find((t) => t.name === name);
  if (!found) throw new Error(`table ${name} not introspected; got ${schema.tables.map((t) => t.name).join(', ')}`);
  return found;
}

const timestamps = (created: string, updated: string) => [
  column(created, T.date, { allowNull: false }),
  column(updated, T.date, { allowNull: false }),
];

/** What `sync()` of postgres-blog-models.ts must leave in the database, canonical form. */
const BLOG: readonly Table[] = [
  table('Comments', {
    columns: [
      column('id', T.uuid, { allowNull: false, defaultValue: sql('gen_random_uuid()') }),
      column('body', T.text, { allowNull: false }),
      column('score', T.smallint, { defaultValue: value(0) }),
      ...timestamps('createdAt', 'updatedAt'),
      column('postId', T.bigint),
      column('parentId', T.uuid),
    ],
    foreignKeys: [
      foreignKey('Comments_parentId_fkey', ['parentId'], 'Comments', 'RESTRICT', 'NO ACTION'),
      foreignKey('Comments_postId_fkey', ['postId'], 'posts', 'SET NULL', 'CASCADE'),
    ],
  }),
  table('post_tags', {
    columns: [
      ...timestamps('created_at', 'updated_at'),
      column('post_id', T.bigint, { allowNull: false }),
      column('tag_id', T.integer, { allowNull: false }),
    ],
    primaryKey: ['post_id', 'tag_id'],
    foreignKeys: [
      foreignKey('post_tags_post_id_fkey', ['post_id'], 'posts', 'CASCADE', 'CASCADE'),
      foreignKey('post_tags_tag_id_fkey', ['tag_id'], 'tags', 'CASCADE', 'CASCADE'),
    ],
  }),
  table('posts', {
    columns: [
      column('id', T.bigint, { allowNull: false, autoIncrement: true }),
      column('title', T.string(200), { allowNull: false }),
      column('slug', T.string(200), { allowNull: false }),
      column('body', T.text, { comment: 'markdown' }),
      column('status', T.enum('enum_posts_status', ['draft', 'published']), { allowNull: false, defaultValue: value('draft') }),
      column('rating', T.double, { defaultValue: value(0) }),
      column('views', T.integer, { allowNull: false, defaultValue: value(0) }),
      column('published_on', T.dateonly),
      column('metadata', T.json),
      column('price', T.decimal(10, 2)),
      column('checked_at', T.date, { defaultValue: NOW }),
      ...timestamps('created_at', 'updated_at'),
      column('author_id', T.integer, { allowNull: false }),
    ],
    indexes: [
      index('posts_author_id_published_on', ['author_id', 'published_on']),
      index('posts_author_slug', ['author_id', 'slug'], { unique: true }),
      index('posts_published', ['published_on'], { where: "status = 'published'" }),
    ],
    foreignKeys: [foreignKey('posts_author_id_fkey', ['author_id'], 'users', 'CASCADE', 'CASCADE')],
  }),
  table('tags', {
    columns: [
      column('id', T.integer, { allowNull: false, autoIncrement: true }),
      column('name', T.string(50), { allowNull: false }),
      column('color', T.char(7), { defaultValue: value('#ffffff') }),
      column('weight', T.double, { defaultValue: value(1.5) }),
    ],
    indexes: [index('tags_name_key', ['name'], { unique: true, origin: 'constraint' })],
  }),
  table('users', {
    columns: [
      column('id', T.integer, { allowNull: false, autoIncrement: true }),
      column('email', T.string(255), { allowNull: false, comment: 'login address' }),
      column('display_name', T.string(80), { allowNull: false }),
      column('role', T.enum('enum_users_role', ['reader', 'author', 'admin']), { allowNull: false, defaultValue: value('reader') }),
      column('is_active', T.boolean, { defaultValue: value(true) }),
      column('balance', T.decimal(12, 2), { defaultValue: value(0) }),
      column('settings', T.jsonb, { defaultValue: value('{"notify":true,"theme":"dark"}') }),
      column('last_seen_at', T.date, { defaultValue: NOW }),
      column('bio', T.text),
      column('api_key', T.uuid),
      column('login_count', T.integer, { allowNull: false, defaultValue: value(0) }),
      ...timestamps('created_at', 'updated_at'),
      column('deleted_at', T.date),
    ],
    indexes: [
      index('users_email_key', ['email'], { unique: true, origin: 'constraint' }),
      index('users_role_active', ['role', 'is_active']),
    ],
    comment: 'People who sign in',
  }),
];

eachDialect(
  'a synced blog schema introspects to the expected canonical tables',
  async (t, db) => {
    defineBlog(db.sequelize);
    await db.sequelize.sync();
    const schema = await introspectPostgres(db.sequelize);
    t.is(schema.dialect, 'postgres');
    t.deepEqual(schema.tables.map((x) => x.name), ['Comments', 'post_tags', 'posts', 'tags', 'users']);
    for (const expected of BLOG) {
      t.deepEqual(normalizePostgresTable(tableNamed(schema, expected.name)), expected, expected.name);
    }
    t.deepEqual(schema.enums, [
      { name: 'enum_posts_status', schema: null, values: ['draft', 'published'] },
      { name: 'enum_users_role', schema: null, values: ['reader', 'author', 'admin'] },
    ]);
  },
  postgres,
);

eachDialect(
  'an expression index is reported with its expression and no columns',
  async (t, db) => {
    await db.sequelize.query('CREATE TABLE users (id serial PRIMARY KEY, email varchar(255) NOT NULL, name text)');
    await db.sequelize.query('CREATE UNIQUE INDEX users_email_lower ON users (lower(email))');
    await db.sequelize.query('CREATE INDEX users_mixed ON users (name DESC, lower(email) text_pattern_ops)');
    await db.sequelize.query("CREATE INDEX users_partial ON users USING hash (name) WHERE email LIKE '%@x.org'");
    const users = normalizePostgresTable(tableNamed(await introspectPostgres(db.sequelize), 'users'));
    t.deepEqual(users.indexes, [
      index('users_email_lower', [], { unique: true, expression: 'lower((email)::text)' }),
      index('users_mixed', [], { expression: 'name DESC, lower((email)::text) text_pattern_ops' }),
      index('users_partial', ['name'], { using: 'hash', where: "email LIKE '%@x.org'" }),
    ]);
  },
  postgres,
);

/** Runs `fn` and counts the statements Sequelize sends meanwhile. */
async function countQueries(sequelize: Sequelize, fn: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const hook = () => {
    count++;
  };
  sequelize.addHook('beforeQuery', 'count', hook);
  try {
    await fn();
  } finally {
    sequelize.removeHook('beforeQuery', 'count');
  }
  return count;
}

async function createTables(sequelize: Sequelize, prefix: string, count: number): Promise<void> {
  const statements = Array.from(
    { length: count },
    (_, i) =>
      `CREATE TABLE ${prefix}${i} (id serial PRIMARY KEY, name varchar(20) UNIQUE, ` +
      `parent integer REFERENCES ${prefix}0 (id), kind text DEFAULT 'x'); ` +
      `CREATE INDEX ${prefix}${i}_kind ON ${prefix}${i} (kind); COMMENT ON TABLE ${prefix}${i} IS 'n${i}'`,
  );
  await sequelize.query(statements.join(';'));
}

eachDialect(
  'introspection takes the same few queries for 3 tables and for 60',
  async (t, db) => {
    await createTables(db.sequelize, 'a', 3);
    let tables = 0;
    const small = await countQueries(db.sequelize, async () => {
      tables = (await introspectPostgres(db.sequelize)).tables.length;
    });
    t.is(tables, 3);
    await createTables(db.sequelize, 'b', 60);
    const large = await countQueries(db.sequelize, async () => {
      tables = (await introspectPostgres(db.sequelize)).tables.length;
    });
    t.is(tables, 63);
    t.is(small, large);
    t.true(large <= 10, `${large} queries`);
    t.true(large > 0);
  },
  postgres,
);

eachDialect(
  'excludeTables leaves those tables out, and nothing else',
  async (t, db) => {
    await db.sequelize.query('CREATE TABLE "SequelizeMeta" (name varchar(255) PRIMARY KEY)');
    await db.sequelize.query('CREATE TABLE accounts (id serial PRIMARY KEY)');
    await db.sequelize.query('CREATE TABLE audit (id serial PRIMARY KEY, account integer REFERENCES accounts (id))');
    const schema = await introspectPostgres(db.sequelize, { excludeTables: ['SequelizeMeta', 'accounts'] });
    t.deepEqual(schema.tables.map((x) => x.name), ['audit']);
    // A foreign key into an excluded table is still the table's own.
    t.deepEqual(tableNamed(schema, 'audit').foreignKeys.map((fk) => fk.referencedTable), ['accounts']);
    const all = await introspectPostgres(db.sequelize, { excludeTables: ['sequelizemeta'] });
    t.deepEqual(all.tables.map((x) => x.name), ['SequelizeMeta', 'accounts', 'audit']);
  },
  postgres,
);

eachDialect(
  'another schema is read when asked for; views and partitions are not tables',
  async (t, db) => {
    await db.sequelize.query('CREATE TABLE accounts (id serial PRIMARY KEY)');
    await db.sequelize.query('CREATE SCHEMA billing');
    await db.sequelize.query("CREATE TYPE billing.currency AS ENUM ('EUR', 'USD')");
    await db.sequelize.query(
      'CREATE TABLE billing.invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ' +
        'account integer NOT NULL REFERENCES public.accounts (id) ON DELETE SET DEFAULT, ' +
        "currency billing.currency NOT NULL DEFAULT 'EUR', ref integer REFERENCES billing.invoices (id))",
    );
    await db.sequelize.query('CREATE VIEW billing.recent AS SELECT * FROM billing.invoices');
    await db.sequelize.query('CREATE TABLE billing.events (at date NOT NULL) PARTITION BY RANGE (at)');
    await db.sequelize.query(
      "CREATE TABLE billing.events_2024 PARTITION OF billing.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
    );
    const billing = await introspectPostgres(db.sequelize, { schema: 'billing' });
    t.deepEqual(billing.tables.map((x) => x.name), ['events', 'invoices']);
    t.deepEqual(billing.enums, [{ name: 'currency', schema: 'billing', values: ['EUR', 'USD'] }]);
    t.deepEqual(
      normalizePostgresTable(tableNamed(billing, 'invoices')),
      table('invoices', {
        schema: 'billing',
        columns: [
          column('id', T.bigint, { allowNull: false, autoIncrement: true }),
          column('account', T.integer, { allowNull: false }),
          column('currency', T.enum('currency', ['EUR', 'USD']), { allowNull: false, defaultValue: value('EUR') }),
          column('ref', T.integer),
        ],
        foreignKeys: [
          foreignKey('invoices_account_fkey', ['account'], 'accounts', 'SET DEFAULT', 'NO ACTION', ['id'], 'public'),
          foreignKey('invoices_ref_fkey', ['ref'], 'invoices', 'NO ACTION', 'NO ACTION'),
        ],
      }),
    );
    const main = await introspectPostgres(db.sequelize);
    t.deepEqual(main.tables.map((x) => x.name), ['accounts']);
    t.deepEqual(main.enums, []);
  },
  postgres,
);

eachDialect(
  'composite keys, multi-column foreign keys and arrays of enums',
  async (t, db) => {
    const Item = db.sequelize.define(
      'Item',
      {
        shop: { type: DataTypes.INTEGER, primaryKey: true },
        sku: { type: DataTypes.STRING(12), primaryKey: true },
        labels: DataTypes.ARRAY(DataTypes.ENUM('new', 'sale')),
        sizes: { type: DataTypes.ARRAY(DataTypes.INTEGER), comment: '' },
      },
      { tableName: 'items', timestamps: false },
    );
    await Item.sync();
    await db.sequelize.query(
      'CREATE TABLE stock (shop integer, sku varchar(12), qty integer NOT NULL DEFAULT 0, ' +
        'CONSTRAINT stock_item FOREIGN KEY (sku, shop) REFERENCES items (sku, shop) ON UPDATE RESTRICT)',
    );
    const schema = await introspectPostgres(db.sequelize);
    t.deepEqual(
      normalizePostgresTable(tableNamed(schema, 'items')),
      table('items', {
        columns: [
          column('shop', T.integer, { allowNull: false }),
          column('sku', T.string(12), { allowNull: false }),
          column('labels', T.array(T.enum('enum_items_labels', ['new', 'sale']))),
          column('sizes', T.array(T.integer)),
        ],
        primaryKey: ['shop', 'sku'],
      }),
    );
    t.deepEqual(normalizePostgresTable(tableNamed(schema, 'stock')).foreignKeys, [
      foreignKey('stock_item', ['sku', 'shop'], 'items', 'NO ACTION', 'RESTRICT', ['sku', 'shop']),
    ]);
    t.deepEqual(normalizePostgresTable(tableNamed(schema, 'stock')).primaryKey, []);
  },
  postgres,
);
