/**
 * Registers one ava test per dialect from one body: `eachDialect('title', async (t, db) => ...)`
 * creates tests named `title [sqlite]`, `title [postgres]`, `title [mysql]`.
 */
import test, { type ExecutionContext } from 'ava';
import { ALL_DIALECTS, unreachable, withDatabase, type TestDatabase, type TestDialect } from './databases';

const warned = new Set<TestDialect>();

export function eachDialect(
  title: string,
  body: (t: ExecutionContext, db: TestDatabase) => Promise<void>,
  options: { dialects?: readonly TestDialect[]; serial?: boolean } = {},
): void {
  for (const dialect of options.dialects ?? ALL_DIALECTS) {
    if (!ALL_DIALECTS.includes(dialect)) continue;
    const register = options.serial ? test.serial : test;
    register(`${title} [${dialect}]`, async (t) => {
      const why = await unreachable(dialect);
      if (why) {
        if (process.env.CI) {
          t.fail(`${why} (CI requires every dialect)`);
          return;
        }
        if (!warned.has(dialect)) {
          warned.add(dialect);
          console.warn(`\n  SKIPPED ${dialect} tests: ${why}\n`);
        }
        t.pass(`skipped: ${why}`);
        return;
      }
      await withDatabase(dialect, (db) => body(t, db));
    });
  }
}
