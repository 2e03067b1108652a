/**
 * A long history as a real project has one: 300 sequelize-cli migrations ending at 40 tables.
 * First the 40 tables (each with a foreign key to the one before and an index), then 260
 * migrations that change them the way histories do: a column added, indexed, its index dropped and
 * the column renamed, its type widened, a new index, a flag column, and for half the tables a
 * table rename. Deterministic: the same files every time. Written as plain JavaScript.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TABLES = 40;
export const MIGRATIONS = 300;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const table = (j: number) => `h${pad(j, 2)}`;

function file(up: string, down: string): string {
  return `'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
${up}
  },

  async down(queryInterface, Sequelize) {
${down}
  },
};
`;
}

function create(j: number): [string, string] {
  const t = table(j);
  return [
    `    await queryInterface.createTable('${t}', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      parentId: { type: Sequelize.INTEGER, allowNull: true, references: { model: '${table(Math.max(1, j - 1))}', key: 'id' }, onDelete: 'SET NULL' },
      name: { type: Sequelize.STRING(100), allowNull: false },
      score: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 },
      createdAt: { type: Sequelize.DATE, allowNull: false },
      updatedAt: { type: Sequelize.DATE, allowNull: false },
    });
    await queryInterface.addIndex('${t}', ['name'], { name: '${t}_name' });`,
    `    await queryInterface.dropTable('${t}');`,
  ];
}

/** Round `r` (0-6) of the changes to table `j`. */
function change(j: number, r: number): [string, string] {
  const t = table(j);
  switch (r) {
    case 0:
      return [`    await queryInterface.addColumn('${t}', 'extra', { type: Sequelize.STRING(50), allowNull: true });`, `    await queryInterface.removeColumn('${t}', 'extra');`];
    case 1:
      return [`    await queryInterface.addIndex('${t}', ['extra'], { name: '${t}_extra' });`, `    await queryInterface.removeIndex('${t}', '${t}_extra');`];
    case 2:
      return [
        `    await queryInterface.removeIndex('${t}', '${t}_extra');\n    await queryInterface.renameColumn('${t}', 'extra', 'label');`,
        `    await queryInterface.renameColumn('${t}', 'label', 'extra');\n    await queryInterface.addIndex('${t}', ['extra'], { name: '${t}_extra' });`,
      ];
    case 3:
      return [
        `    await queryInterface.changeColumn('${t}', 'label', { type: Sequelize.STRING(120), allowNull: true });`,
        `    await queryInterface.changeColumn('${t}', 'label', { type: Sequelize.STRING(50), allowNull: true });`,
      ];
    case 4:
      return [`    await queryInterface.addIndex('${t}', ['label', 'score'], { name: '${t}_label_score' });`, `    await queryInterface.removeIndex('${t}', '${t}_label_score');`];
    case 5:
      return [
        `    await queryInterface.addColumn('${t}', 'flag', { type: Sequelize.BOOLEAN, allowNull: false, defaultValue: false });`,
        `    await queryInterface.removeColumn('${t}', 'flag');`,
      ];
    default:
      return [`    await queryInterface.renameTable('${t}', '${t}_v2');`, `    await queryInterface.renameTable('${t}_v2', '${t}');`];
  }
}

/** Writes the 300 files into `folder` (created); returns their file names in order. */
export function writeLongHistory(folder: string): string[] {
  mkdirSync(folder, { recursive: true });
  const names: string[] = [];
  const write = (slug: string, [up, down]: [string, string]) => {
    const name = `20240101${pad(names.length + 1, 6)}-${slug}.js`;
    writeFileSync(join(folder, name), file(up, down));
    names.push(name);
  };
  for (let j = 1; j <= TABLES; j++) write(`create-${table(j)}`, create(j));
  // Round by round over the tables, as a project touches them over time; the renames come last.
  for (let r = 0; names.length < MIGRATIONS; r++) {
    for (let j = 1; j <= TABLES && names.length < MIGRATIONS; j++) write(`change-${table(j)}-${r}`, change(j, r));
  }
  return names;
}
