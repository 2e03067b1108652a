import { createInterface } from 'node:readline';
import type { Migrator } from '../../types/migrator';
import type { DataRisk } from '../../types/operations';
import { renameCandidates, type RenameCandidate } from '../diff/rename-hints';
import type { CliIO, Printer } from './output';

/** Questions on the terminal, one answer a line. */
export interface Questions {
  /** The answer, trimmed; '' when the input ended. */
  ask(question: string): Promise<string>;
  close(): void;
}

/** Questions when stdin is a terminal; null otherwise (a pipe, CI): then only flags decide. */
export function terminalQuestions(io: CliIO): Questions | null {
  const input = io.stdin;
  if (input === undefined || input.isTTY !== true) return null;
  // terminal: false: the terminal itself echoes what is typed; readline only splits lines.
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question) {
      io.stdout.write(`${question} `);
      const next = await lines.next();
      return next.done === true ? '' : String(next.value).trim();
    },
    close: () => rl.close(),
  };
}

export function isYes(answer: string): boolean {
  return /^y(es)?$/i.test(answer);
}

/** `users.name=fullName` and `posts=articles`, as `--rename` takes them, into generate()'s renames. */
export function parseRenames(values: readonly string[]): Record<string, string> {
  const renames: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    const from = value.slice(0, at).trim();
    const to = value.slice(at + 1).trim();
    if (at < 0 || from === '' || to === '' || to.includes('.')) {
      throw new Error(`--rename ${value}: expected table.oldColumn=newColumn or oldTable=newTable`);
    }
    renames[from] = to;
  }
  return renames;
}

/** The `--rename` argument that makes a candidate a rename. */
export function renameFlag(candidate: RenameCandidate): string {
  return candidate.kind === 'table' ? `${candidate.from}=${candidate.to}` : `${candidate.table}.${candidate.from}=${candidate.to}`;
}

/** How a candidate reads: [the added one, the dropped one]. */
export function candidateText(candidate: RenameCandidate): [string, string] {
  return candidate.kind === 'table'
    ? [`table ${candidate.to}`, `table ${candidate.from}`]
    : [`${candidate.table}.${candidate.to}`, `${candidate.table}.${candidate.from}`];
}

/**
 * drizzle-kit's questions: for each dropped + added pair, is it a rename? A yes changes the diff
 * (a renamed table may bring its columns' pairs), so the diff is taken again after each.
 */
export async function askRenames(migrator: Migrator, questions: Questions, given: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const renames = { ...given };
  const answered = new Set<string>();
  for (;;) {
    const candidates = renameCandidates(await migrator.diff({ renames })).filter((c) => !answered.has(renameFlag(c)));
    let renamed = false;
    for (const candidate of candidates) {
      answered.add(renameFlag(candidate));
      const [added, dropped] = candidateText(candidate);
      if (isYes(await questions.ask(`? Is ${added} a rename of ${dropped}? (it keeps the data) [y/N]`))) {
        const [key, to] = renameFlag(candidate).split('=') as [string, string];
        renames[key] = to;
        renamed = true;
        break;
      }
    }
    if (!renamed) return renames;
  }
}

export function printRisks(printer: Printer, risks: readonly DataRisk[]): void {
  printer.line(printer.out.red('! Data at risk in the database as it is now:'));
  for (const risk of risks) printer.line(`    ${risk.text}`);
}
