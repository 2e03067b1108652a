'use strict';
/** umzug's shape: `up({ context: queryInterface })`. Both run unchanged, from the folder or the bundle. */
const { DataTypes } = require('sequelize');

exports.up = async ({ context: queryInterface }) => {
  await queryInterface.addColumn('notes', 'done', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
  await queryInterface.addIndex('notes', ['done'], { name: 'notes_done' });
};

exports.down = async ({ context: queryInterface }) => {
  await queryInterface.removeIndex('notes', 'notes_done');
  await queryInterface.removeColumn('notes', 'done');
};
