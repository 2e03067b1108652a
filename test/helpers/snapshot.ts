import type { Sequelize } from 'sequelize';

/**
 * Every table with its row count, and the history table's rows: what "changes nothing" compares
 * in the fault tests.
 */
export async function snapshot(sequelize: Sequelize, historyTable = 'SequelizeMeta'): Promise<string> {
  const qi = sequelize.getQueryInterface() as unknown as { quoteIdentifier(n: string): string; showAllTables(): Promise<unknown[]> };
  const tables = (await qi.showAllTables())
    .map((t) => (typeof t === 'string' ? t : String((t as { tableName: string }).tableName)))
    .filter((t) => !t.startsWith('sqlite_'))
    .sort();
  const lines: string[] = [];
  for (const table of tables) {
    const rows = (await sequelize.query(`SELECT * FROM ${qi.quoteIdentifier(table)}`, { type: 'SELECT' as never })) as unknown as object[];
    lines.push(`${table}: ${rows.length} rows`);
    if (table === historyTable) lines.push(...rows.map((r) => JSON.stringify(r)).sort());
  }
  return lines.join('\n');
}
