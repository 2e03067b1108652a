/** `lock.strategy` and what status() says about the lock (issue #15). */
import test from 'ava';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import { createMigrator, type MigrationError } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, tableNames, writeMigrations } from '../helpers/migrations';

const EXPECTED = {
  sqlite: /^sqlite exclusive transaction on the lock file .*-automigrate-lock/,
  postgres: /^postgres transaction-scoped advisory lock \(works direct and through transaction and session poolers\)$/,
  mysql: /^mysql GET_LOCK on one pinned connection \(wsrep_on is off: not a Galera cluster\)$/,
};

eachDialect("status() names the lock 'auto' takes; lock: false has none", async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a') });
  t.regex(String((await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).status()).lock), EXPECTED[db.dialect]);
  t.is((await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, lock: false }).status()).lock, null);
});

eachDialect("lock.strategy 'lease' is MySQL/MariaDB's: refused elsewhere before anything runs, and holds on plain MariaDB", async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a') });
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false, lock: { strategy: 'lease', timeoutMs: 5000 } });
  if (db.dialect !== 'mysql') {
    const error = await rejectsWith<MigrationError>(t, migrator.upgrade(), 'E_OPTIONS');
    t.is(error.subject, 'lock.strategy');
    t.deepEqual(await tableNames(db.sequelize), [], 'nothing ran');
    return;
  }
  t.regex(String((await migrator.status()).lock), /^galera lease row \(lock.strategy 'lease'/);
  t.deepEqual((await migrator.upgrade()).map((r) => r.name), ['001-a']);
  t.deepEqual(await historyNames(db.sequelize), ['001-a.js']);
  const [rows] = (await db.sequelize.query('SELECT owner FROM `SequelizeMeta_lock`')) as [{ owner: string | null }[], unknown];
  t.deepEqual(rows, [{ owner: null }], 'released by its owner');
  const drift = await createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false }).diff();
  t.deepEqual(drift.map((op) => op.kind), ['dropTable'], 'table a is no model');
  t.false(JSON.stringify(drift).includes('SequelizeMeta_lock'), 'the lease table is not drift');
});

test('an unknown lock.strategy is an options error naming it', (t) => {
  const sequelize = new Sequelize('sqlite::memory:', { logging: false });
  const error = t.throws(() => createMigrator({ sequelize, migrations: [], lock: { strategy: 'session' as never } }));
  t.is((error as MigrationError).code, 'E_OPTIONS');
  t.is((error as MigrationError).subject, 'lock.strategy');
  t.regex(error!.message, /'auto', 'advisory', 'lease'/);
});
