import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sequelize, Transaction } from 'sequelize';
import { createTransaction } from '../sequelize-internals';

/**
 * sequelize-cli migrations never pass `{ transaction }`. Sequelize reads the current transaction
 * from its CLS namespace when a query has none (`Sequelize._cls.get('transaction')`), so running a
 * migration inside `namespace.run()` with the transaction set puts every QueryInterface call and
 * raw query into it. A namespace the application installed is used as it is; otherwise ours, built
 * on AsyncLocalStorage, is installed for the duration of the run only and then removed, so the
 * application's own queries (outside this async context) are never affected.
 */
interface Namespace {
  get(key: string): unknown;
  set(key: string, value: unknown): unknown;
  run(fn: (context: unknown) => unknown): unknown;
  bind(fn: unknown, context?: unknown): unknown;
  active: unknown;
}

type SequelizeClass = { _cls?: Namespace; useCLS(ns: Namespace): unknown };

class StorageNamespace implements Namespace {
  private readonly storage = new AsyncLocalStorage<Map<string, unknown>>();
  get active(): unknown {
    return this.storage.getStore();
  }
  get(key: string): unknown {
    return this.storage.getStore()?.get(key);
  }
  set(key: string, value: unknown): unknown {
    this.storage.getStore()?.set(key, value);
    return value;
  }
  run(fn: (context: unknown) => unknown): unknown {
    const context = new Map(this.storage.getStore());
    return this.storage.run(context, () => fn(context));
  }
  bind(fn: unknown): unknown {
    return fn;
  }
}

/** The class whose static `_cls` Sequelize's query() reads: the base Sequelize class. */
function baseClass(sequelize: Sequelize): SequelizeClass {
  let current: unknown = sequelize.constructor;
  while (current && !Object.prototype.hasOwnProperty.call(current, 'useCLS')) current = Object.getPrototypeOf(current);
  return (current ?? sequelize.constructor) as SequelizeClass;
}

let ours: { namespace: StorageNamespace; users: number } | undefined;

/**
 * Installs our namespace for a run when the application has none; returns the undo. Runs of
 * several migrators in one process (several databases, parallel tests) share it, counted, so the
 * first to finish does not pull it from under the others.
 */
export function installNamespace(sequelize: Sequelize): () => void {
  const cls = baseClass(sequelize);
  if (cls._cls && cls._cls !== ours?.namespace) return () => undefined;
  if (!ours || cls._cls !== ours.namespace) {
    ours = { namespace: new StorageNamespace(), users: 0 };
    cls._cls = ours.namespace;
  }
  const installed = ours;
  installed.users++;
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    installed.users--;
    if (installed.users === 0 && cls._cls === installed.namespace) {
      cls._cls = undefined;
      ours = undefined;
    }
  };
}

/** Runs `fn` with `transaction` as the implicit transaction of every query it issues. */
export function runInTransaction<T>(sequelize: Sequelize, transaction: Transaction | null, fn: () => Promise<T>): Promise<T> {
  const ns = baseClass(sequelize)._cls;
  if (!ns) return fn();
  // cls-hooked's run() returns the context, not the callback's result (as Sequelize's own
  // _clsRun knows): capture the result in the closure.
  let result!: Promise<T>;
  ns.run(() => {
    // Undefined for 'none' steps: their queries then run outside any transaction.
    ns.set('transaction', transaction ?? undefined);
    result = fn();
  });
  return result;
}

type StartableTransaction = Transaction & { id: string; prepareEnvironment(useCLS: boolean): Promise<void> };

/**
 * A Sequelize transaction not yet begun: the CLS namespace is left alone (statements join it
 * through runInTransaction or an explicit `transaction`). IMMEDIATE takes SQLite's write lock at
 * BEGIN (other dialects ignore the type).
 */
export function transactionFor(sequelize: Sequelize): StartableTransaction {
  return createTransaction(sequelize, { type: 'IMMEDIATE' }) as StartableTransaction;
}
