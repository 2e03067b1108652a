import type { LockStrategy } from '../../types/options';
import { OptionsError } from '../errors';

/**
 * Polling for a lock that cannot be waited on without holding a connection (a transaction-scoped
 * advisory lock behind a pooler, a lease row on Galera): try, and between tries hold nothing.
 * Backoff 50 ms doubling to 1 s with jitter, so eight processes booting at once do not retry in
 * step; the last wait is cut to the deadline so `timeoutMs` is honoured.
 */
export const POLL_FIRST_MS = 50;
export const POLL_MAX_MS = 1000;

/**
 * Calls `attempt` until it returns a value (the lock) or `timeoutMs` passes; then resolves to
 * null. `attempt` gets the milliseconds left, to bound a try that may itself wait (a pooler's
 * queue). One attempt is always made, also with `timeoutMs` 0.
 */
export async function pollForLock<T>(timeoutMs: number, attempt: (remainingMs: number) => Promise<T | null>): Promise<T | null> {
  const deadline = Date.now() + Math.max(0, timeoutMs);
  let delay = POLL_FIRST_MS;
  for (;;) {
    const taken = await attempt(Math.max(0, deadline - Date.now()));
    if (taken !== null) return taken;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    const jittered = delay / 2 + Math.random() * (delay / 2);
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, jittered)));
    delay = Math.min(POLL_MAX_MS, delay * 2);
  }
}

/**
 * `promise`, or a rejection with `onTimeout()` after `ms`. For a query queued behind a pooler
 * that has no server connection free: the caller destroys the connection, which ends the query.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), Math.max(0, ms));
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** `host pid N`: who holds a lock or runs a migration, for messages. */
export function processLabel(): string {
  return `${(require('node:os') as typeof import('node:os')).hostname()} pid ${process.pid}`;
}

/**
 * True when `label` (`host pid N`, see processLabel) names a process on this host that no longer
 * exists: its lock file or marker is a leftover. Another host's process, or another user's
 * (EPERM), is taken to exist.
 */
export function processGone(label: string | null): boolean {
  const owner = /^(.*) pid (\d+)$/.exec(label ?? '');
  if (!owner || owner[1] !== (require('node:os') as typeof import('node:os')).hostname()) return false;
  try {
    process.kill(Number(owner[2]), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/** `lock.strategy` names a lock this database does not have. */
export function unsupportedStrategy(dialect: string, strategy: LockStrategy, supported: string): OptionsError {
  return new OptionsError(`Option \`lock.strategy: '${strategy}'\` is not available on ${dialect}: ${supported}.`, 'lock.strategy');
}
