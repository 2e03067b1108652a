import { join } from 'node:path';
import { createMigrator, type MigrationFailedError } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { writeMigrations } from '../helpers/migrations';

/** A migration that breaks a NOT NULL and then a UNIQUE constraint through QueryInterface. */
function breaking(which: 'null' | 'unique'): string {
  return `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('users', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },
      email: { type: Sequelize.STRING(100), allowNull: false, unique: true },
    });
    ${which === 'null' ? "await queryInterface.bulkInsert('users', [{ email: null }]);" : "await queryInterface.bulkInsert('users', [{ email: 'a@x' }, { email: 'a@x' }]);"}
  },
};
`;
}

eachDialect('a failed migration names the constraint and column, not just "Validation error"', async (t, db) => {
  for (const which of ['null', 'unique'] as const) {
    const folder = writeMigrations(join(db.dir, which), { '20240101000000-users.js': breaking(which) });
    // A history table per case: on MySQL the first failure leaves its interrupted-run marker.
    const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, tableName: `meta_${which}` });
    const error = await rejectsWith<MigrationFailedError>(t, migrator.upgrade(), 'E_MIGRATION_FAILED');
    const expected =
      db.dialect === 'sqlite'
        ? which === 'null'
          ? /NOT NULL constraint failed: users\.email/
          : /UNIQUE constraint failed: users\.email/
        : which === 'null'
          ? /email/
          : /Duplicate entry|duplicate key/;
    t.regex(error.message, expected, error.message);
    if (db.dialect === 'mysql') await db.sequelize.query('DROP TABLE IF EXISTS users');
  }
});
