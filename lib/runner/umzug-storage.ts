/**
 * umzug interop, both ways (umzug's three-method contract, `src/storage/contract.ts`):
 * - StorageHistory: an umzug storage as the runner's history (`createMigrator({ storage })`), so
 *   a project keeps the records its Umzug instance writes while autogenerate writes the files.
 * - historyStorage(): this library's history table as an umzug storage, so an Umzug instance runs
 *   against the same records as the migrator (checksums included for the files it logs).
 */
import { readFileSync } from 'node:fs';
import type { QueryInterface, Sequelize, Transaction } from 'sequelize';
import type { AppliedInfo, MigrationParams, UmzugStorage } from '../../types/options';
import { OptionsError } from '../errors';
import type { History, HistoryInsert } from './contract';
import { DEFAULT_TABLE, HistoryTable } from './history';
import { checksumOf, compareNames, migrationName } from './sources';
import { runInTransaction } from './transaction-context';

/**
 * An umzug storage behind the runner's History. It records names only: the rows it returns carry
 * no checksum, time or duration, so edits of applied files are not detected. Its writes run
 * inside the migration's transaction context: a storage that writes through the same Sequelize
 * instance (umzug's SequelizeStorage) joins it, and its record commits with the migration; any
 * other storage writes after the migration's statements ran, as umzug itself does.
 */
export class StorageHistory implements History {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly storage: UmzugStorage,
  ) {}

  private get context(): QueryInterface {
    return this.sequelize.getQueryInterface();
  }

  async executed(): Promise<AppliedInfo[]> {
    const names = await this.storage.executed({ context: this.context });
    return names
      .map((storedName) => ({ name: migrationName(storedName), storedName, appliedAt: null, durationMs: null, checksum: null }))
      .sort((a, b) => compareNames(a.name, b.name));
  }

  async prepare(): Promise<void> {
    // umzug storages create what they need on their first write.
  }

  async logMigration(row: HistoryInsert, transaction: Transaction | null): Promise<void> {
    await runInTransaction(this.sequelize, transaction, () => this.storage.logMigration({ name: row.storedName, context: this.context }));
  }

  async unlogMigration(storedNames: readonly string[], transaction: Transaction | null): Promise<void> {
    for (const name of storedNames) {
      await runInTransaction(this.sequelize, transaction, () => this.storage.unlogMigration({ name, context: this.context }));
    }
  }
}

/** Options of `historyStorage()`. */
export interface HistoryStorageOptions {
  readonly sequelize: Sequelize;
  /** The history table. Default `SequelizeMeta`, the migrator's default. */
  readonly tableName?: string;
}

/**
 * The migrator's history table as an umzug storage: pass it to `new Umzug({ storage })` so an
 * Umzug instance and `createMigrator()` (autogenerate, check, the lock) share one history.
 * Names are recorded as umzug gives them (with its glob resolver, the file name with its
 * extension, as the migrator records files). When umzug passes the migration's `path`, the
 * file's checksum is recorded too, so the migrator refuses later edits of it (E_CHECKSUM).
 *
 * What umzug does not get from it: the migrator's lock and transactions. Run one of the two at a
 * time (umzug has no lock), or run migrations through the migrator and keep Umzug for the rest.
 *
 * @example
 * const umzug = new Umzug({
 *   migrations: { glob: 'migrations/*.js' },
 *   context: sequelize.getQueryInterface(),
 *   storage: historyStorage({ sequelize }),
 *   logger: console,
 * });
 */
export function historyStorage(options: HistoryStorageOptions): UmzugStorage {
  if (!options || typeof options.sequelize?.getQueryInterface !== 'function') {
    throw new OptionsError('historyStorage needs { sequelize }: a Sequelize instance.', 'sequelize');
  }
  const history = new HistoryTable(options.sequelize, options.tableName ?? DEFAULT_TABLE);
  const rowsNamed = async (name: string): Promise<string[]> =>
    ((await history.executed()) ?? []).filter((row) => row.name === migrationName(name)).map((row) => row.storedName);
  return {
    async executed(): Promise<string[]> {
      return ((await history.executed()) ?? []).map((row) => row.storedName);
    },
    async logMigration(params: MigrationParams): Promise<void> {
      await history.prepare();
      const checksum = params.path ? checksumOf(readFileSync(params.path, 'utf8')) : null;
      await history.logMigration({ storedName: params.name, checksum, appliedAt: new Date(), durationMs: null }, null);
    },
    async unlogMigration(params: MigrationParams): Promise<void> {
      // The row may carry an extension the caller's name does not (`x.js` recorded, `x` given).
      await history.unlogMigration(await rowsNamed(params.name), null);
    },
  };
}
