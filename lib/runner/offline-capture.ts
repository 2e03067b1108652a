import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sequelize } from 'sequelize';
import type { OfflineCall, OfflineScriptRules, OfflineShadow } from '../dialects/dialect';
import type { Direction } from '../../types/options';
import { MigrationError, MigrationFailedError, OfflineReadError, describeError } from '../errors';
import { queryInterfaceMethods } from './query-tracker';
import { inlineParameters, methodsOf } from '../sequelize-internals';

/** What one capture collected: the statements in order, and what it assumed. */
export interface Captured {
  readonly statements: string[];
  readonly assumptions: string[];
}

interface Scope {
  readonly captured: Captured;
  /** The migration being captured, for messages. */
  readonly migration: string;
  readonly direction: Direction;
  /** Where every statement also runs, for exact schema reads (SQLite); see OfflineShadow. */
  readonly shadow: OfflineShadow | undefined;
  readonly replay: boolean;
  /** The first read whose answer something used: the capture fails with it even if it was caught. */
  failure?: OfflineReadError;
}

/** `call`: the outermost QueryInterface call under way; undefined: a statement of the migration's own. */
const storage = new AsyncLocalStorage<{ scope: Scope; call?: OfflineCall }>();
const installed = new WeakMap<Sequelize, { users: number; undo: () => void }>();

/**
 * Captures the SQL `fn` sends through `sequelize` without sending any (offline mode, as Alembic's
 * `--sql`): inside `fn`'s async context `sequelize.query` records the statement and answers
 * without a connection, `sequelize.transaction()` hands out a transaction that is only a name.
 * A write is answered as done; a read is answered with a value that throws OfflineReadError when
 * anything looks into it (the migration used rows the script cannot have). Reads Sequelize makes
 * by itself that a script can do without are answered by the dialect's assumptions (`rules`).
 * Calls from outside `fn` (the application's own, concurrently) pass through untouched.
 */
export async function captureOffline(
  sequelize: Sequelize,
  rules: OfflineScriptRules,
  step: {
    readonly migration: string;
    readonly direction: Direction;
    readonly shadow?: OfflineShadow;
    /** Bringing the shadow to FROM: every read, rows included, is answered by it (as on a fresh database). */
    readonly replay?: boolean;
  },
  fn: () => Promise<unknown>,
): Promise<Captured> {
  const { migration, direction, shadow } = step;
  const scope: Scope = { captured: { statements: [], assumptions: [] }, migration, direction, shadow, replay: step.replay === true };
  const uninstall = install(sequelize, rules);
  try {
    await storage.run({ scope }, fn);
    // A call the migration did not await reaches sequelize.query a turn later: still captured.
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
  } catch (error) {
    if (scope.failure) throw scope.failure;
    if (error instanceof MigrationError) throw error;
    // Nothing ran anywhere: the script is simply not written.
    throw new MigrationFailedError(`Migration "${migration}" (${direction}) failed while its SQL was written offline: ${describeError(error)}`, migration, direction, true, error);
  } finally {
    uninstall();
  }
  if (scope.failure) throw scope.failure;
  return scope.captured;
}

function install(sequelize: Sequelize, rules: OfflineScriptRules): () => void {
  let entry = installed.get(sequelize);
  if (!entry) {
    entry = { users: 0, undo: wrap(sequelize, rules) };
    installed.set(sequelize, entry);
  }
  const held = entry;
  held.users++;
  return () => {
    held.users--;
    if (held.users === 0) {
      held.undo();
      installed.delete(sequelize);
    }
  };
}

function wrap(sequelize: Sequelize, rules: OfflineScriptRules): () => void {
  const undo: (() => void)[] = [];
  const replace = (target: Record<string, unknown>, key: string, make: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown) => {
    const original = target[key] as (...args: unknown[]) => unknown;
    const hadOwn = Object.prototype.hasOwnProperty.call(target, key);
    const replacement = make(original);
    target[key] = function offline(this: unknown, ...args: unknown[]): unknown {
      return storage.getStore() === undefined ? original.apply(this, args) : replacement.apply(this, args);
    };
    undo.push(() => {
      if (hadOwn) target[key] = original;
      else delete target[key];
    });
  };
  const instance = methodsOf(sequelize);
  replace(instance, 'query', () => (sql: unknown, options?: unknown) => answer(sequelize, rules, sql, (options ?? {}) as QueryOptions));
  replace(instance, 'transaction', () => async (options?: unknown, callback?: unknown) => {
    const run = typeof options === 'function' ? options : callback;
    const transaction = offlineTransaction();
    return typeof run === 'function' ? (run as (t: unknown) => unknown)(transaction) : transaction;
  });
  // The outermost QueryInterface method under way: messages name it, the dialect's assumptions ask it.
  const queryInterface = methodsOf(sequelize.getQueryInterface());
  for (const method of queryInterfaceMethods(queryInterface)) {
    replace(queryInterface, method, (original) =>
      function call(this: unknown, ...args: unknown[]) {
        const context = storage.getStore()!;
        if (context.call !== undefined) return original.apply(this, args);
        return storage.run({ scope: context.scope, call: { method, args } }, () => original.apply(this, args));
      },
    );
  }
  undo.push(rules.prepare?.(sequelize, () => storage.getStore() !== undefined) ?? (() => undefined));
  return () => {
    for (const u of undo.reverse()) u();
  };
}

