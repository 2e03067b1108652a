import type { Sequelize, Transaction } from 'sequelize';
import type { StepScope } from './query-tracker';
import { methodsOf } from '../sequelize-internals';

type TransactionFn = (options?: unknown, callback?: (t: Transaction) => unknown) => Promise<unknown>;
type Savepoint = Transaction & { name: string; parent: Transaction & { savepoints: Savepoint[]; finished?: string }; finished?: string };

/**
 * sequelize-cli's documentation shows migrations opening their own transaction
 * (`queryInterface.sequelize.transaction(async (t) => ...)`, or `const t = await ...transaction()`
 * then `t.commit()`). Inside the runner's transaction a second, independent transaction waits on
 * the locks of the first: SQLITE_BUSY after 5 s on SQLite, forever on PostgreSQL (issue #12).
 *
 * While a run lasts, `sequelize.transaction()` called from a step that has a runner transaction,
 * without an explicit parent, opens a savepoint of it instead (Sequelize's own nested transactions:
 * `transaction({ transaction: parent })`, same connection). Sequelize then
 * - callback form: sets the savepoint as the CLS transaction inside the callback (so statements
 *   without `{ transaction }` land in it too), rolls back to it when the callback throws;
 * - rollback(): `ROLLBACK TO SAVEPOINT`; the runner's transaction goes on;
 * - commit(): nothing (Sequelize never releases savepoints). We add `RELEASE SAVEPOINT` when no
 *   savepoint opened after it is still open (releasing one releases every later one, which a
 *   sibling still in use would then miss), so a migration that opens thousands of them in a loop
 *   does not keep them all until the end. Its statements commit with the runner's transaction.
 * Without a runner transaction (MySQL, `transaction: 'none'`, `transaction = false`) the call is
 * left alone: the migration's transaction behaves as it does under sequelize-cli.
 */
export function installSavepoints(sequelize: Sequelize, currentStep: () => StepScope | undefined): () => void {
  const target = methodsOf(sequelize) as { transaction: TransactionFn };
  const hadOwn = Object.prototype.hasOwnProperty.call(target, 'transaction');
  const original = target.transaction;
  target.transaction = function savepointTransaction(this: unknown, options?: unknown, callback?: (t: Transaction) => unknown) {
    if (typeof options === 'function') {
      callback = options as (t: Transaction) => unknown;
      options = undefined;
    }
    const parent = currentStep()?.transaction;
    const explicit = (options as { transaction?: unknown } | undefined)?.transaction !== undefined;
    if (!parent || explicit) return original.call(this, options, callback);
    const nested = { ...(options as object | undefined), transaction: parent };
    if (callback) {
      const body = callback;
      return original.call(this, nested, (t: Transaction) => {
        releaseOnCommit(sequelize, t as Savepoint);
        return body(t);
      });
    }
    return original.call(this, nested).then((t) => {
      releaseOnCommit(sequelize, t as Savepoint);
      return t;
    });
  };
  return () => {
    if (hadOwn) target.transaction = original;
    else delete (target as { transaction?: unknown }).transaction;
  };
}

function releaseOnCommit(sequelize: Sequelize, savepoint: Savepoint): void {
  const commit = savepoint.commit;
  savepoint.commit = async function releasingCommit(this: Savepoint): Promise<void> {
    const siblings = savepoint.parent.savepoints;
    const later = siblings.slice(siblings.indexOf(savepoint) + 1);
    const release = later.every((s) => s.finished) && !savepoint.parent.finished;
    if (release && !savepoint.finished) {
      const generator = sequelize.getQueryInterface().queryGenerator as { quoteIdentifier(name: string, force?: boolean): string };
      await sequelize.query(`RELEASE SAVEPOINT ${generator.quoteIdentifier(savepoint.name, true)}`, { transaction: savepoint.parent });
    }
    await commit.call(this);
  };
}
