/**
 * The application the benchmarks boot: N tables, each with ten columns, an index and a foreign key
 * (to the table before it; the first one to itself), as N sequelize-cli migration files and as the
 * N models that match them. Both are written as plain JavaScript into a folder, so child processes
 * load them without a TypeScript loader, as a deployed application would.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function tableName(i: number): string {
  return `t${String(i).padStart(4, '0')}`;
}

function parentOf(i: number): string {
  return tableName(Math.max(1, i - 1));
}

/** sequelize-cli's file names: a timestamp, then a slug. */
export function migrationFileName(i: number): string {
  return `2026010100${String(i).padStart(4, '0')}-create-${tableName(i)}.js`;
}

function migrationSource(i: number): string {
  const t = tableName(i);
  return `'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('${t}', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      parentId: {
        type: Sequelize.INTEGER,
        allowNull: true,
        references: { model: '${parentOf(i)}', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      name: { type: Sequelize.STRING(100), allowNull: false },
      score: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 },
      price: { type: Sequelize.DECIMAL(10, 2), allowNull: true },
      active: { type: Sequelize.BOOLEAN, allowNull: false, defaultValue: true },
      notes: { type: Sequelize.TEXT, allowNull: true },
      born: { type: Sequelize.DATEONLY, allowNull: true },
      createdAt: { type: Sequelize.DATE, allowNull: false },
      updatedAt: { type: Sequelize.DATE, allowNull: false },
    });
    await queryInterface.addIndex('${t}', ['name'], { name: '${t}_name' });
  },

  async down(queryInterface) {
    await queryInterface.dropTable('${t}');
  },
};
`;
}

/** `models.cjs`: `module.exports = (sequelize) => { ...N define() calls }`, matching the migrations. */
function modelsSource(count: number): string {
  return `'use strict';

module.exports = function defineModels(sequelize) {
  // The application's own Sequelize: this file lives outside any node_modules tree.
  const { DataTypes } = sequelize.constructor;
  for (let i = 1; i <= ${count}; i++) {
    const table = 't' + String(i).padStart(4, '0');
    const parent = 't' + String(Math.max(1, i - 1)).padStart(4, '0');
    sequelize.define(
      table,
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        parentId: {
          type: DataTypes.INTEGER,
          allowNull: true,
          references: { model: parent, key: 'id' },
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
        name: { type: DataTypes.STRING(100), allowNull: false },
        score: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        price: { type: DataTypes.DECIMAL(10, 2), allowNull: true },
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        notes: { type: DataTypes.TEXT, allowNull: true },
        born: { type: DataTypes.DATEONLY, allowNull: true },
      },
      { tableName: table, timestamps: true, indexes: [{ name: table + '_name', fields: ['name'] }] },
    );
  }
};
`;
}

export interface AppFixture {
  readonly migrations: string;
  readonly models: string;
  readonly count: number;
}

/** Writes `<dir>/migrations/*.js` and `<dir>/models.cjs`. */
export function writeApp(dir: string, count: number): AppFixture {
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations, { recursive: true });
  for (let i = 1; i <= count; i++) writeFileSync(join(migrations, migrationFileName(i)), migrationSource(i));
  const models = join(dir, 'models.cjs');
  writeFileSync(models, modelsSource(count));
  return { migrations, models, count };
}
