import type { ExecutionContext } from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stopOnExit } from './servers';

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: { applied?: string[]; error?: string; message?: string } | null;
  readonly stderr: string;
}

export interface Child {
  readonly process: ChildProcess;
  readonly done: Promise<ChildResult>;
  stderr(): string;
}

const ROOT = join(__dirname, '..', '..');

/**
 * Starts test/fixtures/boot-child.ts in a new Node process (TypeScript through tsx). The child is
 * killed when `owner` (the test) ends, passed or failed: ava's assertions throw, so a test that
 * fails before its own `kill` would otherwise leave a hanging child, whose pipes keep ava's worker
 * (and the whole run) alive. It is also killed if the worker exits or is stopped by ava's timeout.
 */
export function bootChild(env: Record<string, string>, owner: Pick<ExecutionContext, 'teardown'>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'fixtures', 'boot-child.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forget = stopOnExit(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<ChildResult>((resolve) => {
    child.on('close', (code, signal) => {
      forget();
      let output: ChildResult['output'] = null;
      try {
        output = stdout ? JSON.parse(stdout) : null;
      } catch {
        output = { message: stdout };
      }
      resolve({ code, signal, output, stderr });
    });
  });
  owner.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await done;
  });
  return { process: child, done, stderr: () => stderr };
}

/**
 * Waits until `child` wrote `file` (a signal that it reached a point): null then, else why not
 * (the child ended first, with its output, or `ms` passed). Bounded, for loaded machines: starting
 * a tsx process can take a minute there.
 */
export async function untilWritten(child: Child, file: string, ms = 240_000): Promise<string | null> {
  let ended: ChildResult | undefined;
  void child.done.then((r) => (ended = r));
  const deadline = Date.now() + ms;
  while (!existsSync(file)) {
    if (ended) return `the child ended first (code ${ended.code}, signal ${ended.signal}): ${JSON.stringify(ended.output)} ${ended.stderr.slice(-2000)}`;
    if (Date.now() >= deadline) return `not written within ${ms} ms; the child's stderr so far: ${child.stderr().slice(-2000)}`;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}
