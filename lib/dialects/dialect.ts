import type { Sequelize, Transaction } from 'sequelize';
import type { LockStrategy } from '../../types/options';
import type { DialectName, Schema, Table } from '../../types/schema';
import type { ValueFitSql } from './value-fit';

/**
 * What differs between databases, behind one interface. The runner and the differ read
 * capability flags; they never test a dialect's name (Kysely's habit).
 */
export interface DialectCapabilities {
  /** DDL statements take part in transactions (PostgreSQL, SQLite); MySQL commits implicitly. */
  readonly transactionalDDL: boolean;
  /** ALTER TABLE can change columns and constraints in place; false (SQLite): rebuild the table. */
  readonly alterTable: boolean;
  /** Enums are named types (PostgreSQL); otherwise they live inline in the column type. */
  readonly enumTypes: boolean;
  /** Column comments are stored (PostgreSQL, MySQL). */
  readonly columnComments: boolean;
}

/** The longest identifier (table name) a database keeps intact. */
export interface IdentifierLimit {
  readonly max: number;
  /** PostgreSQL counts bytes (UTF-8) and truncates longer names; MySQL counts characters and refuses them. */
  readonly unit: 'bytes' | 'characters';
}

export interface IntrospectOptions {
  /** PostgreSQL schema to read; null for the connection's default (`public`). */
  readonly schema?: string | null;
  /** Tables never reported (the history table). Compared case-sensitively. */
  readonly excludeTables?: readonly string[];
}

export interface HeldLock {
  release(): Promise<void>;
  /**
   * Throws LockError when the lock is no longer held (its connection was closed by the server,
   * a proxy or an idle timeout), so a run stops before its next migration instead of running
   * beside another process that took the lock meanwhile. Absent where the lock cannot be lost.
   */
  verify?(): Promise<void>;
}

export interface LockRequest {
  /** Identifies what is locked, e.g. the history table name; the dialect adds the database. */
  readonly key: string;
  readonly timeoutMs: number;
  /** 'auto' lets the dialect choose; a strategy it cannot honour is an OptionsError. */
  readonly strategy: LockStrategy;
}

/** A statement of a migration blocked by a connection of the same run. */
export interface BlockedStatement {
  /** The blocked connection's server id. */
  readonly id: number;
  /** What it waits on, for the message: the lock, the relation, the holder and its last statement. */
  readonly waitsOn: string;
}

export interface StatementWatch {
  /** The server's id of a driver connection (PostgreSQL backend pid, MySQL thread id); undefined if none. */
  connectionId(connection: unknown): number | undefined;
  /**
   * Among the connections `waiting` (each running a statement of the migration), those waiting on
   * a lock held by one of `holders` (the run's transaction, the migration's other connections).
   * One catalog query, on a connection of its own.
   */
  blockedBy(sequelize: Sequelize, waiting: readonly number[], holders: readonly number[]): Promise<BlockedStatement[]>;
  /** Cancels what the given driver connections are running (best effort). */
  cancel(sequelize: Sequelize, connections: readonly unknown[]): Promise<void>;
  /**
   * True when `error` is the database giving up waiting for a lock (SQLite's SQLITE_BUSY after its
   * busy timeout): inside a migration that holds the write lock, the run's own lock.
   */
  isLockTimeout?(error: unknown): boolean;
}

/** An empty database for `squash` to upgrade and introspect (see scratch.ts). */
export interface ScratchDatabase {
  readonly sequelize: Sequelize;
  /** For messages: `database "app_squash_1a2b"`, `file /tmp/...`. */
  readonly description: string;
  /** Closes its Sequelize and removes it. */
  drop(): Promise<void>;
}

export interface Dialect {
  readonly name: DialectName;
  /** The database's name as people write it, for messages: `PostgreSQL`, `MySQL/MariaDB`, `SQLite`. */
  readonly displayName: string;
  readonly capabilities: DialectCapabilities;
  /** Null where names have no practical limit (SQLite). */
  readonly maxIdentifierLength: IdentifierLimit | null;
  /**
   * Whether the database refuses a string longer than its `VARCHAR(n)` column (PostgreSQL,
   * MySQL in strict mode); SQLite stores it whole.
   */
  readonly enforcesVarcharLength: boolean;
  /** The whole catalog in a constant number of queries (not three per table). */
  introspect(sequelize: Sequelize, options?: IntrospectOptions): Promise<Schema>;
  /**
   * Per-dialect normalisation applied to both sides before comparing (types, defaults,
   * referential actions), so `VARCHAR(255)` and `STRING` compare equal. Pure.
   */
  normalizeTable(table: Table): Table;
  /**
   * How to find values a narrower column type cannot hold, for the data-loss check of generate();
   * null where declared types are not enforced (SQLite).
   */
  readonly valueFit: ValueFitSql | null;
  /** Takes the migration lock; throws LockTimeoutError after `timeoutMs`. */
  acquireLock(sequelize: Sequelize, request: LockRequest): Promise<HeldLock>;
  /**
   * Which lock a run with `strategy` would take here, and why, for `status()`: one line such as
   * `galera lease row (wsrep_on=1)`. May ask the database (Galera detection).
   */
  describeLock(sequelize: Sequelize, strategy: LockStrategy): Promise<string>;
  /**
   * Called with a migration transaction before it begins, and before it commits. SQLite uses it to
   * switch foreign key enforcement off for the migration (so a table rebuild does not cascade) and
   * to run `PRAGMA foreign_key_check` before commit.
   */
  readonly migrationTransaction?: {
    beforeBegin(sequelize: Sequelize, transactionId: string): Promise<void>;
    beforeCommit(sequelize: Sequelize, transaction: Transaction): Promise<void>;
    afterEnd(sequelize: Sequelize): Promise<void>;
    /** After the run's last migration transaction ended (SQLite closes the connection its transactions shared). */
    endRun?(sequelize: Sequelize): Promise<void>;
  };
  /**
   * True when `error` says a statement cannot run inside a transaction block and the database
   * rolled the whole transaction back, so nothing of the step was applied and running it again
   * outside a transaction is safe (PostgreSQL's `CREATE INDEX CONCURRENTLY`, `VACUUM`: SQLSTATE
   * 25001). Absent where no statement is refused that way.
   */
  refusedInTransaction?(error: unknown): boolean;
  /**
   * Watching a running migration, so it never hangs silently (issue #12); loaded on first call.
   * Absent: nothing to watch.
   */
  statementWatch?(): StatementWatch;
  /**
   * Creates an empty database of the same kind beside the one `sequelize` uses, with a Sequelize
   * on it (same options): PostgreSQL and MySQL a database on the same server, SQLite a temporary
   * file. Loaded on first call.
   */
  openScratch(sequelize: Sequelize): Promise<ScratchDatabase>;
  /** A short description of the database for messages: `postgres database "app" on 127.0.0.1:5432`. */
  describe(sequelize: Sequelize): string;
}
