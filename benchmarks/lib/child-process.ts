/**
 * Runs one application boot (children/boot.cjs) in a fresh Node.js process and times it from
 * spawn to exit, as hyperfine does: the figure includes Node's own start-up, the same for every
 * variant, so ratios compare whole boots.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Options } from 'sequelize';

export type BootMode = 'floor' | 'automigrate' | 'umzug' | 'bare';

export interface BootConfig {
  readonly mode: BootMode;
  readonly options: Options;
  readonly migrations: string;
  /** models.cjs to define before booting, or null for an application without models. */
  readonly models: string | null;
  readonly dist: string;
  readonly onDrift?: 'warn' | 'throw' | 'ignore';
  readonly tableName: string;
  /** NODE_ENV of the child (autoMigrate's default onDrift depends on it); unset when absent. */
  readonly nodeEnv?: string;
}

/** What the child writes before it exits; times are ms since its process started. */
export interface BootReport {
  readonly mode: BootMode;
  readonly started: number;
  readonly sequelizeLoaded: number;
  readonly libraryLoaded?: number;
  readonly closed: number;
  readonly exit: number;
  readonly workMs: number;
  readonly applied?: number;
  readonly drift?: number;
  readonly queries: number;
  readonly maxRssKb: number;
  /** User + system CPU time of the whole process, up to its exit handler. */
  readonly cpuMs: number;
  readonly modules: number;
  readonly libraryModules: number;
  readonly migrationFilesRequired: number;
}

export interface BootRun {
  /** Spawn to exit, measured by the parent. */
  readonly wallMs: number;
  readonly report: BootReport;
}

const CHILD = join(__dirname, 'children', 'boot.cjs');

export function runBoot(config: BootConfig, nodeArgs: readonly string[] = []): Promise<BootRun> {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [...nodeArgs, CHILD], {
      env: { ...withoutNodeEnv(process.env), ...(config.nodeEnv ? { NODE_ENV: config.nodeEnv } : {}), BENCH_CHILD: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`${config.mode} boot exited with ${code}:\n${stderr}${stdout}`));
        return;
      }
      try {
        resolvePromise({ wallMs, report: JSON.parse(line) as BootReport });
      } catch {
        reject(new Error(`${config.mode} boot wrote no report:\n${stderr}${stdout}`));
      }
    });
  });
}

/**
 * Runs every variant `n` times after one warm-up each (file cache, the server's plan cache),
 * interleaved (A B C, A B C, ...) so a burst of load on a shared machine hits them all alike.
 */
export async function interleaved<K extends string>(
  variants: Readonly<Record<K, () => Promise<BootRun>>>,
  n: number,
): Promise<Record<K, BootRun[]>> {
  const keys = Object.keys(variants) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as BootRun[]])) as Record<K, BootRun[]>;
  for (const key of keys) await variants[key]();
  for (let i = 0; i < n; i++) {
    // Rotate the order each round: no variant always runs right after the same neighbour.
    for (let j = 0; j < keys.length; j++) {
      const key = keys[(i + j) % keys.length];
      out[key].push(await variants[key]());
    }
  }
  return out;
}

function withoutNodeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_ENV: _, ...rest } = env;
  return rest;
}
