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

const VERSIONS = [blogV1, blogV2, blogV3Portable];

/** Generates each version on `source`, applies it there and on `target`; no drift on either after each. */
async function generateAndApply(t: import('ava').ExecutionContext, folder: string, source: () => Sequelize, target: () => Sequelize) {
  for (const [i, define] of VERSIONS.entries()) {
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
    if (i === 2) t.regex(readFileSync(generated!.path, 'utf8'), /Sequelize\.ENUM\('admin', 'member'\)/, 'the ENUM stays an ENUM');
  }
}

eachDialect(
  'three model versions generated on SQLite apply here with no drift',
  async (t, db) => {
    const storage = join(db.dir, 'development.sqlite');
    const sqlite = () => new Sequelize({ dialect: 'sqlite', storage, logging: false });
    await generateAndApply(t, join(db.dir, 'migrations'), sqlite, () => db.connect());
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
