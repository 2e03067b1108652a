/**
 * Target 4: how diff + render time grows with the schema. Synthetic schemas of 10, 100 and 1000
 * tables (and 3000, to show where the cost per table settles), no database, per dialect (each
 * normalises and lowers differently), in four scenarios: every table created, every table altered
 * (a default changed, a column added: table rebuilds on SQLite), every table already matching,
 * every table dropped. Close to linear: time ~ n^k with k near 1 from 100 tables up.
 * Cells are medians of wall time; per-table costs and k come from each cell's best sample, since
 * other processes on the machine only ever add time. (Not CPU time: V8's parallel garbage
 * collector threads add to it unevenly as the heap grows.)
 * A cell whose first run takes over a second is reported from that run, and larger ones skipped.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Dialect } from '../lib/dialects/dialect';
import type { DialectName, Schema } from '../types/schema';
import { distPath, machine, runs, selectedDialects, type TestDialect } from './lib/bench-env';
import { fixed, summarize } from './lib/stats';
import { emptySchema, syntheticSchema } from './lib/synthetic-schema';
import { printTable } from './lib/table';

/** The three sizes, and 3000 to show where the per-table cost settles. */
const SIZES = [10, 100, 1000, 3000] as const;

type Lib = {
  diffSchemas: typeof import('../lib/diff/diff-schemas').diffSchemas;
  reverseOperations: typeof import('../lib/diff/reverse-operation').reverseOperations;
  renderMigration: typeof import('../lib/render/render-migration').renderMigration;
  dialects: Record<TestDialect, Dialect>;
};

function load(dist: string): Lib {
  return {
    diffSchemas: (require(`${dist}/diff/diff-schemas`) as typeof import('../lib/diff/diff-schemas')).diffSchemas,
    reverseOperations: (require(`${dist}/diff/reverse-operation`) as typeof import('../lib/diff/reverse-operation')).reverseOperations,
    renderMigration: (require(`${dist}/render/render-migration`) as typeof import('../lib/render/render-migration')).renderMigration,
    dialects: {
      sqlite: (require(`${dist}/dialects/sqlite`) as typeof import('../lib/dialects/sqlite')).sqliteDialect,
      postgres: (require(`${dist}/dialects/postgres`) as typeof import('../lib/dialects/postgres')).postgresDialect,
      mysql: (require(`${dist}/dialects/mysql`) as typeof import('../lib/dialects/mysql')).mysqlDialect,
    },
  };
}

/** One diff + render, as `generate` does it; returns the operation count and the ms taken. */
function diffAndRender(lib: Lib, dialect: Dialect, current: Schema, desired: Schema): { ms: number; operations: number } {
  const start = process.hrtime.bigint();
  const { operations, notes } = lib.diffSchemas(current, desired, {
    capabilities: dialect.capabilities,
    normalize: (table) => dialect.normalizeTable(table),
  });
  if (operations.length > 0) {
    lib.renderMigration({
      operations,
      down: lib.reverseOperations(operations),
      notes,
      language: 'js',
      dialect: dialect.name,
      message: 'scaling',
    });
  }
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, operations: operations.length };
}

const SCENARIOS: readonly { readonly name: string; readonly sides: (d: DialectName, n: number) => [Schema, Schema] }[] = [
  { name: 'create every table', sides: (d, n) => [emptySchema(d), syntheticSchema(d, n)] },
  { name: 'alter every table', sides: (d, n) => [syntheticSchema(d, n), syntheticSchema(d, n, true)] },
  { name: 'every table matches', sides: (d, n) => [syntheticSchema(d, n), syntheticSchema(d, n)] },
  { name: 'drop every table', sides: (d, n) => [syntheticSchema(d, n), emptySchema(d)] },
];

/**
 * The largest exponent called close to linear: halfway, on a log scale, between linear (1) and
 * quadratic (2). Garbage collection of a larger heap alone lifts k above 1; a quadratic step
 * lifts it towards 2, as `drop every table` did before its ordering became O(n log n) (k = 2.7).
 */
const LINEAR = 1.5;

/** A cell whose first run takes longer than this is not repeated, and larger sizes are skipped. */
const SLOW_MS = 1000;

/** A cell stops sampling after this much CPU time, once it has three samples. */
const CELL_BUDGET_MS = 2000;

/**
 * A full garbage collection, run before every sample, so no sample pays for the garbage an
 * earlier one (a larger schema, another scenario) left behind. V8's documented flag, exposed at
 * run time because `npm run bench` starts this file without --expose-gc.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Cell {
  readonly median: number;
  readonly best: number;
  readonly operations: number;
}

/** One scenario at one size: the median and best of `n` samples, fewer when a sample is slow. */
function measure(lib: Lib, dialect: Dialect, current: Schema, desired: Schema, size: number, n: number): Cell {
  collectGarbage();
  const first = diffAndRender(lib, dialect, current, desired);
  if (first.ms > SLOW_MS) return { median: first.ms, best: first.ms, operations: first.operations };
  // Small schemas take microseconds: repeat them inside a sample, so each sample lasts long
  // enough for the clock, about as long as one 1000-table sample.
  const batch = Math.max(1, Math.round(1000 / size));
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < n && !(samples.length >= 3 && spent > CELL_BUDGET_MS)) {
    collectGarbage();
    let ms = 0;
    for (let j = 0; j < batch; j++) ms += diffAndRender(lib, dialect, current, desired).ms;
    spent += ms;
    samples.push(ms / batch);
  }
  const summary = summarize(samples);
  return { median: summary.median, best: summary.min, operations: first.operations };
}

function main(): void {
  const dist = distPath();
  const n = runs(5);
  const lib = load(dist);
  console.log(`Diff + render of synthetic schemas; up to ${n} runs per cell after one warm-up; library ${dist}`);
  console.log(machine());
  for (const testDialect of selectedDialects()) {
    const dialect = lib.dialects[testDialect];
    const rows: string[][] = [];
    for (const scenario of SCENARIOS) {
      const cells: Cell[] = [];
      for (const size of SIZES) {
        // Past a size that took over a second, the growth is already plain: do not wait minutes.
        if (cells.length > 0 && cells[cells.length - 1].best > SLOW_MS) break;
        const [current, desired] = scenario.sides(dialect.name, size);
        cells.push(measure(lib, dialect, current, desired, size, n));
      }
      // Time ~ n^k from 100 tables to the largest size measured: k = 1 is linear, 2 quadratic.
      const last = cells.length - 1;
      const exponent = Math.log(cells[last].best / cells[1].best) / Math.log(SIZES[last] / SIZES[1]);
      rows.push([
        scenario.name,
        ...SIZES.map((_, i) => (cells[i] ? `${fixed(cells[i].median)} ms` : 'skipped')),
        cells.map((cell, i) => ((cell.best * 1000) / SIZES[i]).toFixed(0)).join(' / '),
        `n^${exponent.toFixed(2)} ${exponent <= LINEAR ? '(close to linear)' : '(NOT linear)'}`,
        String(cells[last].operations),
      ]);
    }
    console.log(`\n## ${testDialect}\n`);
    printTable(
      ['scenario', ...SIZES.map((s) => `${s} tables`), `µs per table, best (${SIZES.join('/')})`, `growth from ${SIZES[1]} tables`, 'operations'],
      rows,
    );
  }
}

main();
