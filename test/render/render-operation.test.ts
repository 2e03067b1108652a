import test from 'ava';
import type { Operation } from '../../types/operations';
import type { DialectName } from '../../types/schema';
import { MigrationError } from '../../lib/errors';
import { renderOperation } from '../../lib/render/render-operation';
import { printLines } from '../../lib/render/source-writer';
import { sameText } from './same-text';
import { column, foreignKey, id, index, table, unique } from './schema-builders';

function render(op: Operation, dialect: DialectName = 'postgres'): string {
  return printLines(renderOperation(op, { dialect }), 0).join('\n');
}

const users = { name: 'users', schema: null };
/** The `id` column of every test table, as createTable writes it (whitespace aside). */
const ID_COLUMN = ['id: {', 'type: Sequelize.INTEGER,', 'primaryKey: true,', 'autoIncrement: true,', 'allowNull: false,', '},'];
const email = column('email', { name: 'STRING', length: 100 }, { allowNull: false });

test('createTable puts keys on the columns and adds the rest after', (t) => {
  const posts = table(
    'posts',
    [
      id(),
      column('user_id', { name: 'INTEGER' }, { allowNull: false }),
      column('slug', { name: 'STRING', length: 80 }, { allowNull: false }),
      column('a', { name: 'INTEGER' }),
      column('b', { name: 'INTEGER' }),
    ],
    {
      indexes: [unique(['slug']), unique(['a', 'b']), index(['user_id', 'slug'], { name: 'posts_user_slug' })],
      foreignKeys: [foreignKey(['user_id'], 'users', { onDelete: 'CASCADE' })],
    },
  );
  sameText(t, render({ kind: 'createTable', table: posts }), [
    "await queryInterface.createTable(",
    "  'posts',",
    "  {",
    ...ID_COLUMN,
    "    user_id: {",
    "      type: Sequelize.INTEGER,",
    "      allowNull: false,",
    "      references: { model: 'users', key: 'id' },",
    "      onDelete: 'CASCADE',",
    "      onUpdate: 'NO ACTION',",
    "    },",
    "    slug: {",
    "      type: Sequelize.STRING(80),",
    "      allowNull: false,",
    "      unique: true,",
    "    },",
    "    a: {",
    "      type: Sequelize.INTEGER,",
    "      allowNull: true,",
    "    },",
    "    b: {",
    "      type: Sequelize.INTEGER,",
    "      allowNull: true,",
    "    },",
    "  },",
    "  {",
    "    uniqueKeys: {",
    "      posts_a_b_uk: { fields: ['a', 'b'] },",
    "    },",
    "  },",
    ");",
    "await queryInterface.addIndex('posts', ['user_id', 'slug'], {",
    "  name: 'posts_user_slug',",
    "});",
  ]);
});

test('createTable: a composite primary key marks each column', (t) => {
  const text = render({
    kind: 'createTable',
    table: table('tags', [column('a', { name: 'INTEGER' }, { allowNull: false }), column('b', { name: 'INTEGER' }, { allowNull: false })], {
      primaryKey: ['a', 'b'],
    }),
  });
  sameText(t, text, [
    "await queryInterface.createTable('tags', {",
    "  a: {",
    "    type: Sequelize.INTEGER,",
    "    primaryKey: true,",
    "    allowNull: false,",
    "  },",
    "  b: {",
    "    type: Sequelize.INTEGER,",
    "    primaryKey: true,",
    "    allowNull: false,",
    "  },",
    "});",
  ]);
});

test('createTable: named keys are added by name after the table (PostgreSQL)', (t) => {
  const text = render({
    kind: 'createTable',
    table: table('posts', [id(), column('user_id', { name: 'INTEGER' }), column('slug', { name: 'STRING', length: 9 })], {
      indexes: [unique(['slug'], 'posts_slug_key')],
      foreignKeys: [foreignKey(['user_id'], 'users', { name: 'posts_user_fk' })],
    }),
  });
  sameText(t, text, [
    "await queryInterface.createTable('posts', {",
    ...ID_COLUMN,
    "  user_id: {",
    "    type: Sequelize.INTEGER,",
    "    allowNull: true,",
    "  },",
    "  slug: {",
    "    type: Sequelize.STRING(9),",
    "    allowNull: true,",
    "  },",
    "});",
    "await queryInterface.addConstraint('posts', {",
    "  type: 'unique',",
    "  fields: ['slug'],",
    "  name: 'posts_slug_key',",
    "});",
    "await queryInterface.addConstraint('posts', {",
    "  type: 'foreign key',",
    "  fields: ['user_id'],",
    "  name: 'posts_user_fk',",
    "  references: { table: 'users', field: 'id' },",
    "  onDelete: 'NO ACTION',",
    "  onUpdate: 'NO ACTION',",
    "});",
  ]);
});

