'use strict';
const { DataTypes } = require('sequelize');

/** The application's models: what the migrations build, and what the handler queries. */
module.exports = function defineModels(sequelize) {
  const Note = sequelize.define(
    'Note',
    {
      text: { type: DataTypes.STRING(500), allowNull: false },
      done: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    },
    { tableName: 'notes', indexes: [{ name: 'notes_done', fields: ['done'] }] },
  );
  return { Note };
};
