/**
 * The realistic schema the PostgreSQL introspection tests build with `sequelize.sync()`: users,
 * posts, comments, tags and their through table, with enums, decimals, JSON, server defaults,
 * unique / composite / named / partial indexes, foreign keys with actions, underscored and
 * paranoid models and comments.
 */
import { DataTypes, type Sequelize } from 'sequelize';

export function defineBlog(sequelize: Sequelize): void {
  const User = sequelize.define(
    'User',
    {
      email: { type: DataTypes.STRING, allowNull: false, unique: true, comment: 'login address' },
      displayName: { type: DataTypes.STRING(80), allowNull: false },
      role: { type: DataTypes.ENUM('reader', 'author', 'admin'), allowNull: false, defaultValue: 'reader' },
      isActive: { type: DataTypes.BOOLEAN, defaultValue: true },
      balance: { type: DataTypes.DECIMAL(12, 2), defaultValue: '0.00' },
      settings: { type: DataTypes.JSONB, defaultValue: { theme: 'dark', notify: true } },
      lastSeenAt: { type: DataTypes.DATE, defaultValue: sequelize.literal('CURRENT_TIMESTAMP') },
      bio: DataTypes.TEXT,
      // Evaluated in JavaScript: never a server default.
      apiKey: { type: DataTypes.UUID, defaultValue: DataTypes.UUIDV4 },
      loginCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    {
      tableName: 'users',
      underscored: true,
      paranoid: true,
      comment: 'People who sign in',
      indexes: [{ name: 'users_role_active', fields: ['role', 'is_active'] }],
    },
  );

  const Post = sequelize.define(
    'Post',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      title: { type: DataTypes.STRING(200), allowNull: false },
      slug: { type: DataTypes.STRING(200), allowNull: false },
      body: { type: DataTypes.TEXT, comment: 'markdown' },
      status: { type: DataTypes.ENUM('draft', 'published'), allowNull: false, defaultValue: 'draft' },
      rating: { type: DataTypes.FLOAT, defaultValue: 0 },
      views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      publishedOn: DataTypes.DATEONLY,
      metadata: DataTypes.JSON,
      price: DataTypes.DECIMAL(10, 2),
      checkedAt: { type: DataTypes.DATE, defaultValue: sequelize.fn('now') },
    },
    {
      tableName: 'posts',
      underscored: true,
      indexes: [
        { fields: ['author_id', 'published_on'] },
        { unique: true, name: 'posts_author_slug', fields: ['author_id', 'slug'] },
        { name: 'posts_published', fields: ['published_on'], where: { status: 'published' } },
      ],
    },
  );

  const Comment = sequelize.define('Comment', {
    id: { type: DataTypes.UUID, primaryKey: true, defaultValue: sequelize.literal('gen_random_uuid()') },
    body: { type: DataTypes.TEXT, allowNull: false },
    score: { type: DataTypes.SMALLINT, defaultValue: 0 },
  });

  const Tag = sequelize.define(
    'Tag',
    {
      name: { type: DataTypes.STRING(50), allowNull: false, unique: true },
      color: { type: DataTypes.CHAR(7), defaultValue: '#ffffff' },
      weight: { type: DataTypes.DOUBLE, defaultValue: 1.5 },
    },
    { tableName: 'tags', timestamps: false },
  );

  const author = { name: 'authorId', allowNull: false };
  User.hasMany(Post, { foreignKey: author, onDelete: 'CASCADE', onUpdate: 'CASCADE' });
  Post.belongsTo(User, { as: 'author', foreignKey: author, onDelete: 'CASCADE', onUpdate: 'CASCADE' });
  Post.hasMany(Comment, { foreignKey: 'postId' });
  Comment.belongsTo(Post, { foreignKey: 'postId' });
  Comment.belongsTo(Comment, { as: 'parent', foreignKey: 'parentId', onDelete: 'RESTRICT', onUpdate: 'NO ACTION' });
  Post.belongsToMany(Tag, { through: 'post_tags', foreignKey: 'postId', otherKey: 'tagId' });
  Tag.belongsToMany(Post, { through: 'post_tags', foreignKey: 'tagId', otherKey: 'postId' });
}
