/**
 * Before a downgrade on a terminal: which tables the down() steps drop, and how many rows they
 * hold now. Found by reading each down() function's source, not by running it (MySQL commits DDL
 * as it runs, so a dry run is not possible everywhere). It sees what generated migrations and most
 * hand-written ones contain: `dropTable('name')` with a literal name, and `DROP TABLE name` in a
 * literal SQL string. It does not see a table named through a variable, a dropped column, or rows
 * removed by `bulkDelete`: the prompt is a safety net, not a proof.
 */
import type { Sequelize } from 'sequelize';
import type { DowngradeOptions } from '../../types/options';
import type { MigratorImpl } from '../migrator';
import { planDowngrade, verifyHistory } from '../runner/plan';
import { identifierQuoter } from '../sequelize-internals';

export interface DroppedTable {
  readonly table: string;
  /** The migration whose down() drops it. */
  readonly migration: string;
  readonly rows: number;
}

const DROP_TABLE_CALL = /\bdropTable\(\s*(['"`])([^'"`]+)\1/g;
const DROP_TABLE_SQL = /\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?[`"[]?([A-Za-z_][\w$]*)[`"\]]?/gi;

/** The table names a down() function's source drops (see the file comment for what it misses). */
export function tablesDroppedBy(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(DROP_TABLE_CALL)) names.add(match[2]!);
  for (const match of source.matchAll(DROP_TABLE_SQL)) names.add(match[1]!);
  return [...names];
}

/** Tables the requested downgrade drops that hold rows now, with their counts. */
export async function droppedTablesWithRows(migrator: MigratorImpl, request: DowngradeOptions): Promise<DroppedTable[]> {
  const { sequelize } = migrator.options;
  const available = migrator.sources();
  const byName = new Map(available.map((s) => [s.name, s]));
  const applied = await migrator.applied();
  // What downgrade() refuses is refused before asking anything.
  verifyHistory(available, applied, { allowOutOfOrder: migrator.options.allowOutOfOrder, verifyChecksums: true }, false);
  const rows = planDowngrade(available, applied, request);
  const found: DroppedTable[] = [];
  for (const row of rows) {
    const source = byName.get(row.name);
    if (!source) continue; // the downgrade itself refuses it, naming the migration
    const { down } = await source.load();
    if (!down) continue;
    for (const table of tablesDroppedBy(down.toString())) {
      const count = await countRows(sequelize, table);
      if (count !== null && count > 0) found.push({ table, migration: row.name, rows: count });
    }
  }
  return found;
}

/** Null when the table cannot be counted (it does not exist yet, or the name was misread). */
async function countRows(sequelize: Sequelize, table: string): Promise<number | null> {
  const quoted = identifierQuoter(sequelize)(table);
  try {
    const [row] = (await sequelize.query(`SELECT COUNT(*) AS n FROM ${quoted}`, { type: 'SELECT' as never, raw: true })) as unknown as {
      n: number | string;
    }[];
    return Number(row?.n ?? 0);
  } catch {
    return null;
  }
}
