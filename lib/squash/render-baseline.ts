/**
 * The baseline file: the renderer's migration (lib/render) creating everything, with the names it
 * replaces exported as `replaces`, a JSON array the runner reads from the text (replaces.ts).
 */
import type { SquashDataWrite } from '../../types/squash';
import { renderMigration, type RenderInput } from '../render/render-migration';
import { assertNever } from '../errors';

/** The renderer's input, with the replaced names and the row writes in place of the message. */
export interface BaselineInput extends Omit<RenderInput, 'message'> {
  readonly replaces: readonly string[];
  readonly data: readonly SquashDataWrite[];
}

export function renderBaseline(input: BaselineInput): string {
  const source = renderMigration({ ...input, message: header(input) });
  const list = JSON.stringify(input.replaces, null, 2);
  switch (input.language) {
    case 'js':
      return source.replace('module.exports = {\n', `module.exports = {\n  replaces: ${indent(list, '  ')},\n\n`);
    case 'mjs':
    case 'ts':
      return source.replace('export default { up, down };', `export const replaces = ${list};\n\nexport default { up, down, replaces };`);
    default:
      return assertNever(input.language);
  }
}

function indent(text: string, prefix: string): string {
  return text.replace(/\n/g, `\n${prefix}`);
}

function header(input: BaselineInput): string {
  const first = input.replaces[0];
  const last = input.replaces[input.replaces.length - 1];
  const lines = [
    `Baseline (automigrate squash): the ${input.dialect} schema of ${input.replaces.length} migration(s), ${first} to ${last}.`,
    'A fresh database runs this file instead of them and records every name in `replaces`; a database',
    'part-way through them runs the originals; one past them records this file without running it.',
    'Delete the replaced files once every database is past them.',
  ];
  if (input.data.length > 0) {
    const migrations = [...new Set(input.data.map((d) => d.migration))];
    lines.push(
      '',
      `DATA: ${migrations.length} replaced migration(s) also wrote rows, which this baseline does NOT recreate`,
      '(it creates the schema only). Copy what a fresh database needs (seed rows, lookup values) into up():',
      ...input.data.slice(0, 20).map((d) => `  - ${d.migration}: ${d.statement}`),
      ...(input.data.length > 20 ? [`  - ... ${input.data.length - 20} more`] : []),
    );
  }
  lines.push('');
  return lines.join('\n');
}
