import type { Sequelize } from 'sequelize';
import type { Logger } from '../../types/options';
import type { StatementWatch } from '../dialects/dialect';
import { describeError } from '../errors';
import { describeCall, type StepScope, type TrackedCall } from './query-tracker';

/** Why a step was stopped from outside: the watch's verdict, turned into a typed error by run.ts. */
export class StepStuck extends Error {
  constructor(
    readonly kind: 'self-deadlock' | 'timeout',
    /** What the blocked statement waits on (self-deadlock), or the statements still running (timeout). */
    readonly detail: readonly string[],
  ) {
    super(kind === 'self-deadlock' ? `it waits on its own run: ${detail.join('; ')}` : `still running: ${detail.join('; ') || 'no statement'}`);
  }
}

/** A step becomes worth a look after this long; then once a second (issue #12). */
const WATCH_AFTER_MS = 2_000;
const WATCH_EVERY_MS = 1_000;
/** How long cancelled statements get to give up before the rollback goes ahead anyway. */
const CANCEL_GRACE_MS = 10_000;

export interface Watch {
  /** Rejects with StepStuck when the step is blocked by its own run or ran past its bound. */
  readonly stuck: Promise<never>;
  stop(): void;
}

/**
 * Watches a running step: always for a statement blocked by a connection of the same run (a
 * self-deadlock the database cannot see, since the cycle runs through the application), and, with
 * `stepTimeoutMs`, for the bound. The run's connections are the step's and the migration lock's
 * (`lockConnection`, HeldLock.connection): the lock's transaction stays open until the run ends.
 * The checks run on a pooled connection of their own; the interval is unref'd, so it never keeps
 * a process alive by itself.
 */
export function watchStep(
  sequelize: Sequelize,
  watch: StatementWatch | undefined,
  scope: StepScope,
  timeoutMs: number | null,
  logger: Logger,
  lockConnection?: unknown,
): Watch {
  let stop = () => {};
  const stuck = new Promise<never>((_resolve, reject) => {
    const started = Date.now();
    const timers: NodeJS.Timeout[] = [];
    if (timeoutMs !== null) timers.push(setTimeout(() => reject(new StepStuck('timeout', scope.running.filter(isStatement).map(describeCall))), timeoutMs));
    if (watch) {
      let checking = false;
      const interval = setInterval(() => {
        if (checking || Date.now() - started < WATCH_AFTER_MS) return;
        checking = true;
        findBlocked(sequelize, watch, scope, lockConnection)
          .then((found) => (found.length > 0 ? reject(new StepStuck('self-deadlock', found)) : undefined))
          .catch((error: unknown) => logger.debug?.(`watching the migration failed (${describeError(error)}); trying again`))
          .finally(() => (checking = false));
      }, WATCH_EVERY_MS);
      interval.unref();
      timers.push(interval);
    }
    stop = () => timers.forEach((t) => clearTimeout(t));
  });
  // Raced against the step; nobody else may be listening when it loses.
  stuck.catch(() => undefined);
  return { stuck, stop: () => stop() };
}

async function findBlocked(sequelize: Sequelize, watch: StatementWatch, scope: StepScope, lockConnection: unknown): Promise<string[]> {
  const waiting = scope.running.filter(isStatement);
  const waitingIds = ids(watch, waiting.map((c) => c.connection));
  const lockId = ids(watch, [lockConnection])[0];
  const holders = [...scope.connections, (scope.transaction as { connection?: unknown } | null)?.connection, lockConnection];
  // A waiting connection is a holder too (an earlier statement of the migration on it may hold a
  // lock); pg_blocking_pids never names a backend as its own blocker.
  const blocked = await watch.blockedBy(sequelize, [...new Set(waitingIds)], [...new Set(ids(watch, holders))]);
  return blocked.map((b) => {
    const call = waiting.find((c) => watch.connectionId(c.connection) === b.id);
    const lock = lockId !== undefined && b.holder === lockId ? ", the migration lock's own connection, which holds its locks until the run ends" : '';
    return `${call ? describeCall(call) : `connection ${b.id}`} waits on ${b.waitsOn}${lock}`;
  });
}

function ids(watch: StatementWatch, connections: readonly unknown[]): number[] {
  return connections.map((c) => (c === undefined ? undefined : watch.connectionId(c))).filter((id): id is number => id !== undefined);
}

/**
 * After the watch stopped a step: cancels its running statements where the dialect can, then
 * waits (bounded) for them to give up, so the rollback does not queue behind them.
 */
export async function cancelRunning(sequelize: Sequelize, watch: StatementWatch | undefined, scope: StepScope, settle: Promise<void>, logger: Logger): Promise<void> {
  const connections = [...new Set(scope.running.filter(isStatement).map((c) => c.connection))].filter((c) => c !== undefined);
  if (watch && connections.length > 0) {
    await watch.cancel(sequelize, connections).catch((error: unknown) => logger.warn(`Cancelling the migration's statements failed: ${describeError(error)}`));
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([settle, new Promise((resolve) => (timer = setTimeout(resolve, CANCEL_GRACE_MS)))]);
  clearTimeout(timer);
}

function isStatement(call: TrackedCall): boolean {
  return call.statement;
}

