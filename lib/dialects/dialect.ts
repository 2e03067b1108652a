import type { QueryInterface, Sequelize, Transaction } from 'sequelize';
import type { LockHolder, LockStrategy } from '../../types/options';
import type { DialectName, Schema, Table } from '../../types/schema';
import type { ResetDriver } from './reset-driver';
import type { RenderRules } from './render-rules';
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

/** Which database a Sequelize instance reaches, for messages. */
export interface ConnectionDescription {
  /** The database: its name, or a SQLite file (`:memory:`); empty when not configured. */
  readonly database: string;
  /** `postgres database app on 127.0.0.1:5432`, `sqlite database ./dev.db`. */
  readonly text: string;
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
  /**
   * Report the schema's tables and enums without a schema, as unqualified models write them: the
   * schema is a tenant's, standing in for the default one (`createMigrator({ schema })`).
   */
  readonly schemaIsDefault?: boolean;
}

/**
 * Named schemas inside one database, each holding a tenant (`createMigrator({ schema })`, issue
 * 20). Implemented where the database has them (PostgreSQL).
 */
export interface SchemaRules {
  /** `table` in `schema`, quoted for SQL text: `"tenant_1"."SequelizeMeta"`. */
  qualify(sequelize: Sequelize, schema: string, table: string): string;
  /** Creates the schema when it is missing (idempotent). */
  ensure(sequelize: Sequelize, schema: string): Promise<void>;
  /**
   * Called right after a migration transaction began: unqualified names in it resolve to `schema`
   * until it ends, and no longer (never leaking to the next user of the pooled connection).
   */
  enter(sequelize: Sequelize, transaction: Transaction, schema: string): Promise<void>;
  tableExists(sequelize: Sequelize, schema: string, table: string): Promise<boolean>;
  /** The lock name of a schema's migrator: schemas lock apart, so they migrate concurrently. */
  lockName(schema: string, key: string): string;
  /** The QueryInterface a migration of `schema` gets: unqualified table names mean that schema. */
  queryInterface(sequelize: Sequelize, schema: string): QueryInterface;
  /** The base tables of `schema` (for reset()). */
  tables(sequelize: Sequelize, schema: string): Promise<string[]>;
  /** Empties `tables` of `schema` and restarts their counters, in one statement. */
  empty(sequelize: Sequelize, schema: string, tables: readonly string[]): Promise<void>;
  /** Drops `tables` of `schema`, and the enum types no column of the schema uses any more. */
  drop(sequelize: Sequelize, schema: string, tables: readonly string[]): Promise<void>;
}

export interface HeldLock {
  release(): Promise<void>;
  /**
   * Throws LockError when the lock is no longer held (its connection was closed by the server,
   * a proxy or an idle timeout), so a run stops before its next migration instead of running
   * beside another process that took the lock meanwhile. Absent where the lock cannot be lost.
   */
  verify?(): Promise<void>;
  /**
   * The driver connection the lock lives on, where it is one of the run's connections (PostgreSQL:
   * the lock's open transaction; MySQL: GET_LOCK's connection). The statement watch counts it as a
   * holder: a migration statement waiting on it waits on its own run. Absent where there is none.
   */
  readonly connection?: unknown;
}

export interface LockRequest {
  /** Identifies what is locked, e.g. the history table name; the dialect adds the database. */
  readonly key: string;
  /** The schema migrated (`createMigrator({ schema })`); the dialect makes it part of the lock. */
  readonly schema?: string | null;
  readonly timeoutMs: number;
  /** 'auto' lets the dialect choose; a strategy it cannot honour is an OptionsError. */
  readonly strategy: LockStrategy;
  /** The run's id (its progress markers'), where the lock records its owner (a lease row). */
  readonly runId?: string;
}

