/**
 * The models' generic form against the real thing: tables Sequelize's own sync() created,
 * introspected and normalised by the dialect, must diff empty against schemaFromModels. And a
 * model changed afterwards must show up as exactly that change.
 */
import { DataTypes, type Sequelize } from 'sequelize';
import { dialectOf } from '../../lib/dialects';
import { diffSchemas } from '../../lib/diff/diff-schemas';
import { schemaFromModels } from '../../lib/schema/from-models';
import type { Operation } from '../../types/operations';
import { eachDialect } from '../helpers/each-dialect';

function defineBlog(sequelize: Sequelize, options: { extraColumn?: boolean } = {}): void {
  const User = sequelize.define(
    'User',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      email: { type: DataTypes.STRING(320), allowNull: false, unique: true, comment: 'login' },
      displayName: { type: DataTypes.STRING, defaultValue: 'anonymous' },
      role: { type: DataTypes.ENUM('reader', 'author', 'admin'), allowNull: false, defaultValue: 'reader' },
      balance: { type: DataTypes.DECIMAL(12, 2), defaultValue: 0 },
      settings: DataTypes.JSON,
      lastSeenAt: { type: DataTypes.DATE, defaultValue: DataTypes.NOW },
      active: { type: DataTypes.BOOLEAN, defaultValue: true },
      ...(options.extraColumn ? { nickname: DataTypes.STRING(40) } : {}),
    },
    { underscored: true, paranoid: true, comment: 'people' },
  );
  const Post = sequelize.define(
    'Post',
    {
      title: { type: DataTypes.STRING(200), allowNull: false },
      slug: { type: DataTypes.STRING(200), allowNull: false, unique: 'posts_slug_key' },
      body: DataTypes.TEXT,
      views: { type: DataTypes.INTEGER, defaultValue: 0 },
      score: DataTypes.FLOAT,
      publishedAt: { type: DataTypes.DATE, defaultValue: sequelize.literal('CURRENT_TIMESTAMP') },
    },
    {
      indexes: [
        { fields: ['title', 'publishedAt'] },
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

async function diffAgainstDatabase(sequelize: Sequelize): Promise<Operation[]> {
  const dialect = dialectOf(sequelize);
  const current = await dialect.introspect(sequelize, {});
  return diffSchemas(current, schemaFromModels(sequelize), {
    capabilities: dialect.capabilities,
    normalize: (table) => dialect.normalizeTable(table),
  }).operations;
}

eachDialect('tables sync() created diff empty against schemaFromModels', async (t, db) => {
  defineBlog(db.sequelize);
  await db.sequelize.sync();
  t.deepEqual(await diffAgainstDatabase(db.sequelize), []);
});

eachDialect('a column added to a model after sync() is exactly one addColumn', async (t, db) => {
  defineBlog(db.sequelize);
  await db.sequelize.sync();
  const changed = db.connect();
  defineBlog(changed, { extraColumn: true });
  try {
    const operations = await diffAgainstDatabase(changed);
    t.deepEqual(
      operations.map((op) => (op.kind === 'addColumn' ? [op.kind, op.table.name, op.column.name, op.column.type.name] : [op.kind])),
      [['addColumn', 'users', 'nickname', 'STRING']],
    );
  } finally {
    await changed.close();
  }
});
