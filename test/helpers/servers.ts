/**
 * Extra servers the tests start themselves (PgBouncer, a Galera cluster): free loopback ports,
 * waiting until a server answers, stopping by PID, and the CI rule: in CI (CI=true) a missing
 * binary fails the test; on a laptop without it the test is passed over with a visible note.
 */
import type { ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** A loopback port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The path of `binary` on PATH (or /usr/sbin), or null. */
export function which(binary: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${binary} || ls /usr/sbin/${binary} 2>/dev/null`], { encoding: 'utf8' });
  const path = found.stdout.trim().split('\n')[0];
  return path ? path : null;
}

/** Retries `probe` until it resolves, or rejects with its last error after `ms`. */
export async function waitUntil(what: string, ms: number, probe: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${what} did not answer within ${ms} ms: ${(last as Error)?.message ?? last}`);
}

/** Ends a process we started and waits (bounded) until it is gone. */
export async function stopPid(pid: number | undefined, ms = 20_000): Promise<void> {
  if (!pid) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + ms;
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive()) process.kill(pid, 'SIGKILL');
}

/**
 * When a server could not be had: fails the test in CI; elsewhere passes it with a note on
 * stderr (never the word CI greps for, so a CI log cannot mistake it for a skipped dialect).
 */
export function unavailable(t: ExecutionContext, why: string): void {
  if (process.env.CI) {
    t.fail(`${why} (CI requires it)`);
    return;
  }
  console.warn(`\n  not run here: ${t.title}: ${why}\n`);
  t.pass(`not run: ${why}`);
}

const doomed = new Set<number>();

function killDoomed(): void {
  for (const pid of doomed) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  doomed.clear();
}

/** Kills what is left, then dies of `signal` as if nobody listened (a listener disables that). */
function onSignal(signal: NodeJS.Signals): void {
  killDoomed();
  process.removeListener('SIGTERM', onSigterm);
  process.removeListener('SIGINT', onSigint);
  process.kill(process.pid, signal);
}
const onSigterm = () => onSignal('SIGTERM');
const onSigint = () => onSignal('SIGINT');

/**
 * Ends `pid` (a server or child process this test file started) when this process ends without
 * the test's own cleanup having run: on a normal exit, and when ava stops the worker on its
 * timeout (SIGTERM, which skips 'exit' handlers unless someone listens for it). Returns the
 * unregistering function, for when the process was stopped or ended by itself.
 */
export function stopOnExit(pid: number | undefined): () => void {
  if (!pid) return () => undefined;
  if (doomed.size === 0) {
    process.once('exit', killDoomed);
    process.once('SIGTERM', onSigterm);
    process.once('SIGINT', onSigint);
  }
  doomed.add(pid);
  return () => {
    doomed.delete(pid);
    if (doomed.size === 0) {
      process.removeListener('exit', killDoomed);
      process.removeListener('SIGTERM', onSigterm);
      process.removeListener('SIGINT', onSigint);
    }
  };
}