interface QueryOptions {
  readonly type?: string;
  readonly replacements?: unknown;
  readonly bind?: unknown;
}

/** The statement recorded, and the answer Sequelize's caller gets instead of the database's. */
async function answer(sequelize: Sequelize, rules: OfflineScriptRules, sql: unknown, options: QueryOptions): Promise<unknown> {
  const { scope, call } = storage.getStore()!;
  const text = statementText(sequelize, sql, options);
  const { shadow } = scope;
  if (!isRead(text, options.type)) {
    scope.captured.statements.push(text);
    if (shadow) await shadowRun(scope, shadow, text);
    // Sequelize's callers take [results, metadata] apart (bulkInsert returns results[0]).
    return [[], 0];
  }
  const assumed = rules.assume(text, call);
  if (assumed) {
    if (!scope.captured.assumptions.includes(assumed.note)) scope.captured.assumptions.push(assumed.note);
    return assumed.value;
  }
  if (shadow && (scope.replay || (call !== undefined && shadow.answers(text, options.type)))) {
    return shadow.query(text, { ...options, transaction: null, logging: false, replacements: undefined, bind: undefined });
  }
  // A statement of the migration's own stays in the script (`SELECT setval(...)` changes
  // something); a read Sequelize makes inside a method is only there to be used.
  if (call === undefined) scope.captured.statements.push(text);
  return unanswered(scope, call === undefined ? `sequelize.query('${oneLine(text)}')` : `queryInterface.${call.method}()`);
}

/** A statement the database would refuse fails the script here, naming the migration, not at the DBA's. */
async function shadowRun(scope: Scope, shadow: OfflineShadow, text: string): Promise<void> {
  try {
    await shadow.query(text, { raw: true, logging: false });
  } catch (error) {
    throw new MigrationFailedError(
      `Migration "${scope.migration}" (${scope.direction}) writes a statement the database refuses (${oneLine(text)}): ${describeError(error)}. ` +
        'The script would stop there: fix the migration.',
      scope.migration,
      scope.direction,
      true,
      error,
    );
  }
}

/**
 * The answer to a read offline: an empty array that throws when anything looks inside (its
 * length, an element, destructuring). `then` reads undefined, so awaiting it works: a migration
 * that runs a SELECT and ignores the result renders.
 */
function unanswered(scope: Scope, call: string): unknown {
  const fail = (): never => {
    scope.failure ??= new OfflineReadError(
      `Migration "${scope.migration}" reads the database (${call}) and uses the answer, so its SQL cannot be written offline: ` +
        'a script is written before it runs, and no database answers while it is written. ' +
        'Run it online (`automigrate upgrade`, where the database answers), or write this migration\'s SQL by hand.',
      scope.migration,
      call,
    );
    throw scope.failure;
  };
  return new Proxy([], {
    get: (_target, key) => (key === 'then' ? undefined : fail()),
    has: fail,
    ownKeys: fail,
    getOwnPropertyDescriptor: fail,
  });
}

/** The SQL as it would reach the database: replacements and bind parameters written in. */
function statementText(sequelize: Sequelize, sql: unknown, options: QueryOptions): string {
  let text = typeof sql === 'string' ? sql : String((sql as { query?: unknown } | null)?.query ?? '');
  const bind = options.bind ?? (typeof sql === 'object' && sql !== null ? (sql as { values?: unknown }).values : undefined);
  text = inlineParameters(sequelize, text, options.replacements, bind);
  text = text.trim();
  return text.endsWith(';') ? text : `${text};`;
}

/** A statement that only asks: by Sequelize's query type, or by its first word. */
function isRead(text: string, type: string | undefined): boolean {
  if (/^\s*(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP)\b/i.test(text)) return false;
  if (type && /^(SELECT|SHOWTABLES|SHOWINDEXES|DESCRIBE|FOREIGNKEYS|SHOWCONSTRAINTS|VERSION)$/i.test(type)) return true;
  return /^\s*(SELECT|SHOW|DESCRIBE|DESC|EXPLAIN|WITH|PRAGMA\s+\w+\s*(\(|;?\s*$))/i.test(text);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/** `sequelize.transaction()` offline: statements given it are part of the migration's transaction. */
function offlineTransaction(): object {
  return {
    id: 'offline',
    options: {},
    commit: async () => undefined,
    rollback: async () => undefined,
    afterCommit: () => undefined,
    LOCK: {},
  };
}
