import { DataTypes, type ModelAttributes } from 'sequelize';

/**
 * The first user columns of the SQLite and MySQL blogs (column order matters); each adds its own.
 * Fresh objects on every call: Sequelize writes into the attributes it is given.
 */
export function blogUserColumns(): ModelAttributes {
  return {
    email: { type: DataTypes.STRING, allowNull: false, unique: true, comment: 'login name' },
    displayName: { type: DataTypes.STRING(100), defaultValue: 'anonymous' },
    role: { type: DataTypes.ENUM('admin', 'editor', 'reader'), allowNull: false, defaultValue: 'reader' },
    isActive: { type: DataTypes.BOOLEAN, defaultValue: true },
    balance: { type: DataTypes.DECIMAL(10, 2), defaultValue: 0 },
    settings: { type: DataTypes.JSON, defaultValue: { theme: 'dark' } },
    birthday: DataTypes.DATEONLY,
  };
}
