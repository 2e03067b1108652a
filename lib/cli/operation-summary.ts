import type { Operation } from '../../types/operations';
import { summarizeOperation } from '../render/describe-operation';
import type { Style } from './output';

export { formatSummary, formatType, summarizeOperation, type OperationSummary } from '../render/describe-operation';

/** The summary with its sign coloured: green adds, red removes, yellow changes. */
export function coloredSummary(style: Style, op: Operation): string {
  const summary = summarizeOperation(op);
  const sign = summary.sign === '+' ? style.green('+') : summary.sign === '-' ? style.red('-') : style.yellow('~');
  return `${sign} ${summary.text}`;
}
