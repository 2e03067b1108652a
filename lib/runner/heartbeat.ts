import { randomBytes } from 'node:crypto';
import { processGone } from '../dialects/lock-poll';

/**
 * Who runs the migrations a progress marker names, and whether it still does (issue #15). Each
 * marker carries its run's id and a heartbeat, refreshed every HEARTBEAT_MS while the step runs;
 * a marker whose heartbeat is younger than STALE_AFTER_MS belongs to a live run ("in progress on
 * host X, pid Y"), an older one to a run that stopped ("interrupted": resolve with `stamp`).
 * A lock can be lost while its holder lives (its connection killed by the server, a proxy, an idle
 * timeout): the next holder then sees the live run's marker and waits for it instead of calling
 * the migration interrupted. Times are the writer's and reader's clocks: hosts whose clocks differ
 * by more than STALE_AFTER_MS - HEARTBEAT_MS would misjudge a marker.
 */
export const HEARTBEAT_MS = 5_000;
export const STALE_AFTER_MS = 20_000;

/** A new run id: 16 hex digits. */
export function newRunId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * True when a marker's heartbeat says its run is alive now. A marker written on this host by a
 * process that no longer exists is dead at once (a killed process's marker does not make the next
 * run wait for the heartbeat to go stale); `by` is `host pid N`.
 */
export function isLive(heartbeatAt: Date | null, by: string | null, now = Date.now()): boolean {
  if (heartbeatAt === null || now - heartbeatAt.getTime() >= STALE_AFTER_MS) return false;
  return !processGone(by);
}

/**
 * Calls `beat` every HEARTBEAT_MS while `active` names are registered; never two beats at once
 * (a beat waiting for a pooled connection is not stacked). The timer is unref'd: it never keeps a
 * process alive.
 */
export class Heartbeat {
  private readonly active = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private beating = false;

  constructor(private readonly beat: (names: readonly string[]) => Promise<void>) {}

  add(name: string): void {
    this.active.add(name);
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), HEARTBEAT_MS);
      this.timer.unref();
    }
  }

  remove(names: readonly string[]): void {
    for (const name of names) this.active.delete(name);
    if (this.active.size === 0) this.stop();
  }

  /** The run ended (completed, failed or lost its lock): its markers stop looking alive. */
  stop(): void {
    this.active.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.beating || this.active.size === 0) return;
    this.beating = true;
    try {
      await this.beat([...this.active]);
    } catch {
      // A missed beat only makes the marker look older; the next one may pass.
    } finally {
      this.beating = false;
    }
  }
}
