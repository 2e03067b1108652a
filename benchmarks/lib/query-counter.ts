import type { Sequelize } from 'sequelize';

/**
 * Counts the statements a Sequelize instance sends while `fn` runs, through its `logging` option
 * (Sequelize calls it once per query), restoring the option afterwards.
 */
export async function countQueries<T>(sequelize: Sequelize, fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const options = (sequelize as unknown as { options: { logging?: unknown } }).options;
  const previous = options.logging;
  let queries = 0;
  options.logging = () => queries++;
  try {
    return { result: await fn(), queries };
  } finally {
    options.logging = previous;
  }
}

/** Milliseconds `fn` takes, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}
