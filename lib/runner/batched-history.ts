import type { Transaction } from 'sequelize';
import type { AppliedInfo } from '../../types/options';
import type { History, HistoryInsert } from './contract';

/**
 * A history whose records wait for flush(): a run in one transaction (transaction: 'all', a fresh
 * database) writes its rows in a few multi-row INSERTs before its commit instead of one per
 * migration. They commit or roll back with the migrations all the same.
 */
export class BatchedHistory implements History {
  private readonly rows: HistoryInsert[] = [];

  constructor(private readonly inner: History) {}

  executed(): Promise<AppliedInfo[] | null> {
    return this.inner.executed();
  }

  prepare(names?: readonly string[]): Promise<void> {
    return this.inner.prepare(names);
  }

  async logMigration(row: HistoryInsert): Promise<void> {
    this.rows.push(row);
  }

  async insertMany(rows: readonly HistoryInsert[]): Promise<void> {
    this.rows.push(...rows);
  }

  unlogMigration(storedNames: readonly string[], transaction: Transaction | null): Promise<void> {
    return this.inner.unlogMigration(storedNames, transaction);
  }

  /** Writes the rows held back, in the run's transaction. */
  async flush(transaction: Transaction): Promise<void> {
    const rows = this.rows.splice(0);
    if (rows.length === 0) return;
    if (this.inner.insertMany) return this.inner.insertMany(rows, transaction);
    for (const row of rows) await this.inner.logMigration(row, transaction);
  }
}
