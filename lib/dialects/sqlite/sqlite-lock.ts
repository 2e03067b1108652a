import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Sequelize } from 'sequelize';
import { ConnectionError, LockError, LockTimeoutError, describeError } from '../../errors';
import type { HeldLock, LockRequest } from '../dialect';
import { connectionManagerOf, sqliteStorage } from '../../sequelize-internals';
import type { LockHolder, LockStrategy } from '../../../types/options';
import { processGone, processLabel, unsupportedStrategy } from '../lock-poll';

interface SqliteDatabase {
  configure(option: 'busyTimeout', value: number): void;
  exec(sql: string, callback: (error: Error | null) => void): void;
  close(callback: (error: Error | null) => void): void;
}
type SqliteModule = { Database: new (path: string, callback: (error: Error | null) => void) => SqliteDatabase };

/** In-memory databases live in one process: a promise chain per Sequelize instance is the lock. */
const memoryLocks = new WeakMap<Sequelize, Promise<void>>();

/**
 * Lock connections held now. A migration awaiting something that never settles leaves nothing
 * else referring to its lock's connection: without this, garbage collection could close it and
 * free the lock under a run that is still going.
 */
const held = new Set<SqliteDatabase>();

/**
 * Processes sharing a SQLite file share nothing but the file system, so the lock is an EXCLUSIVE
 * transaction held on a small companion database (`<file>-automigrate-lock`), on its own
 * connection. The operating system releases SQLite's file locks when a process dies, so a killed
 * migrator never leaves the lock held. Holding it on a separate file keeps the application's
 * database free for the migrations themselves. SQLite's busy timeout bounds the wait.
 */
export async function acquireSqliteLock(sequelize: Sequelize, request: LockRequest): Promise<HeldLock> {
  describeSqliteLock(sequelize, request.strategy);
  const storage = sqliteStorage(sequelize);
  if (storage === ':memory:') return acquireMemoryLock(sequelize);
  const lib = connectionManagerOf<{ lib: SqliteModule }>(sequelize).lib;
  const path = `${storage}-automigrate-lock`;
  assertWritable(path, storage);
  const db = await new Promise<SqliteDatabase>((resolve, reject) => {
    const opened: SqliteDatabase = new lib.Database(path, (error) => (error ? reject(error) : resolve(opened)));
  }).catch((error: unknown) => {
    // The lock file sits beside the database: when it cannot be opened, neither can the database.
    throw new ConnectionError(`Cannot open the SQLite database ${storage}'s lock file ${path}: ${describeError(error)}`, storage, error);
  });
  const exec = (sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
  const close = () => new Promise<void>((resolve) => db.close(() => resolve()));
  db.configure('busyTimeout', Math.max(0, Math.ceil(request.timeoutMs)));
  try {
    await exec('BEGIN EXCLUSIVE');
  } catch (error) {
    await close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      const holder = sqliteLockHolder(sequelize)?.process ?? undefined;
      throw new LockTimeoutError(
        `Timed out after ${request.timeoutMs} ms waiting for the migration lock on SQLite database ${storage} ` +
          `(lock file ${path}${holder ? `, held by ${holder}` : ''}). Another process is migrating; raise \`lock.timeoutMs\` or wait for it.`,
        storage,
        holder,
      );
    }
    throw new LockError(`Could not take the migration lock ${path}: ${describeError(error)}`, storage, error);
  }
  held.add(db);
  writeHolder(storage);
  return {
    async release() {
      // Removed while the lock is still held: the next holder's file is never the one deleted.
      removeHolder(storage);
      try {
        await exec('ROLLBACK');
      } finally {
        held.delete(db);
        await close();
      }
    },
  };
}

/**
 * Who holds the lock, beside it: a waiter cannot read the lock database (its holder's EXCLUSIVE
 * transaction keeps readers out), so the holder writes `{ process, since }` to
 * `<database>-holder-automigrate-lock` (the name init's .gitignore pattern covers) and removes it
 * on release. Best effort: a lock without the file is still the lock.
 */
function holderFile(storage: string): string {
  return `${storage}-holder-automigrate-lock`;
}

function writeHolder(storage: string): void {
  try {
    writeFileSync(holderFile(storage), JSON.stringify({ process: processLabel(), since: new Date().toISOString() }));
  } catch {
    // Read-only folder: waiters then say they wait without naming the holder.
  }
}

function removeHolder(storage: string): void {
  rmSync(holderFile(storage), { force: true });
}

/** The holder file's process and time; null when there is none, or its process on this host is gone. */
export function sqliteLockHolder(sequelize: Sequelize): Partial<LockHolder> | null {
  const storage = sqliteStorage(sequelize);
  if (storage === ':memory:') return null;
  let holder: { process?: string; since?: string };
  try {
    holder = JSON.parse(readFileSync(holderFile(storage), 'utf8')) as typeof holder;
  } catch {
    return null;
  }
  if (processGone(holder.process ?? null)) return null;
  return { process: holder.process ?? null, backend: `lock file ${storage}-automigrate-lock`, since: holder.since ? new Date(holder.since) : null };
}

/** Errors that mean "write-protected": SQLite's read-only retry then succeeds (others fail it too). */
const WRITE_REFUSED = ['EACCES', 'EPERM', 'EROFS'];

/**
 * SQLite opens a file it cannot write read-only, without a word
 * (https://www.sqlite.org/c3ref/open.html, SQLITE_OPEN_READWRITE: "or reading only if the file is
 * write protected by the operating system"), and BEGIN EXCLUSIVE on such a connection excludes
 * nobody: every process would pass the lock (issue 13). No open flag refuses the fallback, so the
 * file is tried for writing first, as SQLite's own open does.
 */
function assertWritable(path: string, storage: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (error) {
    // Only a file that exists and refuses writing is opened read-only; anything else (missing:
    // SQLite creates it; a path through a file) SQLite's own open reports, loudly.
    if (!WRITE_REFUSED.includes(String((error as NodeJS.ErrnoException).code))) return;
    throw new LockError(
      `The migration lock file ${path} cannot be opened for writing (${describeError(error)}): SQLite would open it read-only, ` +
        'and a read-only lock keeps no other process out. Make it writable by the user that runs migrations ' +
        '(chmod u+w, chown, chattr -i), or delete it: it holds no data.',
      // No `cause`: a file-system error as cause would be reported as an unreachable database.
      storage,
    );
  }
  closeSync(fd);
}

async function acquireMemoryLock(sequelize: Sequelize): Promise<HeldLock> {
  const previous = memoryLocks.get(sequelize) ?? Promise.resolve();
  let release!: () => void;
  const current = new Promise<void>((resolve) => (release = resolve));
  memoryLocks.set(sequelize, previous.then(() => current));
  await previous;
  return { release: async () => release() };
}

/** For status(): which lock a run takes; throws for a strategy SQLite does not have. */
export function describeSqliteLock(sequelize: Sequelize, strategy: LockStrategy): string {
  if (strategy === 'lease') throw unsupportedStrategy('SQLite', strategy, "processes share a file, and its lock is the file lock: use 'auto'");
  const storage = sqliteStorage(sequelize);
  return storage === ':memory:'
    ? 'sqlite in-process lock (an in-memory database lives in one process)'
    : `sqlite exclusive transaction on the lock file ${storage}-automigrate-lock (processes share the file system)`;
}
