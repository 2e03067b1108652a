/** A realistic model set in three versions, defined on a given Sequelize instance. */
import { DataTypes, type Sequelize } from 'sequelize';

export function blogV1(sequelize: Sequelize): void {
  const User = sequelize.define('User', {
    email: { type: DataTypes.STRING(120), allowNull: false, unique: true },
    name: { type: DataTypes.STRING, allowNull: true },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
  }, { tableName: 'users' });
  const Post = sequelize.define('Post', {
    title: { type: DataTypes.STRING(200), allowNull: false },
    body: { type: DataTypes.TEXT, allowNull: true },
  }, { tableName: 'posts', indexes: [{ fields: ['title'] }] });
  Post.belongsTo(User, { foreignKey: { name: 'authorId', allowNull: false }, onDelete: 'CASCADE' });
}

export function blogV2(sequelize: Sequelize): void {
  blogV1(sequelize);
  const { User, Post } = sequelize.models;
  const Comment = sequelize.define('Comment', {
    text: { type: DataTypes.TEXT, allowNull: false },
    score: { type: DataTypes.DECIMAL(10, 2), allowNull: false, defaultValue: 0 },
    status: { type: DataTypes.ENUM('visible', 'hidden'), allowNull: false, defaultValue: 'visible' },
  }, { tableName: 'comments', indexes: [{ name: 'comments_status_score', fields: ['status', 'score'] }] });
  Comment.belongsTo(Post, { foreignKey: { name: 'postId', allowNull: false }, onDelete: 'CASCADE' });
  Comment.belongsTo(User, { foreignKey: { name: 'userId', allowNull: true }, onDelete: 'SET NULL' });
  const Tag = sequelize.define('Tag', { label: { type: DataTypes.STRING(50), allowNull: false, unique: true } }, { tableName: 'tags' });
  Post.belongsToMany(Tag, { through: 'post_tags', foreignKey: 'postId', otherKey: 'tagId' });
  Tag.belongsToMany(Post, { through: 'post_tags', foreignKey: 'tagId', otherKey: 'postId' });
  void User;
}

export function blogV3(sequelize: Sequelize): void {
  blogV2(sequelize);
  const { Post, User } = sequelize.models;
  // A new column with a server default, a changed type and nullability, a new composite index.
  Post.rawAttributes.views = { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 } as never;
  Post.rawAttributes.body = { ...Post.rawAttributes.body, allowNull: false, defaultValue: '' } as never;
  (Post.options.indexes as object[]).push({ name: 'posts_author_views', fields: ['authorId', 'views'] });
  refresh(Post);
  User.rawAttributes.meta = { type: DataTypes.JSON, allowNull: true } as never;
  refresh(User);
}

/** Sequelize recomputes a model from rawAttributes here (public at run time, absent from its typings). */
function refresh(model: unknown): void {
  (model as { refreshAttributes(): void }).refreshAttributes();
}
