/**
 * Row writes the replaced migrations run while the scratch database is upgraded (seed rows, lookup
 * values): data, which an introspected schema does not carry. Read from the statements Sequelize
 * logs. `INSERT ... SELECT` is a table rebuild copying rows (SQLite's changeColumn), not data.
 */
import type { SquashDataWrite } from '../../types/squash';

const WRITE = /^(?:INSERT\s+(?:OR\s+\w+\s+|IGNORE\s+)?INTO\s+(\S+)[\s\S]*?\bVALUES\b|UPDATE\s+(?:ONLY\s+)?(\S+)\s+SET\b|DELETE\s+FROM\s+(\S+))/i;

/** Collects writes per migration; `ignore`: the runner's own tables (history, markers). */
export class WriteCapture {
  private current: string | null = null;
  readonly writes: SquashDataWrite[] = [];

  constructor(private readonly ignore: readonly string[]) {}

  /** The runner's beforeStep hook. */
  step(name: string): void {
    this.current = name;
  }

  /** Sequelize's `logging` function. */
  readonly log = (sql: string): void => {
    if (this.current === null) return;
    const text = sql.replace(/^Executing \([^)]*\):\s*/, '').trim();
    const match = WRITE.exec(text);
    if (!match) return;
    const table = (match[1] ?? match[2] ?? match[3] ?? '').replace(/^[`"[]|[`"\]]$/g, '').split(/[`"]?\.[`"]?/).pop() ?? '';
    if (this.ignore.includes(table)) return;
    const statement = text.length > 100 ? `${text.slice(0, 97)}...` : text;
    this.writes.push({ migration: this.current, statement: statement.replace(/\s+/g, ' ') });
  };
}
