import type { LockHolder, LockWait } from '../../types/options';
import { formatDuration, formatTimestamp, type Printer } from './output';

/** Without a terminal, how often a still-waiting line repeats (a CI log shows the wait goes on). */
const PLAIN_REPEAT_MS = 10_000;

/** `myhost pid 4242, backend pid 977 from 10.0.0.5 (running 20261202-add-index)`, or `another process`. */
export function holderText(holder: LockHolder): string {
  const who = [holder.process, holder.backend].filter((part): part is string => part !== null).join(', ') || 'another process';
  return holder.migration ? `${who} (running ${holder.migration})` : who;
}

/** `waiting for the migration lock held by <holder> since <time>`: what a waiting run says. */
export function waitingText(holder: LockHolder): string {
  const since = holder.since ? ` since ${formatTimestamp(holder.since)}` : '';
  return `waiting for the migration lock held by ${holderText(holder)}${since}`;
}

/**
 * `hooks.onLockWait` for the command line. With progress on stdout: on a terminal, one live line
 * whose elapsed time moves, replaced by `got the migration lock after ...`; elsewhere plain lines
 * (the first, then every 10 s). With --json (stdout is the JSON), one line on stderr.
 */
export function lockWaitRenderer(printer: Printer, progress: boolean): (wait: LockWait) => void {
  let printedAt = -Infinity;
  let said = '';
  return (wait) => {
    const text = waitingText(wait.holder);
    const elapsed = `${Math.floor(wait.waitedMs / 1000)} s`;
    if (!progress) {
      if (wait.state === 'waiting' && text !== said) printer.note(`${text} ...`);
      said = text;
      return;
    }
    const { out } = printer;
    if (printer.liveLines) {
      if (wait.state === 'waiting') printer.live(`${out.yellow('…')} ${text} ${out.dim(`(${elapsed})`)}`);
      else printer.endLive(`${out.green('✓')} got the migration lock after ${formatDuration(wait.waitedMs)}`);
      return;
    }
    if (wait.state === 'acquired') {
      printer.line(`got the migration lock after ${formatDuration(wait.waitedMs)}`);
    } else if (text !== said) {
      printer.line(`${text} ...`);
      printedAt = wait.waitedMs;
    } else if (wait.waitedMs - printedAt >= PLAIN_REPEAT_MS) {
      printer.line(`still waiting for the migration lock (${elapsed})`);
      printedAt = wait.waitedMs;
    }
    said = text;
  };
}
