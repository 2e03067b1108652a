/**
 * A run that waits for the migration lock says so (issue 18): after LOCK_WAIT_NOTICE_MS it asks
 * who holds the lock (the dialect's catalog: a backend, a connection, a lease or lock-file owner;
 * the holder's live progress markers: its process, run and migration) and, once it sees one (or
 * after UNSEEN_HOLDER_NOTICE_MS without), calls `hooks.onLockWait` once a second until the lock
 * is taken. The lock's acquisition itself is untouched: this only watches it.
 */
import type { Sequelize } from 'sequelize';
import type { Hooks, LockHolder, LockWait } from '../../types/options';
import type { Dialect, HeldLock, LockRequest } from '../dialects/dialect';
import type { ProgressTable } from './progress';

/** How long a run waits for the lock before it says so. */
export const LOCK_WAIT_NOTICE_MS = 1000;
/** Then how often it calls the hook (the elapsed time moves). */
export const LOCK_WAIT_TICK_MS = 1000;
/** How often the holder is asked again (it may change: a third process takes the lock). */
const HOLDER_REFRESH_MS = 5000;

/**
 * When no holder can be seen (the lock is slow to take on a loaded server, or the holder does not
 * say who it is), a run waits this long before it says it waits for "another process".
 */
export const UNSEEN_HOLDER_NOTICE_MS = 5000;

const UNKNOWN: LockHolder = { process: null, backend: null, runId: null, since: null, migration: null };

function isUnknown(holder: LockHolder): boolean {
  return holder.process === null && holder.backend === null && holder.runId === null;
}

/**
 * `acquiring`, reporting the wait to `onWait` while it lasts longer than LOCK_WAIT_NOTICE_MS.
 * Never delays or fails the acquisition: a holder that cannot be read is reported as unknown, and
 * a hook that throws is ignored.
 */
export async function watchLockWait<T>(
  acquiring: Promise<T>,
  onWait: Hooks['onLockWait'],
  holder: () => Promise<LockHolder>,
): Promise<T> {
  if (!onWait) return acquiring;
  const started = Date.now();
  let settled = false;
  let reported = false;
  let wake: () => void = () => undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const call = (wait: LockWait) => {
    try {
      onWait(wait);
    } catch {
      // A rendering hook must not break the run.
    }
  };
  let known: LockHolder = UNKNOWN;
  void (async () => {
    await pause(LOCK_WAIT_NOTICE_MS);
    let askedAt = -Infinity;
    while (!settled) {
      // Asked again each tick until someone is seen, then every HOLDER_REFRESH_MS.
      if (isUnknown(known) || Date.now() - askedAt >= HOLDER_REFRESH_MS) {
        known = await holder().catch(() => known);
        askedAt = Date.now();
      }
      if (settled) break;
      // A slow connection is not a wait: without a holder in sight, say nothing for a while.
      if (isUnknown(known) && Date.now() - started < UNSEEN_HOLDER_NOTICE_MS) {
        await pause(LOCK_WAIT_TICK_MS);
        continue;
      }
      reported = true;
      call({ state: 'waiting', waitedMs: Date.now() - started, holder: known });
      await pause(LOCK_WAIT_TICK_MS);
    }
  })();
  try {
    const lock = await acquiring;
    settled = true;
    if (reported) call({ state: 'acquired', waitedMs: Date.now() - started, holder: known });
    return lock;
  } finally {
    settled = true;
    wake();
  }
}

/** The dialect's lock, with its wait reported to `onWait` (see watchLockWait). */
export function acquireReportingWait(
  dialect: Dialect,
  sequelize: Sequelize,
  request: LockRequest,
  onWait: Hooks['onLockWait'],
  progress: () => ProgressTable,
): Promise<HeldLock> {
  const holder = () => currentLockHolder(dialect, sequelize, request, progress());
  return watchLockWait(dialect.acquireLock(sequelize, request), onWait, holder);
}

/**
 * Who holds the lock: the dialect's answer, completed by the live progress markers of another run
 * (its `host pid N`, run id, migration and when that began). Markers exist while a run is inside a
 * migration that runs outside a transaction (every migration on MySQL).
 */
export async function currentLockHolder(
  dialect: Dialect,
  sequelize: Sequelize,
  request: LockRequest,
  progress: ProgressTable,
): Promise<LockHolder> {
  const [fromDatabase, markers] = await Promise.all([
    dialect.lockHolder(sequelize, request).catch(() => null),
    progress.read().catch(() => []),
  ]);
  const marker = markers.find((m) => m.live && m.runId !== progress.runId);
  return {
    process: fromDatabase?.process ?? marker?.by ?? null,
    backend: fromDatabase?.backend ?? null,
    runId: fromDatabase?.runId ?? marker?.runId ?? null,
    since: fromDatabase?.since ?? marker?.startedAt ?? null,
    migration: fromDatabase?.migration ?? marker?.migration ?? null,
  };
}
