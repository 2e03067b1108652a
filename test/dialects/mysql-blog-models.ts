import { DataTypes, Sequelize } from 'sequelize';
import { blogUserColumns } from './blog-user-columns';

/** A blog: users, posts, comments, tags and the posts<->tags through table. */
export function defineBlog(sequelize: Sequelize): void {
  const User = sequelize.define(
    'User',
    {
      ...blogUserColumns(),
      lastLoginAt: { type: DataTypes.DATE, defaultValue: Sequelize.fn('now') },
      precise: { type: DataTypes.DATE(3), defaultValue: Sequelize.literal('CURRENT_TIMESTAMP(3)') },
      apiKey: { type: DataTypes.UUID, defaultValue: DataTypes.UUIDV4 },
      rating: { type: DataTypes.FLOAT, defaultValue: 2.5 },
      karma: { type: DataTypes.INTEGER, defaultValue: -1 },
      visits: { type: DataTypes.BIGINT.UNSIGNED, defaultValue: 0 },
      bio: DataTypes.TEXT('medium'),
      avatar: DataTypes.BLOB('long'),
      wakeAt: DataTypes.TIME,
      countryCode: { type: DataTypes.CHAR(2), unique: 'users_country_uq' },
    },
    {
      tableName: 'users',
      underscored: true,
      paranoid: true,
      comment: 'people who sign in',
      indexes: [
        { fields: ['role', 'is_active'] },
        { name: 'users_display_name_idx', fields: ['display_name'] },
        { unique: true, fields: ['display_name', 'birthday'] },
      ],
    },
  );
  const Post = sequelize.define(
    'Post',
    {
      title: { type: DataTypes.STRING(200), allowNull: false },
      body: DataTypes.TEXT,
      published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      views: { type: DataTypes.INTEGER.UNSIGNED, defaultValue: 0 },
    },
    { tableName: 'posts', underscored: true },
  );
  const Comment = sequelize.define(
    'Comment',
    { body: { type: DataTypes.TEXT, allowNull: false }, score: DataTypes.DOUBLE },
    // An index of our own on a foreign key column: InnoDB then drops the one it made for the key.
    { tableName: 'comments', underscored: true, indexes: [{ name: 'comments_author', fields: ['author_id'] }] },
  );
  const Tag = sequelize.define(
    'Tag',
    { label: { type: DataTypes.STRING(50), allowNull: false, unique: true } },
    { tableName: 'tags', timestamps: false },
  );
  Post.belongsTo(User, { foreignKey: 'userId', onDelete: 'CASCADE', onUpdate: 'CASCADE' });
  Comment.belongsTo(Post, { foreignKey: 'postId', onDelete: 'CASCADE' });
  Comment.belongsTo(User, { as: 'author', foreignKey: 'authorId', onDelete: 'SET NULL' });
  Post.belongsToMany(Tag, { through: 'post_tags', foreignKey: 'postId', otherKey: 'tagId' });
  Tag.belongsToMany(Post, { through: 'post_tags', foreignKey: 'tagId', otherKey: 'postId' });
}
