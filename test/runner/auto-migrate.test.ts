import { join } from 'node:path';
import { DataTypes } from 'sequelize';
import { autoMigrate, DriftError } from '../../lib';
import { formatSummary, summarizeOperation } from '../../lib/cli/operation-summary';
import { eachDialect } from '../helpers/each-dialect';
import { writeMigrations } from '../helpers/migrations';

/** A logger that keeps warnings. */
function recorder(): { warnings: string[]; logger: { info(): void; warn(m: string): void; error(): void } } {
  const warnings: string[] = [];
  return { warnings, logger: { info() {}, warn: (m: string) => void warnings.push(m), error() {} } };
}

eachDialect(
  "autoMigrate compares models and database after upgrading: 'warn' by default, 'throw', and 'ignore' by default under NODE_ENV=production",
  async (t, db) => {
    const folder = writeMigrations(join(db.dir, 'm'), {
      '001-users.js': `module.exports = { async up(qi, S) { await qi.createTable('users', { id: { type: S.INTEGER, primaryKey: true, autoIncrement: true } }); } };`,
    });
    // The model has a column no migration creates: drift after the upgrade.
    db.sequelize.define('User', { name: { type: DataTypes.STRING(50), allowNull: true } }, { tableName: 'users', timestamps: false });
    const saved = process.env.NODE_ENV;
    try {
      delete process.env.NODE_ENV;
      const dev = recorder();
      const first = await autoMigrate({ sequelize: db.sequelize, migrations: folder, logger: dev.logger });
      t.deepEqual(first.applied.map((r) => r.name), ['001-users']);
      t.is(first.drift.length, 1);
      t.is(dev.warnings.length, 1);
      // The CLI's vocabulary (`check`, `migrate`): one description of an operation everywhere.
      t.true(dev.warnings[0]!.split('\n').includes(`  ${formatSummary(summarizeOperation(first.drift[0]!))}`), dev.warnings[0]);
      t.regex(dev.warnings[0]!, /^  \+ column users\.name \(STRING\(50\), null\)$/m);

      const error = await t.throwsAsync(autoMigrate({ sequelize: db.sequelize, migrations: folder, logger: false, onDrift: 'throw' }));
      t.true(error instanceof DriftError);

      process.env.NODE_ENV = 'production';
      const prod = recorder();
      const quiet = await autoMigrate({ sequelize: db.sequelize, migrations: folder, logger: prod.logger });
      t.deepEqual(quiet, { applied: [], drift: [] }, 'no comparison in production by default');
      t.deepEqual(prod.warnings, []);
      const asked = await autoMigrate({ sequelize: db.sequelize, migrations: folder, logger: prod.logger, onDrift: 'warn' });
      t.is(asked.drift.length, 1, 'an explicit onDrift still applies in production');
      t.is(prod.warnings.length, 1);
    } finally {
      if (saved === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = saved;
    }
  },
  { serial: true },
);