test('createTable: MySQL keeps a named unique constraint in uniqueKeys; SQLite ignores unusable names', (t) => {
  const posts = table('posts', [id(), column('slug', { name: 'STRING', length: 9 })], {
    indexes: [unique(['slug'], 'slug_unique')],
    foreignKeys: [foreignKey(['id'], 'users', { name: 'whatever' })],
  });
  sameText(t, render({ kind: 'createTable', table: posts }, 'mysql'), [
    "await queryInterface.createTable(",
    "  'posts',",
    "  {",
    ...ID_COLUMN,
    "    slug: {",
    "      type: Sequelize.STRING(9),",
    "      allowNull: true,",
    "    },",
    "  },",
    "  {",
    "    uniqueKeys: {",
    "      slug_unique: { fields: ['slug'] },",
    "    },",
    "  },",
    ");",
    "await queryInterface.addConstraint('posts', {",
    "  type: 'foreign key',",
    "  fields: ['id'],",
    "  name: 'whatever',",
    "  references: { table: 'users', field: 'id' },",
    "  onDelete: 'NO ACTION',",
    "  onUpdate: 'NO ACTION',",
    "});",
  ]);
  const sqlite = render({ kind: 'createTable', table: { ...posts, indexes: [unique(['slug'], 'sqlite_autoindex_posts_1')] } }, 'sqlite');
  sameText(t, sqlite, [
    "await queryInterface.createTable('posts', {",
    "  id: {",
    "    type: Sequelize.INTEGER,",
    "    primaryKey: true,",
    "    autoIncrement: true,",
    "    allowNull: false,",
    "    references: { model: 'users', key: 'id' },",
    "    onDelete: 'NO ACTION',",
    "    onUpdate: 'NO ACTION',",
    "  },",
    "  slug: {",
    "    type: Sequelize.STRING(9),",
    "    allowNull: true,",
    "    unique: true,",
    "  },",
    "});",
  ]);
});

test('createTable: the table comment is SQL in the dialect, none on SQLite', (t) => {
  const commented = table('users', [id()], { comment: "Who's who" });
  sameText(t, render({ kind: 'createTable', table: commented }), [
    "await queryInterface.createTable('users', {",
    ...ID_COLUMN,
    "});",
    "await queryInterface.sequelize.query(",
    "  `COMMENT ON TABLE \"users\" IS 'Who''s who'`,",
    ");",
  ]);
  sameText(t, render({ kind: 'createTable', table: commented }, 'mysql'), [
    "await queryInterface.createTable('users', {",
    ...ID_COLUMN,
    "});",
    "await queryInterface.sequelize.query(",
    "  \"ALTER TABLE `users` COMMENT = 'Who''s who'\",",
    ");",
  ]);
  sameText(t, render({ kind: 'createTable', table: commented }, 'sqlite'), [
    "await queryInterface.createTable('users', {",
    ...ID_COLUMN,
    "});",
  ]);
});

test('createTable and dropTable in a PostgreSQL schema use { tableName, schema }', (t) => {
  const t1 = { ...table('users', [id()]), schema: 'app' };
  sameText(t, render({ kind: 'createTable', table: t1 }), [
    "await queryInterface.createTable(",
    "  { tableName: 'users', schema: 'app' },",
    "  {",
    ...ID_COLUMN,
    "  },",
    ");",
  ]);
  sameText(t, render({ kind: 'dropTable', table: t1 }), [
    "// {} on purpose: PostgreSQL dropTable needs options (sequelize#13337).",
    "await queryInterface.dropTable({ tableName: 'users', schema: 'app' }, {});",
  ]);
  t.is(render({ kind: 'dropTable', table: table('users', [id()]) }, 'mysql'), "await queryInterface.dropTable('users');");
});

