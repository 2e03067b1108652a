/**
 * What each dialect provides to reset() (lib/reset/), and the query builders the drivers
 * (lib/dialects/<dialect>/reset.ts) share.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import { identifierQuoter } from '../sequelize-internals';

/**
 * One line of a table's shape: `t` the table; `k` 'table' for the row naming the table itself,
 * 'references' for one whose `d` names a table `t` has a foreign key to (where the driver needs
 * the order), anything else for the rest of the shape.
 */
export interface ShapeRow {
  readonly t: string;
  readonly k: string;
  readonly d: string;
}

/** Owned tables to empty: those holding rows, and those whose auto-increment counter moved. */
export interface DirtyTables {
  readonly rows: readonly string[];
  readonly counters: readonly string[];
}

/**
 * A probe's answer (`k`: 'r' a table holding rows, 'c' a table whose counter moved; `t`: its name)
 * as DirtyTables; counters count only for tables this migrator owns.
 */
export function dirtyTables(found: readonly { k: string; t: string }[], owned: readonly string[]): DirtyTables {
  const mine = new Set(owned);
  return {
    rows: found.filter((f) => f.k === 'r').map((f) => f.t),
    counters: found.filter((f) => f.k === 'c' && mine.has(f.t)).map((f) => f.t),
  };
}

/** What a dialect does for reset(); every method is one round trip unless it says otherwise. */
export interface ResetDriver {
  /** Every base table of the connection's schema, and one row per column, index, constraint and trigger. */
  shape(sequelize: Sequelize): Promise<ShapeRow[]>;
  /** Names the database keeps for itself (`sqlite_sequence`): never owned. */
  internal(name: string): boolean;
  /** Which of `owned` hold rows or moved their counter. `all` lists every base table. */
  dirty(sequelize: Sequelize, owned: readonly string[], all: readonly string[]): Promise<DirtyTables>;
  /** Empties the tables and restarts their counters. `references`: table -> tables it references. */
  empty(sequelize: Sequelize, dirty: DirtyTables, references: ReadonlyMap<string, readonly string[]>): Promise<void>;
  /** Drops the tables (and what only they used: PostgreSQL enum types), foreign keys notwithstanding. */
  drop(sequelize: Sequelize, tables: readonly string[]): Promise<void>;
}

/** Runs a SELECT and returns its rows. */
export function select<T extends object>(sequelize: Sequelize, sql: string, transaction?: unknown): Promise<T[]> {
  return sequelize.query<T>(sql, { type: QueryTypes.SELECT, raw: true, transaction: (transaction ?? null) as never });
}

export function quoter(sequelize: Sequelize): (name: string) => string {
  return identifierQuoter(sequelize);
}

/**
 * One query telling which tables hold a row, as rows `{ k: 'r', t: table }`:
 * `SELECT 'r', 't' WHERE EXISTS (SELECT 1 FROM t) UNION ALL ...`. EXISTS stops at the first row, so
 * this is a peek per table. `from` is the FROM clause a dialect needs for a table-less SELECT.
 */
export function rowsProbe(sequelize: Sequelize, tables: readonly string[], from = ''): string {
  const q = quoter(sequelize);
  return tables.map((t) => `SELECT 'r' AS k, ${sequelize.escape(t)} AS t ${from} WHERE EXISTS (SELECT 1 FROM ${q(t)})`).join(' UNION ALL ');
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * `tables` ordered so that a table comes before every table it references (children first: a
 * DELETE then never leaves a row pointing at a deleted one); null when their references form a
 * cycle. A table referencing itself is no cycle: one DELETE removes all its rows at once.
 */
export function childrenFirst(tables: readonly string[], references: ReadonlyMap<string, readonly string[]>): string[] | null {
  const within = new Set(tables);
  // Kahn's algorithm on "parent waits for its children": count each table's referencing children.
  const children = new Map<string, number>(tables.map((t) => [t, 0]));
  for (const child of tables) {
    for (const parent of new Set(references.get(child) ?? [])) {
      if (parent !== child && within.has(parent)) children.set(parent, (children.get(parent) ?? 0) + 1);
    }
  }
  const ready = tables.filter((t) => children.get(t) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const table = ready.shift() as string;
    order.push(table);
    for (const parent of new Set(references.get(table) ?? [])) {
      if (parent === table || !within.has(parent)) continue;
      const left = (children.get(parent) ?? 0) - 1;
      children.set(parent, left);
      if (left === 0) ready.push(parent);
    }
  }
  return order.length === tables.length ? order : null;
}
