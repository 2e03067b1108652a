/**
 * A squashed baseline (lib/squash) creates a whole schema: a few hundred DDL statements that
 * Sequelize's QueryInterface sends one by one. While a baseline's `up()` runs, the statements the
 * dialect can fold (its DDLFolder: on MySQL an index or foreign key into its CREATE TABLE, on
 * PostgreSQL a run of DDL into one multi-statement query) are held and answered at once; anything
 * else (a read, a data write, a statement with parameters) first sends what is held, in order, and
 * waits for it. What is held when `up()` returns is sent before it counts as done, so the step
 * fails, naming the statement, if a folded statement fails. Only baselines fold: a migration
 * someone wrote runs exactly as written.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sequelize } from 'sequelize';
import type { DDLFolder } from '../dialects/dialect';
import { methodsOf } from '../sequelize-internals';

type Query = (this: unknown, sql: unknown, options?: Record<string, unknown>) => Promise<unknown>;

class Batch {
  private held: readonly string[] = [];
  private options: Record<string, unknown> | undefined;
  /**
   * What was sent so far, in order: a later statement waits for it. It rejects once a sent
   * statement failed (the baseline fails with it, even if up() caught what it was answered), not
   * when a statement the baseline sent itself failed: that one is the caller's to handle.
   */
  private sent: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly folder: DDLFolder,
    private readonly send: Query,
  ) {}

  query(self: unknown, sql: unknown, options: Record<string, unknown> | undefined, run: () => Promise<unknown>): Promise<unknown> {
    const plain = typeof sql === 'string' && options?.bind === undefined && options?.replacements === undefined;
    const sameTransaction = this.held.length === 0 || options?.transaction === this.options?.transaction;
    const folded = plain && sameTransaction ? this.folder.fold(this.held, sql) : null;
    if (folded) {
      if (folded.send.length > 0) this.sendHeld(self, folded.send, this.options);
      // What is held goes with the options of its first statement (its transaction among them).
      if (this.held.length === 0 || folded.send.length > 0) this.options = options;
      this.held = folded.hold;
      // Answered once what was sent before it went through: it is sent (and can fail) later.
      return this.sent.then(() => [[], 0]);
    }
    // Not run after a held statement failed: unfolded, the baseline would have stopped there.
    const before = this.flushed(self);
    const result = before.then(run);
    this.chain(result.then(noop, () => before));
    return result;
  }

  /** Sends what is held (at a statement that does not fold, and when up() returned). */
  flushed(self: unknown): Promise<unknown> {
    const [held, options] = [this.held, this.options];
    this.held = [];
    this.sendHeld(self, held, options);
    return this.sent;
  }

  private sendHeld(self: unknown, held: readonly string[], options: Record<string, unknown> | undefined): void {
    const statements = this.folder.flush(held);
    this.chain(
      this.sent.then(async () => {
        for (const sql of statements) await this.send.call(self, sql, { ...options, type: 'RAW' });
      }),
    );
  }

  /** The next link; marked handled, since nothing may await a link before it settles. */
  private chain(next: Promise<unknown>): void {
    next.catch(noop);
    this.sent = next;
  }
}

function noop(): undefined {
  return undefined;
}

const storage = new AsyncLocalStorage<Batch>();
interface Installed {
  users: number;
  /** `sequelize.query` as it was before: what held statements are sent through. */
  readonly original: Query;
  readonly undo: () => void;
}
const installed = new WeakMap<Sequelize, Installed>();

/** Runs a baseline's `up()` (`fn`) with its foldable DDL folded; resolves once all of it was sent. */
export async function withFoldedDDL<T>(sequelize: Sequelize, folder: DDLFolder, fn: () => Promise<T>): Promise<T> {
  const entry = installed.get(sequelize) ?? install(methodsOf(sequelize));
  installed.set(sequelize, entry);
  entry.users++;
  const batch = new Batch(folder, entry.original);
  try {
    let result: T;
    try {
      result = await storage.run(batch, fn);
    } catch (error) {
      // What the baseline sent before it threw reaches the database, as it would unfolded (where
      // DDL is not transactional, the failure then reads as what it is: partly applied).
      await batch.flushed(sequelize).catch(() => undefined);
      throw error;
    }
    await batch.flushed(sequelize);
    return result;
  } finally {
    entry.users--;
    if (entry.users === 0) {
      entry.undo();
      installed.delete(sequelize);
    }
  }
}

/** One wrapper per Sequelize instance, whatever the number of baselines running on it. */
function install(methods: Record<string, unknown>): Installed {
  const original = methods.query as Query;
  const hadOwn = Object.prototype.hasOwnProperty.call(methods, 'query');
  methods.query = function folding(this: unknown, sql: unknown, options?: Record<string, unknown>): Promise<unknown> {
    const batch = storage.getStore();
    if (!batch) return original.call(this, sql, options);
    return batch.query(this, sql, options, () => original.call(this, sql, options));
  };
  const undo = () => {
    if (hadOwn) methods.query = original;
    else delete methods.query;
  };
  return { users: 0, original, undo };
}
