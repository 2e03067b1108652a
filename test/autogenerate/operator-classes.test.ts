/**
 * PostgreSQL operator classes on indexes (issue 12, item 5): introspected with the index, compared,
 * and never rewritten without them. Elsewhere Sequelize ignores `operator`, and so does the diff.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { DataTypes, QueryTypes, type Sequelize } from 'sequelize';
import { createMigrator, type Migrator } from '../../lib';
import { dialectOf } from '../../lib/dialects';
import type { Index } from '../../types/schema';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';

function migratorOn(db: TestDatabase, folder: string, define: (s: Sequelize) => void): { sequelize: Sequelize; migrator: Migrator } {
  const sequelize = db.connect();
  define(sequelize);
  return { sequelize, migrator: createMigrator({ sequelize, migrations: folder, logger: false, language: 'js' }) };
}

/** posts(title, data) with the given indexes; `data` is JSONB on PostgreSQL. */
function posts(indexes: readonly object[]) {
  return (s: Sequelize) => {
    const json = s.getDialect() === 'postgres' ? DataTypes.JSONB : DataTypes.JSON;
    s.define('Post', { title: DataTypes.STRING(100), data: json }, { tableName: 'posts', timestamps: false, indexes: indexes as never });
  };
}

/** Index name -> the database's own definition (PostgreSQL). */
async function definitions(sequelize: Sequelize): Promise<Record<string, string>> {
  const rows = await sequelize.query<{ name: string; definition: string }>(
    "SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE tablename = 'posts'",
    { type: QueryTypes.SELECT },
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.definition]));
}

async function introspectedIndex(sequelize: Sequelize, name: string): Promise<Index | undefined> {
  const schema = await dialectOf(sequelize).introspect(sequelize);
  return schema.tables.find((table) => table.name === 'posts')?.indexes.find((index) => index.name === name);
}

const patternIndex = { name: 'posts_title_pattern', fields: [{ name: 'title', operator: 'text_pattern_ops' }] };

eachDialect('an index with an operator class round-trips: generate, upgrade, empty diff', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const postgres = db.dialect === 'postgres';
  // PostgreSQL also gets a GIN index with an index-wide operator class, and one naming the
  // type's default class, which the database reports as none.
  const gin = [
    { name: 'posts_data_path', using: 'gin', operator: 'jsonb_path_ops', fields: ['data'] },
    { name: 'posts_data_default', using: 'gin', fields: [{ name: 'data', operator: 'jsonb_ops' }] },
  ];
  const indexes = postgres ? [patternIndex, ...gin] : [patternIndex];
  const { sequelize, migrator } = migratorOn(db, folder, posts(indexes));
  const result = await migrator.generate('posts');
  t.truthy(result);
  await migrator.upgrade();
  t.deepEqual(await migrator.diff(), []);
  if (!postgres) {
    t.notRegex(readFileSync(result!.path, 'utf8'), /operator/, 'Sequelize writes no operator class here: neither does the file');
    return;
  }
  t.regex(readFileSync(result!.path, 'utf8'), /\{ name: 'title', operator: 'text_pattern_ops' \}/);
  const defs = await definitions(sequelize);
  t.regex(defs.posts_title_pattern ?? '', /\(title text_pattern_ops\)$/);
  t.regex(defs.posts_data_path ?? '', /USING gin \(data jsonb_path_ops\)$/);
  t.deepEqual((await introspectedIndex(sequelize, 'posts_title_pattern'))?.operators, ['text_pattern_ops']);
  t.deepEqual((await introspectedIndex(sequelize, 'posts_data_path'))?.operators, ['jsonb_path_ops']);
  t.regex(defs.posts_data_default ?? '', /USING gin \(data\)$/);
});

eachDialect('indexes with operator classes created by sync() are not drift', async (t, db) => {
  const { sequelize, migrator } = migratorOn(db, join(db.dir, 'migrations'), posts([patternIndex]));
  await sequelize.sync();
  t.deepEqual(await migrator.diff(), []);
});

/** CREATE EXTENSION pg_trgm where the server has it; false (and logged) where it has not. */
async function trigrams(t: ExecutionContext, sequelize: Sequelize): Promise<boolean> {
  const rows = await sequelize.query("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'", { type: QueryTypes.SELECT });
  if (rows.length === 0) {
    t.log('pg_trgm is not installed on this server: gin_trgm_ops not tested');
    return false;
  }
  await sequelize.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  return true;
}

eachDialect('a GIN index with gin_trgm_ops (pg_trgm) round-trips with its operator class', async (t, db) => {
  if (!(await trigrams(t, db.sequelize))) return;
  const folder = join(db.dir, 'migrations');
  const trgm = { name: 'posts_title_trgm', using: 'gin', fields: [{ name: 'title', operator: 'gin_trgm_ops' }] };
  const { sequelize, migrator } = migratorOn(db, folder, posts([trgm]));
  await migrator.generate('posts');
  await migrator.upgrade();
  t.regex((await definitions(sequelize)).posts_title_trgm ?? '', /USING gin \(title gin_trgm_ops\)$/);
  t.deepEqual(await migrator.diff(), []);
}, { dialects: ['postgres'] });

eachDialect('an operator class the models lack is drift, and down() restores the index with it', async (t, db) => {
  const folder = join(db.dir, 'migrations');
  const plain = migratorOn(db, folder, posts([]));
  await plain.migrator.generate('posts');
  await plain.migrator.upgrade();
  // A hand-made index with an operator class; the models have the index, without the class.
  await db.sequelize.query('CREATE INDEX posts_title_pattern ON posts (title text_pattern_ops)');
  const models = migratorOn(db, folder, posts([{ name: 'posts_title_pattern', fields: ['title'] }]));
  t.deepEqual(
    (await models.migrator.diff()).map((op) => [op.kind, 'index' in op ? op.index.operators ?? null : null]),
    [
      ['removeIndex', ['text_pattern_ops']],
      ['addIndex', null],
    ],
    'reported, not taken as equal',
  );
  const result = await models.migrator.generate('plain title index');
  const source = readFileSync(result!.path, 'utf8');
  const down = source.slice(source.indexOf('async down('));
  t.regex(down, /\{ name: 'title', operator: 'text_pattern_ops' \}/, 'down() re-creates it with its operator class');
  await models.migrator.upgrade();
  t.regex((await definitions(db.sequelize)).posts_title_pattern ?? '', /\(title\)$/);
  t.deepEqual(await models.migrator.diff(), []);
  await models.migrator.downgrade();
  t.regex((await definitions(db.sequelize)).posts_title_pattern ?? '', /\(title text_pattern_ops\)$/);
}, { dialects: ['postgres'] });
