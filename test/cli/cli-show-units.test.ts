/**
 * The pure pieces behind `show`, `migrate` without -m and the diagram, without a database: reading
 * a migration's `up` without running it, the derived message, the Mermaid rendering.
 */
import test from 'ava';
import type { Operation } from '../../types/operations';
import type { Column, Table } from '../../types/schema';
import { migrationCalls, upBody } from '../../lib/cli/migration-text';
import { messageFor } from '../../lib/cli/operation-summary';
import { mermaidDiagram } from '../../lib/render/mermaid';

test('upBody finds up as a method, a function export or an arrow, skipping braces in strings and comments', (t) => {
  t.is(upBody("module.exports = { async up(qi, S) {\n    await qi.query('SELECT \"}\"'); // }\n  },\n  async down() {} };"), "await qi.query('SELECT \"}\"'); // }");
  t.is(upBody("export async function up({ context: qi }: { context: QI }): Promise<void> {\n  await qi.dropTable('a');\n}\n"), "await qi.dropTable('a');");
  t.is(upBody('module.exports = { up: async (qi) => {\n  await qi.createTable(`t`, {});\n} };'), 'await qi.createTable(`t`, {});');
  t.is(upBody('module.exports = {};'), null);
});

test('migrationCalls lists literal QueryInterface calls in order, not commented-out ones', (t) => {
  const body = [
    "await queryInterface.createTable('users', { id: {} });",
    "// await queryInterface.addColumn('users', 'nickname', Sequelize.STRING);",
    "/* await queryInterface.dropTable('x'); */",
    "await queryInterface.addColumn('users', 'bio', Sequelize.TEXT);",
    "await queryInterface.renameTable('people', 'persons');",
    "await queryInterface.sequelize.query('UPDATE users SET bio = NULL');",
  ].join('\n');
  t.deepEqual(migrationCalls(body), ['createTable users', 'addColumn users.bio', 'renameTable people -> persons', 'query UPDATE users SET bio = NULL']);
});

const column = (name: string, allowNull = true): Column => ({ name, type: { name: 'INTEGER' }, allowNull, defaultValue: null, autoIncrement: false, comment: null });
const table = (name: string, extra: Partial<Table> = {}): Table => ({
  name,
  schema: null,
  columns: [column('id', false)],
  primaryKey: ['id'],
  indexes: [],
  foreignKeys: [],
  comment: null,
  ...extra,
});

test('messageFor groups operations by verb and stops after four objects', (t) => {
  const ops: Operation[] = [
    { kind: 'createTable', table: table('users') },
    { kind: 'createTable', table: table('posts') },
    { kind: 'addColumn', table: { name: 'users', schema: null }, column: column('bio') },
  ];
  t.is(messageFor(ops), 'create users, posts; add users.bio');
  const many = ['a', 'b', 'c', 'd', 'e', 'f'].map((name): Operation => ({ kind: 'dropTable', table: table(name) }));
  t.is(messageFor(many), 'drop a, b, c, d and 2 more');
  t.is(messageFor([]), 'empty');
});

test('mermaidDiagram: keys, a composite identifying key, types made one token, quoted odd names', (t) => {
  const tags = table('tags');
  const link = table('post tags', {
    columns: [column('postId', false), column('tagId', false), { ...column('price'), type: { name: 'DECIMAL', precision: 10, scale: 2 } }],
    primaryKey: ['postId', 'tagId'],
    foreignKeys: [{ name: null, columns: ['tagId'], referencedTable: 'tags', referencedSchema: null, referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' }],
  });
  t.is(
    mermaidDiagram({ dialect: 'postgres', tables: [tags, link], enums: [] }),
    [
      'erDiagram',
      '  "post tags" {',
      '    INTEGER postId PK',
      '    INTEGER tagId PK, FK',
      '    DECIMAL(10-2) price',
      '  }',
      '  tags {',
      '    INTEGER id PK',
      '  }',
      '  tags ||--o{ "post tags" : "tagId"',
      '',
    ].join('\n'),
  );
});
