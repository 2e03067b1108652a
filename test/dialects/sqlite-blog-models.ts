import { DataTypes, Sequelize } from 'sequelize';
import { blogUserColumns } from './blog-user-columns';

/** A blog: users, posts, comments, tags and the posts<->tags through table. */
export function defineBlog(sequelize: Sequelize): void {
  const User = sequelize.define(
    'User',
    {
      ...blogUserColumns(),
      lastLoginAt: { type: DataTypes.DATE, defaultValue: Sequelize.literal('CURRENT_TIMESTAMP') },
      apiKey: { type: DataTypes.UUID, defaultValue: DataTypes.UUIDV4 },
      rating: { type: DataTypes.FLOAT, defaultValue: 2.5 },
      karma: { type: DataTypes.INTEGER, defaultValue: -1 },
      avatar: DataTypes.BLOB('long'),
    },
    {
      tableName: 'users',
      underscored: true,
      paranoid: true,
      comment: 'people who sign in',
      indexes: [{ fields: ['role', 'is_active'] }, { name: 'users_display_name_idx', fields: ['display_name'] }],
    },
  );
  const Post = sequelize.define(
    'Post',
    {
      title: { type: DataTypes.STRING(200), allowNull: false },
      body: DataTypes.TEXT,
      status: { type: DataTypes.ENUM('draft', 'published'), defaultValue: 'draft' },
      views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      publishedAt: { type: DataTypes.DATE, defaultValue: Sequelize.literal("(datetime('now'))") },
      featuredUntil: { type: DataTypes.DATE, defaultValue: new Date(Date.UTC(2030, 0, 1)) },
    },
    { tableName: 'posts', indexes: [{ name: 'posts_author_title', unique: true, fields: ['authorId', 'title'] }] },
  );
  const Comment = sequelize.define(
    'Comment',
    {
      body: { type: DataTypes.TEXT, allowNull: false },
      approved: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    },
    { tableName: 'comments', underscored: true },
  );
  const Tag = sequelize.define(
    'Tag',
    {
      name: { type: DataTypes.STRING(50), allowNull: false, unique: 'tags_name_key' },
      slug: { type: DataTypes.STRING, unique: true },
    },
    { tableName: 'tags', timestamps: false },
  );
  User.hasMany(Post, { foreignKey: 'authorId', onDelete: 'CASCADE', onUpdate: 'CASCADE' });
  Post.belongsTo(User, { foreignKey: 'authorId', onDelete: 'CASCADE', onUpdate: 'CASCADE' });
  Comment.belongsTo(Post, { foreignKey: 'postId', onDelete: 'CASCADE' });
  Comment.belongsTo(User, { foreignKey: 'userId', onDelete: 'SET NULL' });
  Post.belongsToMany(Tag, { through: 'post_tags' });
  Tag.belongsToMany(Post, { through: 'post_tags' });
}
