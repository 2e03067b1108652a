/**
 * `npm run bench`: runs every `benchmarks/*.bench.ts` in name order, each in its own process
 * (so one benchmark's loaded modules and connections cannot colour the next). Each benchmark
 * prints its own table of figures against a named baseline measured in the same run.
 * `npm run bench -- noop` runs only the files whose name contains `noop`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2] ?? '';
const files = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
if (files.length === 0) console.log(`no benchmark matches "${filter}"`);
process.exitCode = failed > 0 ? 1 : 0;
