/**
 * SQLite in development, PostgreSQL or MySQL in production: migrations generated against one
 * dialect apply on another and leave no drift there against the same models.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataTypes, Sequelize } from 'sequelize';
import { createMigrator } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { blogV1, blogV2 } from './blog-versions';

/** v2 plus what SQLite adds in place: a column with a constant default, an ENUM column, an index. */
function blogV3Portable(sequelize: Sequelize): void {
  blogV2(sequelize);
  const { Post, User } = sequelize.models;
  Post!.rawAttributes.views = { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 } as never;
  (Post!.options.indexes as object[]).push({ name: 'posts_views', fields: ['views'] });
  (Post as unknown as { refreshAttributes(): void }).refreshAttributes();
  User!.rawAttributes.role = { type: DataTypes.ENUM('admin', 'member'), allowNull: true } as never;
  (User as unknown as { refreshAttributes(): void }).refreshAttributes();
}

/** v3 plus a change SQLite makes by rebuilding the table: posts.body becomes NOT NULL DEFAULT ''. */
function blogV4Rebuild(sequelize: Sequelize): void {
  blogV3Portable(sequelize);
  const Post = sequelize.models.Post as unknown as { rawAttributes: Record<string, object>; refreshAttributes(): void };
  Post.rawAttributes.body = { ...Post.rawAttributes.body, allowNull: false, defaultValue: '' };
  Post.refreshAttributes();
}

const VERSIONS = [blogV1, blogV2, blogV3Portable];

/** Generates each version on `source`, applies it there and on `target`; no drift on either after each. */
async function generateAndApply(
  t: import('ava').ExecutionContext,
  folder: string,
  source: () => Sequelize,
  target: () => Sequelize,
  versions: readonly ((s: Sequelize) => void)[] = VERSIONS,
) {
  for (const [i, define] of versions.entries()) {
    const on = (connect: () => Sequelize) => {
      const sequelize = connect();
      define(sequelize);
      return createMigrator({ sequelize, migrations: folder, logger: false, language: 'js' });
    };
    const generated = await on(source).generate(`v${i + 1}`);
    t.truthy(generated, `v${i + 1} generates`);
    await on(source).upgrade();
    await on(target).upgrade();
    t.deepEqual(await on(target).diff(), [], `v${i + 1}: no drift where it was applied`);
    t.deepEqual(await on(source).diff(), [], `v${i + 1}: no drift where it was generated`);
    const source_ = readFileSync(generated!.path, 'utf8');
    if (i === 2) t.regex(source_, /Sequelize\.ENUM\('admin', 'member'\)/, 'the ENUM stays an ENUM');
    if (i === 3) t.regex(source_, /if \(queryInterface\.sequelize\.getDialect\(\) === 'sqlite'\) \{/, 'a rebuild on SQLite, ALTERs elsewhere');
  }
}

eachDialect(
  'four model versions generated on SQLite (the last one a table rebuild there) apply here with no drift, and down',
  async (t, db) => {
    const storage = join(db.dir, 'development.sqlite');
    const sqlite = () => new Sequelize({ dialect: 'sqlite', storage, logging: false });
    await generateAndApply(t, join(db.dir, 'migrations'), sqlite, () => db.connect(), [...VERSIONS, blogV4Rebuild]);
    // Down through the rebuild too: the ALTERs reverse elsewhere as the rebuild does on SQLite.
    const v3 = db.connect();
    blogV3Portable(v3);
    await createMigrator({ sequelize: v3, migrations: join(db.dir, 'migrations'), logger: false }).downgrade();
    t.deepEqual(await createMigrator({ sequelize: v3, migrations: join(db.dir, 'migrations'), logger: false }).diff(), []);
  },
  { dialects: ['postgres', 'mysql'] },
);

eachDialect(
  'three model versions generated here apply on SQLite with no drift',
  async (t, db) => {
    const storage = join(db.dir, 'other.sqlite');
    const sqlite = () => new Sequelize({ dialect: 'sqlite', storage, logging: false });
    await generateAndApply(t, join(db.dir, 'migrations'), () => db.connect(), sqlite);
  },
  { dialects: ['postgres', 'mysql'] },
);
