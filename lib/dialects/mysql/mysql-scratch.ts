import type { Sequelize } from 'sequelize';
import type { ScratchDatabase } from '../dialect';
import { scratchName, serverScratch } from '../scratch';

/** A database on the same server, with the configured database's character set and collation. */
export async function openMysqlScratch(sequelize: Sequelize): Promise<ScratchDatabase> {
  const [row] = (await sequelize.query(
    'SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()',
    { type: 'SELECT' as never, transaction: null as never },
  )) as unknown as { cs: string; co: string }[];
  const extra = row ? `CHARACTER SET ${row.cs} COLLATE ${row.co}` : '';
  return serverScratch(sequelize, scratchName(String(sequelize.config.database), 64), extra);
}