test("dropTable on PostgreSQL passes options: Sequelize's dropTable throws without them", (t) => {
  sameText(t, render({ kind: 'dropTable', table: table('users', [id()]) }), [
    "// {} on purpose: PostgreSQL dropTable needs options (sequelize#13337).",
    "await queryInterface.dropTable('users', {});",
  ]);
});

test('addColumn and removeColumn', (t) => {
  const text = render({ kind: 'addColumn', table: users, column: { ...email, defaultValue: { kind: 'value', value: '' }, comment: 'login' } });
  t.is(
    text,
    "await queryInterface.addColumn('users', 'email', {\n  type: Sequelize.STRING(100),\n  allowNull: false,\n  defaultValue: '',\n  comment: 'login',\n});",
  );
  t.is(render({ kind: 'removeColumn', table: users, column: email }), "await queryInterface.removeColumn('users', 'email');");
});

test('changeColumn carries the full new definition, never unique', (t) => {
  const to = { ...email, allowNull: true, defaultValue: { kind: 'value', value: 42 } as const };
  const text = render({ kind: 'changeColumn', table: users, from: email, to });
  t.is(text, "await queryInterface.changeColumn('users', 'email', {\n  type: Sequelize.STRING(100),\n  allowNull: true,\n  defaultValue: 42,\n});");
});

test('changeColumn on PostgreSQL keeps a serial column on its sequence and clears a dropped comment', (t) => {
  const from = { ...id(), comment: 'key' };
  const to = { ...id(), type: { name: 'BIGINT' as const } };
  sameText(t, render({ kind: 'changeColumn', table: users, from, to }), [
    "// PostgreSQL: changeColumn drops the column's default;",
    "// nextval keeps id auto-incrementing.",
    "await queryInterface.changeColumn('users', 'id', {",
    "  type: Sequelize.BIGINT,",
    "  allowNull: false,",
    "  defaultValue: Sequelize.literal(\"nextval('users_id_seq'::regclass)\"),",
    "});",
    "await queryInterface.sequelize.query('COMMENT ON COLUMN \"users\".\"id\" IS NULL');",
  ]);
  sameText(t, render({ kind: 'changeColumn', table: users, from, to }, 'mysql'), [
    "await queryInterface.changeColumn('users', 'id', {",
    "  type: Sequelize.BIGINT,",
    "  autoIncrement: true,",
    "  allowNull: false,",
    "});",
  ]);
});

test('addIndex with name, unique, where and method; MySQL FULLTEXT is a type', (t) => {
  const partial = index(['email'], { name: 'users_email_active', unique: true, where: 'deleted_at IS NULL', using: 'btree' });
  t.is(
    render({ kind: 'addIndex', table: users, index: partial }),
    "await queryInterface.addIndex('users', ['email'], {\n  name: 'users_email_active',\n  unique: true,\n  using: 'btree',\n  where: Sequelize.literal('deleted_at IS NULL'),\n});",
  );
  const fulltext = index(['bio'], { name: 'users_bio', using: 'FULLTEXT' });
  sameText(t, render({ kind: 'addIndex', table: users, index: fulltext }, 'mysql'), [
    "await queryInterface.addIndex('users', ['bio'], {",
    "  name: 'users_bio',",
    "  type: 'FULLTEXT',",
    "});",
  ]);
  const expression = index([], { name: 'users_lower_email', expression: 'lower(email)' });
  t.is(
    render({ kind: 'addIndex', table: users, index: expression }),
    "await queryInterface.addIndex('users', {\n  name: 'users_lower_email',\n  fields: [Sequelize.literal('lower(email)')],\n});",
  );
});

test('addIndex with operator classes writes { name, operator } fields in the options form', (t) => {
  const trigram = index(['title', 'slug'], { name: 'posts_search', using: 'gin', operators: ['gin_trgm_ops', null] });
  t.is(
    render({ kind: 'addIndex', table: users, index: trigram }),
    "await queryInterface.addIndex('users', {\n  name: 'posts_search',\n  using: 'gin',\n  fields: [{ name: 'title', operator: 'gin_trgm_ops' }, 'slug'],\n});",
  );
  const defaults = index(['title'], { name: 'posts_title', operators: [null] });
  t.is(render({ kind: 'addIndex', table: users, index: defaults }), "await queryInterface.addIndex('users', ['title'], { name: 'posts_title' });");
});

