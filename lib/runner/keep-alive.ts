import { performance } from 'node:perf_hooks';
import type { Logger } from '../../types/options';

/**
 * A migration awaiting a promise that never settles (a callback never called, a forgotten
 * `resolve`) leaves nothing in Node's event loop: the process used to exit with status 0, the
 * migration unapplied and unreported, and a deploy pipeline took that for success (issue 13).
 *
 * While a step runs, a timer keeps the process alive and says now and then, through the run's
 * logger, which migration is still running. A process that exits anyway (`process.exit()` from
 * the application, a shutdown handler) exits non-zero, naming the step it cut short.
 */

/** When the warnings come: first after `firstWarningMs`, then every `warningEveryMs`. */
export interface KeepAliveTiming {
  firstWarningMs: number;
  warningEveryMs: number;
}

/** Exported so that tests can shorten it; not an option. */
export const keepAliveTiming: KeepAliveTiming = { firstWarningMs: 30_000, warningEveryMs: 60_000 };

interface Watched {
  readonly label: string;
  readonly logger: Logger;
  readonly started: number;
}

const running = new Set<Watched>();
let exitHookInstalled = false;

/**
 * Runs one step's body (`label` names it: `"002-x.js" (up)`), keeping the process alive and
 * warning about it until it settles.
 */
export async function keepAliveDuringStep<T>(logger: Logger, label: string, body: () => Promise<T>): Promise<T> {
  installExitHook();
  const watched: Watched = { label, logger, started: performance.now() };
  running.add(watched);
  // Ref'd on purpose: this timer is what keeps the process alive while the step is pending.
  let timer = setTimeout(function warn() {
    logger.warn(
      `Migration ${label} is still running after ${seconds(watched)} s, holding the migration lock. If it should have ` +
        'finished, it awaits something that never settles (a promise never resolved, a callback never called).',
    );
    timer = setTimeout(warn, keepAliveTiming.warningEveryMs);
  }, keepAliveTiming.firstWarningMs);
  try {
    return await body();
  } finally {
    clearTimeout(timer);
    running.delete(watched);
  }
}

/**
 * One listener for the whole process. 'exit' and not 'beforeExit': the timer above means the
 * event loop never empties while a step is pending, so only an explicit exit can end such a
 * process; the exit code set here is the one the process ends with (Node reads `process.exitCode`
 * after the 'exit' listeners ran).
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', (code) => {
    if (running.size === 0) return;
    for (const watched of running) {
      watched.logger.error(
        `The process is exiting (code ${code}) while migration ${watched.label} is still running (${seconds(watched)} s): ` +
          'it did not finish (the next run tells what state it left). Exiting with code 1.',
      );
    }
    if (!code) process.exitCode = 1;
  });
}

function seconds(watched: Watched): number {
  return Math.round((performance.now() - watched.started) / 1000);
}
