/**
 * Many processes booting at once against one database (possibly through a proxy or on several
 * cluster nodes), with migrations whose bodies leave a side effect outside any transaction (a line
 * in a file), so a body that ran twice is counted even when its transaction rolled back.
 */
import type { ExecutionContext } from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from 'sequelize';
import { bootChild, type ChildResult } from './child';
import { writeMigrations } from './migrations';

export const NAMES = ['001-a', '002-b', '003-c', '004-d'];

/** A migration that records that its body ran, waits 200 ms (so boots overlap), creates `table`. */
export function countedMigration(ranFile: string, name: string, table: string): string {
  return `module.exports = {
  async up(qi, S) {
    require('node:fs').appendFileSync(${JSON.stringify(ranFile)}, ${JSON.stringify(name)} + ' ' + process.pid + '\\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await qi.createTable(${JSON.stringify(table)}, { id: { type: S.INTEGER, primaryKey: true }, pid: { type: S.INTEGER } });
    await qi.bulkInsert(${JSON.stringify(table)}, [{ id: 1, pid: process.pid }]);
  },
  async down(qi) { await qi.dropTable(${JSON.stringify(table)}); },
};
`;
}

export function writeCountedMigrations(dir: string, names: readonly string[] = NAMES): { folder: string; ranFile: string } {
  const ranFile = join(dir, 'ran.log');
  const folder = writeMigrations(join(dir, 'm'), Object.fromEntries(names.map((n) => [`${n}.js`, countedMigration(ranFile, n, n.slice(4))])));
  return { folder, ranFile };
}

/** How many times each migration body ran, by name. */
export function bodyRuns(ranFile: string): Record<string, number> {
  const counts: Record<string, number> = {};
  if (!existsSync(ranFile)) return counts;
  for (const line of readFileSync(ranFile, 'utf8').split('\n').filter(Boolean)) {
    const name = line.split(' ')[0];
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Starts one process per connection at the same moment (4 s from now: tsx start-up is slow). */
export async function bootAll(t: ExecutionContext, connections: readonly Options[], env: Record<string, string>): Promise<ChildResult[]> {
  const startAt = String(Date.now() + 4000);
  const children = connections.map((options) => bootChild({ ...env, AM_CONNECTION: JSON.stringify(options), AM_START_AT: startAt }, t));
  return Promise.all(children.map((c) => c.done));
}

/** Every process exited 0, each body ran exactly once, and their reports add up to `names`. */
export function assertEachOnce(t: ExecutionContext, results: readonly ChildResult[], ranFile: string, names: readonly string[], label: string): void {
  for (const r of results) t.is(r.code, 0, `${label}: a process failed: ${JSON.stringify(r.output)} ${r.stderr.slice(-2000)}`);
  t.deepEqual(results.flatMap((r) => r.output?.applied ?? []).sort(), [...names], `${label}: each migration reported once`);
  t.deepEqual(bodyRuns(ranFile), Object.fromEntries(names.map((n) => [n, 1])), `${label}: each migration body ran exactly once`);
}
