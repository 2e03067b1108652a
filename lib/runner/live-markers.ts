import type { AppliedInfo } from '../../types/options';
import { LockTimeoutError } from '../errors';
import type { History } from './contract';
import type { Marker, ProgressTable } from './progress';

/** How often a run holding the lock looks again at another run's live marker. */
const RECHECK_MS = 500;

/**
 * Under the lock: the history and the markers once no other run is inside a migration. A live
 * marker of another run means that run lost its lock while it lives (its lock connection was
 * killed, a lease expired under a stalled process) and is finishing a step: the step is in
 * progress, not interrupted, so this run waits for it (it stops before its next migration when it
 * checks its lock) instead of stopping with E_INCOMPLETE_MIGRATION. Bounded by the lock timeout.
 */
export async function settledHistory(
  history: History,
  progress: ProgressTable,
  timeoutMs: number,
  database: string,
): Promise<{ applied: AppliedInfo[]; markers: Marker[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Markers first: the live run writes its history row and removes its marker in one
    // transaction, so history read after "no live marker" includes what that run finished.
    const markers = await progress.read();
    const others = markers.filter((m) => m.live && m.runId !== progress.runId);
    if (others.length === 0) return { applied: (await history.executed()) ?? [], markers };
    if (Date.now() >= deadline) {
      const first = others[0];
      const holder = `${first.by ?? 'another process'} (run ${first.runId})`;
      throw new LockTimeoutError(
        `Timed out after ${timeoutMs} ms waiting for migration "${first.migration}" (${first.direction}), in progress on ${holder} ` +
          `on database "${database}": that run lost the migration lock while it lives and is finishing the migration. ` +
          'It stops before its next one; run again once it has, or raise `lock.timeoutMs`.',
        database,
        holder,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(RECHECK_MS, Math.max(0, deadline - Date.now()))));
  }
}
