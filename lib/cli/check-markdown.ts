import type { Operation } from '../../types/operations';
import { summarizeOperation } from './operation-summary';

/** What `check --format markdown` reports: pending migrations, or the drift, or neither. */
export interface CheckReport {
  readonly current: string | null;
  readonly pending: readonly string[];
  /** Null when not compared (the database is not at head). */
  readonly operations: readonly Operation[] | null;
}

const CHANGE = { '+': 'add', '-': 'remove', '~': 'change' } as const;

/** A table cell: pipes and line breaks would end the cell or the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * The check as GitHub-flavoured markdown for a pull-request comment: a heading that says the
 * verdict, then a table of the pending migrations or of the differences between the models and
 * the database (one row per operation: change, object, detail).
 */
export function checkMarkdown(report: CheckReport): string {
  const at = `\`${report.current ?? 'base'}\``;
  if (report.pending.length > 0) {
    return [
      `### ❌ automigrate check: ${report.pending.length} pending migration${report.pending.length === 1 ? '' : 's'}`,
      '',
      `The database is at ${at}; run \`automigrate upgrade\`. The models are compared once it is at head.`,
      '',
      '| # | Pending migration |',
      '|---|---|',
      ...report.pending.map((name, index) => `| ${index + 1} | \`${cell(name)}\` |`),
      '',
    ].join('\n');
  }
  const operations = report.operations ?? [];
  if (operations.length === 0) return `### ✅ automigrate check: no drift\n\nAt head (${at}) and the models match the database.\n`;
  const rows = operations.map((op) => {
    const { sign, text } = summarizeOperation(op);
    const [object, ...detail] = text.split(/ (?=\()|: /);
    return `| ${CHANGE[sign]} | \`${cell(object!)}\` | ${cell(detail.join(' ').replace(/^\((.*)\)$/, '$1'))} |`;
  });
  return [
    `### ❌ automigrate check: the models differ from the database by ${operations.length} operation${operations.length === 1 ? '' : 's'}`,
    '',
    `At head (${at}); write a migration for them with \`automigrate migrate\`.`,
    '',
    '| Change | Object | Detail |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
