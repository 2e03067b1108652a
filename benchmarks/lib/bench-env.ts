/**
 * What every benchmark shares: which dialects to run (DIALECTS, as in the tests), how many
 * repetitions (BENCH_RUNS), which build of the library to measure (AUTOMIGRATE_DIST, default the
 * package's own dist/lib, built by `npm run bench`), and a description of the machine.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { ALL_DIALECTS, unreachable, withDatabase, type TestDatabase, type TestDialect } from '../../test/helpers/databases';

export type { TestDatabase, TestDialect };

/** The built library's folder (the one holding index.js). */
export function distPath(): string {
  const dist = resolve(process.env.AUTOMIGRATE_DIST ?? join(__dirname, '..', '..', 'dist', 'lib'));
  if (!existsSync(join(dist, 'index.js'))) {
    throw new Error(`No built library at ${dist}: run \`npm run build\` (or point AUTOMIGRATE_DIST at a build).`);
  }
  return dist;
}

/** Repetitions per measured variant; BENCH_RUNS overrides the benchmark's own default. */
export function runs(defaultRuns: number): number {
  const n = Number(process.env.BENCH_RUNS ?? defaultRuns);
  return Number.isInteger(n) && n >= 1 ? n : defaultRuns;
}

/** The dialects to run whose server answers; the others are named and skipped. */
export async function reachableDialects(): Promise<TestDialect[]> {
  const out: TestDialect[] = [];
  for (const dialect of ALL_DIALECTS) {
    const why = await unreachable(dialect);
    if (why) console.log(`SKIPPED ${dialect}: ${why}`);
    else out.push(dialect);
  }
  return out;
}

export { withDatabase };

export function machine(): string {
  const cpu = cpus();
  return (
    `${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Node.js ${process.version}, load average ${loadavg()[0].toFixed(2)} at start`
  );
}

/** The server's version string, for the record. */
export async function serverVersion(db: TestDatabase): Promise<string> {
  const sql = db.dialect === 'sqlite' ? 'SELECT sqlite_version() AS v' : 'SELECT version() AS v';
  const [row] = (await db.sequelize.query(sql, { type: 'SELECT' as never })) as unknown as { v: string }[];
  const v = String(row.v);
  return db.dialect === 'postgres' ? v.split(' on ')[0] : `${db.dialect === 'sqlite' ? 'SQLite ' : ''}${v}`;
}

/** The dialects to run, for benchmarks that need no server (DIALECTS narrows them). */
export function selectedDialects(): readonly TestDialect[] {
  return ALL_DIALECTS;
}
