import type { Sequelize, Transaction } from 'sequelize';
import type { DialectName, Schema, Table } from '../../types/schema';

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
}

export interface Dialect {
  readonly name: DialectName;
  /** The database's name as people write it, for messages: `PostgreSQL`, `MySQL/MariaDB`, `SQLite`. */
  readonly displayName: string;
  readonly capabilities: DialectCapabilities;
  /** The whole catalog in a constant number of queries (not three per table). */
  introspect(sequelize: Sequelize, options?: IntrospectOptions): Promise<Schema>;
  /**
   * Per-dialect normalisation applied to both sides before comparing (types, defaults,
   * referential actions), so `VARCHAR(255)` and `STRING` compare equal. Pure.
   */
  normalizeTable(table: Table): Table;
  /** Takes the migration lock; throws LockTimeoutError after `timeoutMs`. */
  acquireLock(sequelize: Sequelize, request: LockRequest): Promise<HeldLock>;
  /**
   * Called with a migration transaction before it begins, and before it commits. SQLite uses it to
   * switch foreign key enforcement off for the migration (so a table rebuild does not cascade) and
   * to run `PRAGMA foreign_key_check` before commit.
   */
  readonly migrationTransaction?: {
    beforeBegin(sequelize: Sequelize, transactionId: string): Promise<void>;
    beforeCommit(sequelize: Sequelize, transaction: Transaction): Promise<void>;
    afterEnd(sequelize: Sequelize): Promise<void>;
  };
  /** A short description of the database for messages: `postgres database "app" on 127.0.0.1:5432`. */
  describe(sequelize: Sequelize): string;
}