test('unique constraints: addConstraint / removeConstraint, with a name when the models give none', (t) => {
  t.is(
    render({ kind: 'addIndex', table: users, index: unique(['email']) }),
    "await queryInterface.addConstraint('users', {\n  type: 'unique',\n  fields: ['email'],\n  name: 'users_email_uk',\n});",
  );
  t.is(
    render({ kind: 'removeIndex', table: users, index: unique(['email'], 'users_email_key') }),
    "await queryInterface.removeConstraint('users', 'users_email_key');",
  );
  sameText(t, render({ kind: 'addIndex', table: users, index: unique(['email']) }, 'sqlite'), [
    "await queryInterface.addIndex('users', ['email'], {",
    "  name: 'users_email_uk',",
    "  unique: true,",
    "});",
  ]);
});

test('removeIndex by name', (t) => {
  t.is(
    render({ kind: 'removeIndex', table: users, index: index(['email'], { name: 'users_email' }) }),
    "await queryInterface.removeIndex('users', 'users_email');",
  );
});

test('removals without a name, or of a SQLite constraint index, are refused with E_UNSUPPORTED', (t) => {
  const attempts: Operation[] = [
    { kind: 'removeIndex', table: users, index: index(['email']) },
    { kind: 'removeIndex', table: users, index: unique(['email']) },
    { kind: 'removeForeignKey', table: users, foreignKey: foreignKey(['team_id'], 'teams') },
  ];
  for (const op of attempts) {
    const error = t.throws(() => render(op), { instanceOf: MigrationError });
    t.is(error?.code, 'E_UNSUPPORTED');
  }
  const sqlite = t.throws(
    () => render({ kind: 'removeIndex', table: users, index: unique(['email'], 'sqlite_autoindex_users_1') }, 'sqlite'),
    { instanceOf: MigrationError },
  );
  t.is(sqlite?.code, 'E_UNSUPPORTED');
});

test('foreign keys: addConstraint with references, composite ones as SQL', (t) => {
  const fk = foreignKey(['team_id'], 'teams', { onDelete: 'SET NULL', onUpdate: 'CASCADE' });
  t.is(
    render({ kind: 'addForeignKey', table: users, foreignKey: fk }),
    [
      "await queryInterface.addConstraint('users', {",
      "  type: 'foreign key',",
      "  fields: ['team_id'],",
      "  name: 'users_team_id_teams_fk',",
      "  references: { table: 'teams', field: 'id' },",
      "  onDelete: 'SET NULL',",
      "  onUpdate: 'CASCADE',",
      '});',
    ].join('\n'),
  );
  const composite = foreignKey(['a', 'b'], 'pairs', { name: 'users_pair_fk', referencedColumns: ['x', 'y'] });
  t.is(
    render({ kind: 'addForeignKey', table: users, foreignKey: composite }, 'mysql'),
    "await queryInterface.sequelize.query(\n  'ALTER TABLE `users` ADD CONSTRAINT `users_pair_fk` FOREIGN KEY (`a`, `b`) REFERENCES `pairs` (`x`, `y`) ON DELETE NO ACTION ON UPDATE NO ACTION',\n);",
  );
  sameText(t, render({ kind: 'addForeignKey', table: users, foreignKey: composite }, 'sqlite'), [
    "await queryInterface.addConstraint('users', {",
    "  type: 'foreign key',",
    "  fields: ['a', 'b'],",
    "  name: 'users_pair_fk',",
    "  references: { table: 'pairs', fields: ['x', 'y'] },",
    "  onDelete: 'NO ACTION',",
    "  onUpdate: 'NO ACTION',",
    "});",
  ]);
  t.is(
    render({ kind: 'removeForeignKey', table: users, foreignKey: { ...fk, name: 'users_team_id_fkey' } }),
    "await queryInterface.removeConstraint('users', 'users_team_id_fkey');",
  );
});

