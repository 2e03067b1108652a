import type { GenerateResult } from '../../types/options';
import { renameCandidates, type RenameCandidate } from '../diff/rename-hints';
import { DataLossError, OptionsError } from '../errors';
import { askRenames, candidateText, isYes, parseRenames, printRisks, renameFlag, terminalQuestions, type Questions } from './generate-prompts';
import { coloredSummary, messageFor } from './operation-summary';
import type { CliContext, Session } from './session';

export interface MigrateOptions {
  /** Absent: derived from the operations (`create users, add posts.title`), as Alembic's autogenerate names a revision. */
  readonly message?: string;
  readonly rename: readonly string[];
  readonly allowDataLoss?: boolean;
}

/**
 * `migrate`: on a terminal it asks, for each dropped + added pair, whether it is a rename, then
 * whether to write a migration that destroys data; elsewhere `--rename` and `--allow-data-loss`
 * decide, and data at risk without the flag exits 1 naming it (nothing written).
 */
export async function migrate(ctx: CliContext, session: Session, options: MigrateOptions): Promise<number> {
  let given: Record<string, string>;
  try {
    given = parseRenames(options.rename);
  } catch (error) {
    throw new OptionsError((error as Error).message, '--rename');
  }
  const questions = session.json ? null : terminalQuestions(ctx.io);
  try {
    const renames = questions === null ? given : await askRenames(session.migrator, questions, given);
    const result = await generate(session, options, renames, questions);
    if (result === 'declined') return 1;
    report(session, result);
    return 0;
  } finally {
    questions?.close();
  }
}

async function generate(
  session: Session,
  options: MigrateOptions,
  renames: Record<string, string>,
  questions: Questions | null,
): Promise<GenerateResult | null | 'declined'> {
  const allowDataLoss = options.allowDataLoss === true;
  const message = options.message ?? messageFor(await session.migrator.diff({ renames }));
  try {
    return await session.migrator.generate(message, { renames, allowDataLoss });
  } catch (error) {
    if (!(error instanceof DataLossError) || session.json) throw error;
    printHints(session, renameCandidates(await session.migrator.diff({ renames })), 'run migrate again with');
    printRisks(session.printer, error.risks);
    if (questions === null) {
      session.printer.error(
        'the migration would destroy the data above: nothing written. Pass --allow-data-loss to write it ' +
          '(with these warnings in it), or --rename table.old=new where a drop and an add are a rename.',
      );
      return 'declined';
    }
    if (!isYes(await questions.ask('? Write the migration anyway, with these warnings in it? [y/N]'))) {
      session.printer.line('Nothing written.');
      return 'declined';
    }
    return session.migrator.generate(message, { renames, allowDataLoss: true });
  }
}

function report(session: Session, result: GenerateResult | null): void {
  const { printer } = session;
  if (session.json) {
    printer.json(result ? { path: result.path, operations: result.operations, risks: result.risks } : { path: null, operations: [], risks: [] });
    return;
  }
  if (result === null) {
    printer.line('No changes in schema detected');
    return;
  }
  printer.line(`Generated ${printer.out.bold(session.show(result.path))}`);
  for (const op of result.operations) printer.line(`  ${coloredSummary(printer.out, op)}`);
  printHints(session, renameCandidates(result.operations), 'to keep the data, delete the file and run migrate again with');
  for (const risk of result.risks) printer.line(`  ${printer.out.red('!')} data loss: ${risk.text}`);
}

/** Same-typed dropped + added pairs, each with the flag that makes it a rename. */
function printHints(session: Session, candidates: readonly RenameCandidate[], advice: string): void {
  for (const hint of candidates.filter((c) => c.sameType)) {
    const [added, dropped] = candidateText(hint);
    session.printer.line(`  ${session.printer.out.yellow('?')} ${added} may be a rename of ${dropped}: ${advice} --rename ${renameFlag(hint)}`);
  }
}
