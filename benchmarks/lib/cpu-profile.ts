/**
 * Reads a V8 `.cpuprofile` (written by `node --cpu-prof`) and adds up self time by where the code
 * lives: Node's internals, Sequelize, this library, umzug, the drivers, the migration files...
 * So a missed target is explained by a profile, not a guess.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The bucket a frame's self time goes to, from its script URL and function name. */
export function bucketOf(url: string, functionName: string, libraryPath: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return 'idle (waiting on I/O)';
    if (functionName === '(program)') return 'V8/native (compile, startup)';
    return `native: ${functionName}`;
  }
  const path = url.replace(/^file:\/\//, '');
  if (path.startsWith('node:')) return 'Node.js internals (module loader, fs, ...)';
  if (path.startsWith(libraryPath)) return 'sequelize-automigrate';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return `node_modules: ${pkg[1]}`;
  if (/\/migrations\//.test(path)) return 'migration files';
  return 'application / other';
}

/** Self time in ms per bucket, largest first. */
export function selfTimeByBucket(file: string, libraryPath: string): [string, number][] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const bucket = bucketOf(node.callFrame.url, node.callFrame.functionName, libraryPath);
    totals.set(bucket, (totals.get(bucket) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

/** Self time in ms per function under `prefix` (`name file`), summed over the profiles, largest first. */
export function hotFunctions(files: readonly string[], prefix: string, top: number): [string, number][] {
  const totals = new Map<string, number>();
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id)?.callFrame;
      const path = frame?.url.replace(/^file:\/\//, '') ?? '';
      if (!frame || !path.startsWith(prefix)) return;
      const key = `${frame.functionName || '(anonymous)'} ${path.slice(prefix.length + 1)}`;
      totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
}

/**
 * Self time per bucket for several variants side by side, each the mean over its profiled runs:
 * rows are buckets (largest first, those under `minMs` in every variant left out).
 */
export function bucketTable(profiles: Readonly<Record<string, readonly string[]>>, libraryPath: string, minMs = 2): string[][] {
  const names = Object.keys(profiles);
  const means = names.map((name) => {
    const sums = new Map<string, number>();
    for (const file of profiles[name]) {
      for (const [bucket, ms] of selfTimeByBucket(file, libraryPath)) sums.set(bucket, (sums.get(bucket) ?? 0) + ms);
    }
    return new Map([...sums].map(([bucket, ms]) => [bucket, ms / Math.max(1, profiles[name].length)]));
  });
  const buckets = [...new Set(means.flatMap((m) => [...m.keys()]))]
    .filter((bucket) => means.some((m) => (m.get(bucket) ?? 0) >= minMs))
    .sort((a, b) => (means[means.length - 1].get(b) ?? 0) - (means[means.length - 1].get(a) ?? 0));
  return buckets.map((bucket) => [bucket, ...means.map((m) => (m.get(bucket) ?? 0).toFixed(1))]);
}