test('enums: CREATE TYPE, ADD VALUE in place with a warning, DROP TYPE', (t) => {
  const mood = { name: 'enum_users_mood', schema: null, values: ['ok', 'sad'] };
  t.is(
    render({ kind: 'createEnum', enum: mood }),
    [
      "if (queryInterface.sequelize.getDialect() === 'postgres') {",
      '  await queryInterface.sequelize.query(',
      "    `CREATE TYPE \"enum_users_mood\" AS ENUM ('ok', 'sad')`,",
      '  );',
      '}',
    ].join('\n'),
  );
  const added = render({ kind: 'addEnumValues', enum: mood, values: [{ value: 'meh', after: null }, { value: 'happy', after: 'ok' }] });
  sameText(t, added, [
    "// PostgreSQL 12+ adds enum values inside a transaction, but a new value",
    "// cannot be used before the transaction commits: use it in a later",
    "// migration (https://www.postgresql.org/docs/current/sql-altertype.html).",
    "if (queryInterface.sequelize.getDialect() === 'postgres') {",
    "  await queryInterface.sequelize.query(",
    "    `ALTER TYPE \"enum_users_mood\" ADD VALUE IF NOT EXISTS 'meh' BEFORE 'ok'`,",
    "  );",
    "  await queryInterface.sequelize.query(",
    "    `ALTER TYPE \"enum_users_mood\" ADD VALUE IF NOT EXISTS 'happy' AFTER 'ok'`,",
    "  );",
    "}",
  ]);
  t.is(
    render({ kind: 'dropEnum', enum: mood }),
    `if (queryInterface.sequelize.getDialect() === 'postgres') {\n  await queryInterface.sequelize.query('DROP TYPE IF EXISTS "enum_users_mood"');\n}`,
  );
  sameText(t, render({ kind: 'dropEnum', enum: { ...mood, schema: 'app' } }), [
    "if (queryInterface.sequelize.getDialect() === 'postgres') {",
    "  await queryInterface.sequelize.query(",
    "    'DROP TYPE IF EXISTS \"app\".\"enum_users_mood\"',",
    "  );",
    "}",
  ]);
});

test('rebuildTable: new table, copy of shared columns, drop, rename, indexes', (t) => {
  const from = table('users', [id(), column('name', { name: 'STRING', length: 50 }), column('old', { name: 'INTEGER' })], {
    indexes: [index(['name'], { name: 'users_name' })],
  });
  const to = table(
    'users',
    [
      id(),
      column('name', { name: 'STRING', length: 50 }, { allowNull: false, defaultValue: { kind: 'value', value: "n/a'" } }),
      column('team_id', { name: 'INTEGER' }),
      column('required', { name: 'INTEGER' }, { allowNull: false }),
    ],
    { indexes: [index(['name'], { name: 'users_name' })], foreignKeys: [foreignKey(['team_id'], 'teams', { onDelete: 'CASCADE' })] },
  );
  const text = render({ kind: 'rebuildTable', from, to }, 'sqlite');
  const order = [
    '// Rebuild users',
    'PRAGMA foreign_key_check',
    "await queryInterface.createTable('users__automigrate_new', {",
    "references: { model: 'teams', key: 'id' }",
    '// NOTE: new column required is NOT NULL without a default',
    '`INSERT INTO "users__automigrate_new" ("id", "name") SELECT "id", COALESCE("name", \'n/a\'\'\') FROM "users"`',
    "await queryInterface.dropTable('users');",
    "await queryInterface.renameTable('users__automigrate_new', 'users');",
    "await queryInterface.addIndex('users', ['name'], { name: 'users_name' });",
  ];
  let at = -1;
  for (const part of order) {
    const found = text.indexOf(part, at + 1);
    t.true(found > at, `${part} in order in:\n${text}`);
    at = found;
  }
  t.false(/PRAGMA foreign_keys\s*=/.test(text));
});

