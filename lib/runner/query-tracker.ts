import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sequelize, Transaction } from 'sequelize';
import { installSavepoints } from './savepoints';
import { hooksOf, methodsOf } from '../sequelize-internals';

/**
 * A call a step made: a statement (`sequelize.query`) or a QueryInterface method, from its entry
 * until it settled.
 */
export interface TrackedCall {
  /** The SQL text, or `queryInterface.<method>()`. */
  readonly what: string;
  /** A statement (`sequelize.query`), not a QueryInterface method. */
  readonly statement: boolean;
  /**
   * The stack at the call, captured as an Error whose text V8 formats only when read (a warning or
   * an error names the line): cheap for the statements nobody asks about.
   */
  readonly trace: Error;
  /** The tracked call this one was made from (a QueryInterface method's statements). */
  readonly parent: TrackedCall | undefined;
  /** Something consumed the promise the caller got (await, then, catch, Promise.all). */
  awaited: boolean;
  settled: boolean;
  /** Still running when up()/down() resolved. */
  lingering: boolean;
  error?: unknown;
  /** Resolves (never rejects) when the call settled. */
  finished?: Promise<unknown>;
  /** The driver connection a statement runs on, once acquired (see the beforeQuery hook). */
  connection?: unknown;
}

/** What the tracker knows about the step running in the current async context. */
export class StepScope {
  /** Calls not yet settled, and settled ones nobody consumed (yet). */
  readonly calls = new Set<TrackedCall>();
  /** Statements that completed and may have changed something (not reads). */
  writes = 0;
  resolved = false;
  /** Every driver connection a statement of the step ran on (the run's transaction's among them). */
  readonly connections = new Set<unknown>();

  constructor(
    /** The runner's transaction of the step; null when the step runs outside one. */
    readonly transaction: Transaction | null,
  ) {}

  get running(): TrackedCall[] {
    return [...this.calls].filter((c) => !c.settled);
  }

  /**
   * Calls nobody awaited (outermost only: a forgotten `queryInterface.addColumn`, not the ALTER it
   * issued), and statements still running when up() resolved that were issued by something nobody
   * awaited outside our view (a model's `update()`).
   */
  strays(): TrackedCall[] {
    const unawaitedAbove = (c: TrackedCall): boolean => (c.parent ? !c.parent.awaited || unawaitedAbove(c.parent) : false);
    return [...this.calls].filter((c) => !unawaitedAbove(c) && (!c.awaited || c.lingering));
  }
}

const CONNECTION_HOOK = 'sequelize-automigrate:step-connections';

interface Context {
  readonly scope: StepScope;
  readonly parent?: TrackedCall;
}

/**
 * The promise a tracked call returns: consuming it in any way (`await`, `then`, `catch`,
 * `Promise.all`) goes through `then`, which a subclass sees (native `await` on a plain Promise
 * would not call it). Rejections are marked handled, so a forgotten failing call fails its
 * migration instead of the process (unhandled rejection).
 */
class TrackedPromise<T> extends Promise<T> {
  call: TrackedCall | undefined;
  // Derived promises (then, catch, finally) are plain ones.
  static override get [Symbol.species]() {
    return Promise;
  }
  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (this.call) this.call.awaited = true;
    return super.then(onFulfilled, onRejected);
  }
}

/**
 * Tracks what a migration does, to wait for calls it did not await and name them (issue #12:
 * sequelize-cli and umzug run such files). For the run only, `sequelize.query` and the methods of
 * the QueryInterface are wrapped on this instance; outside a step's async context the wrappers
 * call through. Statements count at the entry of `sequelize.query`, not in Sequelize's beforeQuery
 * hook, which fires only once a pooled connection was acquired: a stray statement waiting for a
 * connection must count too. The stack is captured there, only inside a step, so a warning can
 * point at the line that forgot its `await`.
 */
export class QueryTracker {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * Wraps the instance for the run; returns the undo. Runs sharing one instance (schema tenants,
   * parallel tests) share one set of wrappers, counted, so the first to finish does not pull them
   * from under the others: each call finds its step through the async context.
   */
  install(): () => void {
    let entry = installed.get(this.sequelize);
    if (!entry) {
      entry = { users: 0, undo: wrapInstance(this.sequelize) };
      installed.set(this.sequelize, entry);
    }
    const held = entry;
    held.users++;
    let undone = false;
    return () => {
      if (undone) return;
      undone = true;
      held.users--;
      if (held.users === 0) {
        held.undo();
        installed.delete(this.sequelize);
      }
    };
  }

  /** Runs `fn` as the step `scope`: calls it makes, even un-awaited ones, count against it. */
  run<T>(scope: StepScope, fn: () => Promise<T>): Promise<T> {
    return storage.run({ scope }, fn);
  }

  /**
   * Called when up()/down() resolved (or threw): marks what is still running as lingering, then
   * waits until every call of the step settled, including statements a stray QueryInterface call
   * issues after its first one settled (a turn of the event loop lets it reach `sequelize.query`).
   */
  async settle(scope: StepScope): Promise<void> {
    if (!scope.resolved) {
      scope.resolved = true;
      await new Promise((resolve) => setImmediate(resolve));
      for (const call of scope.running) call.lingering = true;
    }
    for (;;) {
      if (scope.running.length === 0) await new Promise((resolve) => setImmediate(resolve));
      const running = scope.running;
      if (running.length === 0) return;
      await Promise.all(running.map((c) => c.finished));
    }
  }
}