/** A statement of a migration blocked by a connection of the same run. */
export interface BlockedStatement {
  /** The blocked connection's server id. */
  readonly id: number;
  /** What it waits on, for the message: the lock, the relation, the holder and its last statement. */
  readonly waitsOn: string;
  /** The holding connection's server id, where the database names it. */
  readonly holder?: number;
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

/** A read Sequelize makes inside a QueryInterface method that an offline script does without. */
export interface OfflineAssumption {
  /** What Sequelize receives instead of the database's answer. */
  readonly value: unknown;
  /** What that assumes, for a comment in the script: `assumed enum type "x" does not exist yet`. */
  readonly note: string;
}

/** The QueryInterface call a read was made from, for OfflineScriptRules.assume. */
export interface OfflineCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/**
 * A scratch database of the dialect that needs no server (SQLite in memory): an offline capture
 * runs every statement on it too, so that the schema reads Sequelize makes by itself (the
 * `describeTable` before a table rebuild) get the exact answer for the schema the script builds.
 */
export interface OfflineShadow {
  /** Whether `sql` (of Sequelize query type `type`) only reads the schema, which the shadow knows exactly. */
  answers(sql: string, type: string | undefined): boolean;
  query(sql: string, options: object): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * How an offline script (`sql()`, `upgrade --sql`) spells what the runner does through the
 * driver: the transaction around a migration, the time of a history row, and the reads
 * Sequelize makes by itself that a script can do without.
 */
export interface OfflineScriptRules {
  /** Statements opening a migration's transaction in a script; empty where DDL commits implicitly. */
  readonly begin: readonly string[];
  /** Statements closing it. */
  readonly commit: readonly string[];
  /** An SQL expression for the current time in UTC, as the runner writes `applied_at`. */
  readonly now: string;
  /**
   * The answer to a read Sequelize makes inside QueryInterface call `call` (undefined: a
   * statement the migration issued itself), when a script can do without it; undefined for any
   * other read (the migration then cannot be rendered offline).
   */
  assume(sql: string, call: OfflineCall | undefined): OfflineAssumption | undefined;
  /** A scratch database for exact schema reads, where one needs no server (SQLite). */
  shadow?(sequelize: Sequelize): OfflineShadow;
  /**
   * Adjusts the Sequelize instance while a capture runs (`capturing()` is true inside it);
   * returns the undo.
   */
  prepare?(sequelize: Sequelize, capturing: () => boolean): () => void;
}

/**
 * How a squashed baseline's DDL goes to the database in fewer statements (runner/fold-ddl.ts).
 * Statements are held, not sent, while they fold; anything else sends what is held first.
 */
export interface DDLFolder {
  /**
   * `next` joins the statements held (`held`, possibly empty): returns what to send now and what
   * to hold after it, or null when `next` does not fold (the held statements are sent, then it).
   */
  fold(held: readonly string[], next: string): { readonly send: readonly string[]; readonly hold: readonly string[] } | null;
  /** The held statements as they are sent: one by one, or joined into one. */
  flush(held: readonly string[]): string[];
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
  /**
   * The migration lock holds a pooled connection for the whole run (PostgreSQL, MySQL), so the
   * pool needs a second one for the migrations; SQLite's lock lives outside the pool.
   */
  readonly lockHoldsPoolConnection: boolean;
  /** Takes the migration lock; throws LockTimeoutError after `timeoutMs`. */
  acquireLock(sequelize: Sequelize, request: LockRequest): Promise<HeldLock>;
  /**
   * Who holds the lock `request` names now, as far as the database tells (its server connection,
   * the process that labelled it, since when), on a connection of its own; null when it is free
   * or the holder cannot be seen. For the message of a run that waits (hooks.onLockWait).
   */
  lockHolder(sequelize: Sequelize, request: LockRequest): Promise<Partial<LockHolder> | null>;
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
   * How a squashed baseline's DDL is sent in fewer statements; loaded on first call. Absent: as
   * written (SQLite: one local transaction, nothing to save).
   */
  ddlFolder?(): DDLFolder;
  /** The one description of the database a Sequelize instance reaches, for messages. */
  describe(sequelize: Sequelize): ConnectionDescription;
  /**
   * True when `error` is the database failing to open (SQLite's file system errors: Sequelize
   * creates the folder first, and that can fail too). Absent: only Sequelize's connection errors.
   */
  isOpenFailure?(error: unknown): boolean;
  /**
   * Forgets a connection that failed to open, which Sequelize would otherwise hand out again (and
   * wait on forever). Absent where Sequelize does not cache one.
   */
  forgetFailedConnection?(sequelize: Sequelize): void;
  /** A quoted identifier for raw SQL. */
  quoteIdentifier(name: string): string;
  /** A SQL string literal. */
  sqlString(value: string): string;
  /** What reset() does on this dialect (lib/reset/); loaded on first call. */
  resetDriver(): ResetDriver;
  /** How a generated migration does things on this dialect; loaded on first call. */
  renderRules(): RenderRules;
  /** How offline scripts spell transactions and history times here (runner/offline-sql.ts). */
  readonly offlineScript: OfflineScriptRules;
  /** Named schemas as tenants (`createMigrator({ schema })`); absent: the option is refused. */
  readonly schemas?: SchemaRules;
  /**
   * Creates an empty database of the same kind beside the one `sequelize` uses, with a Sequelize
   * on it (same options): PostgreSQL and MySQL a database on the same server, SQLite a temporary
   * file. Loaded on first call.
   */
  openScratch(sequelize: Sequelize): Promise<ScratchDatabase>;
}