test('removeColumn on SQLite drops the column in place, not through a copy', (t) => {
  sameText(t, render({ kind: 'removeColumn', table: users, column: email }, 'sqlite'), [
    "// Sequelize's SQLite removeColumn copies the table and loses its indexes;",
    "// SQLite 3.35+ drops the column in place",
    "// (https://www.sqlite.org/lang_altertable.html#altertabdropcol).",
    "await queryInterface.sequelize.query('ALTER TABLE \"users\" DROP COLUMN \"email\"');",
  ]);
});

test('removeEnumValues calls the library helper with the type, its schema and the values', (t) => {
  const text = render({ kind: 'removeEnumValues', enum: { name: 'mood', schema: 'app', values: ['a', 'b'] }, values: ['b'] });
  t.is(
    text,
    [
      '// Remove b from mood: the type is created again without',
      '// them and its columns cast back; refused (E_ENUM_VALUE_IN_USE) while rows hold them.',
      "await (await import('sequelize-automigrate')).removeEnumValues(queryInterface, {",
      "  type: 'mood',",
      "  schema: 'app',",
      "  values: ['b'],",
      '});',
    ].join('\n'),
  );
});

test('alterPrimaryKey is one ALTER TABLE; SQLite and a rebuildTable outside SQLite are refused', (t) => {
  const tags = { name: 'tags', schema: null };
  t.is(
    render({ kind: 'alterPrimaryKey', table: tags, from: ['id'], to: ['id', 'code'] }),
    `await queryInterface.sequelize.query(\n  'ALTER TABLE "tags" DROP CONSTRAINT "tags_pkey", ADD PRIMARY KEY ("id", "code")',\n);`,
  );
  t.is(
    render({ kind: 'alterPrimaryKey', table: tags, from: ['id', 'code'], to: ['id'] }, 'mysql'),
    "await queryInterface.sequelize.query(\n  'ALTER TABLE `tags` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`)',\n);",
  );
  t.is(
    render({ kind: 'alterPrimaryKey', table: tags, from: [], to: ['id'] }),
    `await queryInterface.sequelize.query(\n  'ALTER TABLE "tags" ADD PRIMARY KEY ("id")',\n);`,
  );
  const onSqlite = t.throws(() => render({ kind: 'alterPrimaryKey', table: tags, from: ['id'], to: ['code'] }, 'sqlite'), { instanceOf: MigrationError });
  t.is(onSqlite?.code, 'E_UNSUPPORTED');
  const before = table('tags', [id(), column('code', { name: 'STRING', length: 5 }, { allowNull: false })]);
  const rebuild = t.throws(() => render({ kind: 'rebuildTable', from: before, to: { ...before, comment: 'x' } }), { instanceOf: MigrationError });
  t.is(rebuild?.code, 'E_UNSUPPORTED');
});

test('every operation kind renders on its dialect (the switch is exhaustive)', (t) => {
  const ops: Operation[] = [
    { kind: 'createTable', table: table('users', [id()]) },
    { kind: 'dropTable', table: table('users', [id()]) },
    { kind: 'addColumn', table: users, column: email },
    { kind: 'removeColumn', table: users, column: email },
    { kind: 'changeColumn', table: users, from: email, to: email },
    { kind: 'addIndex', table: users, index: index(['email'], { name: 'i' }) },
    { kind: 'removeIndex', table: users, index: index(['email'], { name: 'i' }) },
    { kind: 'addForeignKey', table: users, foreignKey: foreignKey(['x'], 't') },
    { kind: 'removeForeignKey', table: users, foreignKey: foreignKey(['x'], 't', { name: 'f' }) },
    { kind: 'rebuildTable', from: table('users', [id()]), to: table('users', [id()]) },
    { kind: 'alterPrimaryKey', table: users, from: ['id'], to: ['id', 'email'] },
    { kind: 'createEnum', enum: { name: 'e', schema: null, values: ['a'] } },
    { kind: 'dropEnum', enum: { name: 'e', schema: null, values: ['a'] } },
    { kind: 'addEnumValues', enum: { name: 'e', schema: null, values: ['a'] }, values: [{ value: 'b', after: 'a' }] },
  ];
  const kinds = new Set<string>();
  for (const op of ops) {
    t.regex(render(op, op.kind === 'rebuildTable' ? 'sqlite' : 'postgres'), /await queryInterface\./);
    kinds.add(op.kind);
  }
  t.is(kinds.size, 14);
});
