/**
 * SQLite's migration lock lives in a companion file, `<database>-automigrate-lock`. When that file
 * is read-only and the database is not, SQLite opens it read-only without a word, BEGIN EXCLUSIVE
 * then keeps nobody out, and every process passed the lock (issue 13). Now the run refuses with
 * LockError naming the file. Tests run as root, which writes through `chmod 0444`: there the file
 * is made immutable (`chattr +i`), which binds root too.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { createMigrator } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { rejectsWith } from '../helpers/errors';
import { createTableMigration, historyNames, writeMigrations } from '../helpers/migrations';
import { snapshot } from '../helpers/snapshot';

/** Makes `file` read-only for this process's user; returns the undo. */
function makeReadOnly(file: string): () => void {
  if (process.getuid?.() !== 0) {
    chmodSync(file, 0o444);
    return () => chmodSync(file, 0o644);
  }
  execFileSync('chattr', ['+i', file]);
  return () => execFileSync('chattr', ['-i', file]);
}

/** Two connections to `file` both get BEGIN EXCLUSIVE: the condition the fix guards against. */
async function bothTakeExclusive(t: ExecutionContext, file: string): Promise<boolean> {
  const { Database } = require('sqlite3') as typeof import('sqlite3');
  const open = () => new Promise<import('sqlite3').Database>((resolve, reject) => {
    const db: import('sqlite3').Database = new Database(file, (error) => (error ? reject(error) : resolve(db)));
  });
  const [a, b] = [await open(), await open()];
  const exclusive = (db: import('sqlite3').Database) =>
    new Promise<boolean>((resolve) => db.exec('BEGIN EXCLUSIVE', (error) => resolve(error === null)));
  try {
    b.configure('busyTimeout', 0);
    return (await exclusive(a)) && (await exclusive(b));
  } finally {
    await Promise.all([a, b].map((db) => new Promise((resolve) => db.close(resolve)))).catch((error) => t.log(error));
  }
}

eachDialect(
  'a read-only SQLite lock file is a LockError naming the file, and nothing runs',
  async (t, db) => {
    const folder = writeMigrations(join(db.dir, 'm'), { '001-a.js': createTableMigration('a') });
    const make = () => createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
    await make().upgrade(); // creates the lock file
    writeMigrations(folder, { '002-b.js': createTableMigration('b') });
    const lockFile = `${db.database}-automigrate-lock`;
    const undo = makeReadOnly(lockFile);
    try {
      t.true(await bothTakeExclusive(t, lockFile), 'SQLite opened the read-only file read-only, and its EXCLUSIVE lock excludes nobody');
      const before = await snapshot(db.sequelize);
      const error = await rejectsWith(t, make().upgrade(), 'E_LOCK');
      t.is(error.subject, db.database);
      t.true(error.message.includes(`migration lock file ${lockFile} cannot be opened for writing`), error.message);
      t.regex(error.message, /Make it writable by the user that runs migrations \(chmod u\+w, chown, chattr -i\), or delete it/);
      t.is(await snapshot(db.sequelize), before, '002-b did not run');
    } finally {
      undo();
    }
    t.deepEqual((await make().upgrade()).map((s) => s.name), ['002-b'], 'writable again, the run proceeds');
    t.deepEqual(await historyNames(db.sequelize), ['001-a.js', '002-b.js']);
  },
  { dialects: ['sqlite'] },
);
