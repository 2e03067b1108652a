/** Writes migration files into a folder, in the two shapes users have: sequelize-cli's and umzug's. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A sequelize-cli migration creating (and dropping) a table `table` with a few columns. */
export function createTableMigration(table: string, extra = ''): string {
  return `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('${table}', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      title: { type: Sequelize.STRING, allowNull: true },
    });
    ${extra}
  },
  async down(queryInterface) {
    await queryInterface.dropTable('${table}');
  },
};
`;
}

/** The same in umzug's shape, as an ES module. */
export function umzugTableMigration(table: string): string {
  return `export async function up({ context: queryInterface, name }) {
  // No import of sequelize: the folder lives outside any node_modules tree in tests.
  await queryInterface.createTable('${table}', { id: { type: 'INTEGER', primaryKey: true }, note: { type: 'VARCHAR(255)', defaultValue: name } });
}
export async function down({ context: queryInterface }) {
  await queryInterface.dropTable('${table}');
}
`;
}

export function writeMigrations(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Table names in the database, history table excluded. */
export async function tableNames(sequelize: import('sequelize').Sequelize, exclude = 'SequelizeMeta'): Promise<string[]> {
  const tables = (await sequelize.getQueryInterface().showAllTables()) as unknown[];
  return tables
    .map((t) => (typeof t === 'string' ? t : String((t as { tableName: string }).tableName)))
    .filter((t) => t !== exclude && !t.startsWith('sqlite_'))
    .sort();
}

export async function historyNames(sequelize: import('sequelize').Sequelize, table = 'SequelizeMeta'): Promise<string[]> {
  const q = (sequelize.getQueryInterface() as unknown as { quoteIdentifier(n: string): string }).quoteIdentifier(table);
  const rows = (await sequelize.query(`SELECT name FROM ${q} ORDER BY name`, { type: 'SELECT' as never })) as unknown as { name: string }[];
  return rows.map((r) => r.name);
}