const storage = new AsyncLocalStorage<Context>();
const installed = new WeakMap<Sequelize, { users: number; undo: () => void }>();

function wrapInstance(sequelize: Sequelize): () => void {
  const undo: (() => void)[] = [];
  const wrap = (target: Record<string, unknown>, key: string, describe: (args: unknown[]) => string, isStatement: boolean) => {
    const original = target[key] as (...args: unknown[]) => unknown;
    const hadOwn = Object.prototype.hasOwnProperty.call(target, key);
    target[key] = function tracked(this: unknown, ...args: unknown[]): unknown {
      const context = storage.getStore();
      if (context === undefined) return original.apply(this, args);
      const call: TrackedCall = {
        what: describe(args),
        statement: isStatement,
        trace: traceFrom(tracked),
        parent: context.parent,
        awaited: false,
        settled: false,
        lingering: false,
      };
      const result = storage.run({ scope: context.scope, parent: call }, () => original.apply(this, args));
      if (!(result instanceof Promise)) return result;
      const { scope } = context;
      scope.calls.add(call);
      const done = () => {
        call.settled = true;
        if (call.awaited) scope.calls.delete(call);
      };
      const promise = new TrackedPromise<unknown>((resolve, reject) => {
        result.then(
          (value) => {
            if (isStatement && !isRead(args[0], args[1])) scope.writes++;
            done();
            resolve(value);
          },
          (error: unknown) => {
            call.error = error;
            done();
            reject(error);
          },
        );
      });
      promise.call = call;
      call.finished = Promise.prototype.then.call(promise, undefined, () => undefined);
      return promise;
    };
    undo.push(() => {
      if (hadOwn) target[key] = original;
      else delete target[key];
    });
  };
  wrap(methodsOf(sequelize), 'query', (args) => sqlText(args[0]), true);
  // Which connection a statement runs on is known only once Sequelize acquired it: the watch
  // (step-watch.ts) asks the database what those connections wait on, and cancels them.
  const hooks = hooksOf(sequelize);
  hooks.addHook('beforeQuery', CONNECTION_HOOK, (_options, query) => {
    const context = storage.getStore();
    if (!context?.parent) return;
    context.parent.connection = query.connection;
    context.scope.connections.add(query.connection);
  });
  undo.push(() => hooks.removeHook('beforeQuery', CONNECTION_HOOK));
  const queryInterface = methodsOf(sequelize.getQueryInterface());
  for (const method of queryInterfaceMethods(queryInterface)) wrap(queryInterface, method, () => `queryInterface.${method}()`, false);
  undo.push(installSavepoints(sequelize, () => storage.getStore()?.scope));
  return () => {
    for (const u of undo.reverse()) u();
  };
}

/** Every method of the QueryInterface (its prototype chain), but not the constructor. */
export function queryInterfaceMethods(queryInterface: object): string[] {
  const names = new Set<string>();
  for (let proto = Object.getPrototypeOf(queryInterface); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function') names.add(name);
    }
  }
  return [...names];
}

/** The call and, when the stack shows a frame outside Sequelize and this library, its line. */
export function describeCall(call: TrackedCall): string {
  const site = callSite(call.trace.stack);
  return site ? `${call.what} (at ${site})` : call.what;
}

function sqlText(sql: unknown): string {
  const text = typeof sql === 'string' ? sql : String((sql as { query?: string } | undefined)?.query ?? '');
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 197)}...` : oneLine;
}

/** The stack above `fn`'s frame: its first frame is whoever called `fn`. */
function traceFrom(fn: (...args: never[]) => unknown): Error {
  const trace = new Error();
  Error.captureStackTrace(trace, fn);
  return trace;
}

/**
 * The first frame of `stack` outside Sequelize and Node itself, `file:line:column`: the caller of
 * a tracked call (the stack starts above our wrapper; no path test, since a bundle may hold the
 * library and the migrations in one file).
 */
function callSite(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?[^()\s]+:\d+:\d+)\)?\s*$/.exec(line);
    if (!match || match[1].startsWith('node:')) continue;
    const location = match[1].replace(/^file:\/\//, '');
    if (/[\\/]node_modules[\\/](sequelize|retry-as-promised)[\\/]/.test(location)) continue;
    return location;
  }
  return undefined;
}

/** A statement that cannot have changed anything: the question is only whether a failed step did. */
function isRead(sql: unknown, options: unknown): boolean {
  const text = typeof sql === 'string' ? sql : String((sql as { query?: string } | undefined)?.query ?? '');
  if (/\bINTO\b/i.test(text)) return false;
  const type = (options as { type?: string } | undefined)?.type;
  if (type && /^(SELECT|SHOWTABLES|SHOWINDEXES|DESCRIBE|FOREIGNKEYS|SHOWCONSTRAINTS)$/i.test(type)) return true;
  // Transaction control changes nothing by itself (the writes inside it are counted as such).
  return /^\s*(SELECT|SHOW|DESCRIBE|EXPLAIN|START TRANSACTION|BEGIN|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|SET TRANSACTION)\b/i.test(text);
}
