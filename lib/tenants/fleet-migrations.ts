/**
 * The migrations of a fleet, loaded, validated and checksummed once: every tenant's migrator
 * gets the same in-memory list, so a thousand tenants neither require a file a thousand times
 * (each require of a fresh copy stays in its parent's `children`: ~58 KB per tenant, issue 20)
 * nor read it to checksum it.
 */
import type { InCodeMigration, MigratorOptions } from '../../types/options';
import { folderSources, inCodeSources } from '../runner/sources';

export async function loadFleetMigrations(migrations: MigratorOptions['migrations']): Promise<readonly InCodeMigration[]> {
  if (typeof migrations !== 'string') {
    inCodeSources(migrations); // validated once, with the errors a migrator would throw
    return migrations;
  }
  const sources = folderSources(migrations);
  const loaded = await Promise.all(sources.map((source) => source.load()));
  return sources.map(
    (source, index): InCodeMigration => ({
      // The file name, as a folder run records it in the history: the two kinds of run agree.
      name: source.fileName,
      up: loaded[index].up,
      down: loaded[index].down,
      checksum: source.checksum() ?? undefined,
      transaction: loaded[index].transaction,
    }),
  );
}
