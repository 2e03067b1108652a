import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { OptionsError, UnsupportedError } from '../errors';
import type { MigratorImpl } from '../migrator';
import type { MigrationSource } from '../runner/sources';
import { findMigration, planDowngrade, planUpgrade, relativeCount } from '../runner/plan';
import type { AppliedInfo } from '../../types/options';
import { migrationCalls, upBody } from './migration-text';
import { formatDuration, formatTimestamp } from './output';
import { withMigrator, type CliContext, type Session } from './session';

/** `show`, `heads`, `edit`: Flask-Migrate's commands about one migration file. */
export function registerShowCommands(program: Command, ctx: CliContext): void {
  program
    .command('show')
    .description("one migration's details: file, checksum, when applied and how long, its operations")
    .argument('[target]', 'head, current, +N / -N (what upgrade +N runs last, what downgrade -N reverts last), or a migration name (or the start of one)', 'head')
    .option('--json', 'print the result as JSON')
    .action(async (target: string, _options: unknown, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
        const status = await session.migrator.status();
        const source = await pick(session, target === 'current' ? (status.current ?? 'base') : target, 'show');
        const applied = status.applied.find((a) => a.name === source.name) ?? null;
        const details = describe(session, source, applied, status.current);
        if (session.json) session.printer.json(details);
        else printDetails(session, details);
        return 0;
      });
    });

  program
    .command('heads')
    .description('print the newest migration: where upgrade goes')
    .option('--json', 'print the result as JSON')
    .action(async (_options: unknown, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
        const sources = (session.migrator as MigratorImpl).sources();
        const head = sources.length > 0 ? sources[sources.length - 1]!.name : null;
        // One line of history, one head: migrations here are ordered by name, never branched.
        if (session.json) session.printer.json({ heads: head === null ? [] : [head] });
        else session.printer.line(head === null ? 'No migrations yet: base is the head' : `${head} (head)`);
        return 0;
      });
    });

  program
    .command('edit')
    .description('open a migration file in $VISUAL or $EDITOR')
    .argument('[target]', 'head, +N / -N (as for show), or a migration name (or the start of one)', 'head')
    .action(async (target: string, _options: unknown, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
        const source = await pick(session, target, 'edit');
        if (source.path === null) throw new UnsupportedError(`Migration "${source.name}" is in code, not in a file: edit it where it is defined.`, source.name);
        const env = ctx.io.env ?? process.env;
        const editor = env.VISUAL || env.EDITOR;
        if (!editor) {
          throw new OptionsError(`Set $EDITOR (or $VISUAL) to open ${session.show(source.path)}, e.g. EDITOR=nano automigrate edit.`, 'EDITOR');
        }
        return openEditor(editor, source.path);
      });
    });
}

/**
 * The migration a target names among the files: head (the newest), a name or a unique prefix, or
 * relative to the history: `+N` the last one `upgrade +N` would run, `-N` the last one
 * `downgrade -N` would revert.
 */
async function pick(session: Session, target: string, verb: string): Promise<MigrationSource> {
  const migrator = session.migrator as MigratorImpl;
  const sources = migrator.sources();
  if (target === 'base' || target === '0') throw new OptionsError(`${verb}: base is before every migration, not a migration.`, 'target');
  const count = relativeCount(target);
  if (count !== null) {
    const applied = await migrator.applied();
    if (count > 0) return planUpgrade(sources, applied, target).at(-1)!;
    const row = planDowngrade(sources, applied, { to: target }).at(-1)!;
    return sources[findMigration(sources, row.name, verb)]!;
  }
  if (target === 'head') {
    const head = sources[sources.length - 1];
    if (!head) throw new OptionsError(`${verb}: there are no migrations yet; write one with \`automigrate migrate\`.`, 'target');
    return head;
  }
  return sources[findMigration(sources, target, verb)]!;
}

/** What `show` prints, and its --json. */
export interface MigrationDetails {
  readonly name: string;
  readonly file: string | null;
  readonly checksum: string | null;
  readonly state: 'applied' | 'pending';
  readonly current: boolean;
  readonly head: boolean;
  /** ISO 8601; null when pending, or recorded without a time (sequelize-cli, umzug, stamp). */
  readonly appliedAt: string | null;
  readonly durationMs: number | null;
  /** The QueryInterface calls of its `up`, as `createTable users`; empty when none are literal. */
  readonly operations: readonly string[];
  /** The text of `up`, when no call could be read from it. */
  readonly up: string | null;
}

function describe(session: Session, source: MigrationSource, applied: AppliedInfo | null, current: string | null): MigrationDetails {
  const sources = (session.migrator as MigratorImpl).sources();
  const text = source.path === null ? null : readFileSync(source.path, 'utf8');
  const body = text === null ? null : upBody(text);
  const operations = body === null ? [] : migrationCalls(body);
  return {
    name: source.name,
    file: source.path === null ? null : session.show(source.path),
    checksum: source.checksum(),
    state: applied ? 'applied' : 'pending',
    current: source.name === current,
    head: source.name === sources[sources.length - 1]?.name,
    appliedAt: applied?.appliedAt ? applied.appliedAt.toISOString() : null,
    durationMs: applied?.durationMs ?? null,
    operations,
    up: operations.length === 0 ? body : null,
  };
}

function printDetails(session: Session, d: MigrationDetails): void {
  const { out } = session.printer;
  const tags = [d.current ? 'current' : null, d.head ? 'head' : null].filter(Boolean);
  session.printer.line(`${out.bold(d.name)}${tags.length > 0 ? ` ${out.cyan(`(${tags.join(', ')})`)}` : ''}`);
  session.printer.line(`File:      ${d.file ?? out.dim('in code')}`);
  session.printer.line(`Checksum:  ${d.checksum ?? out.dim('none')}`);
  if (d.state === 'pending') session.printer.line(`Applied:   ${out.yellow('pending')}`);
  else {
    const when = d.appliedAt ? formatTimestamp(new Date(d.appliedAt)) : 'yes (recorded without a time)';
    session.printer.line(`Applied:   ${when}${d.durationMs !== null ? `, took ${formatDuration(d.durationMs)}` : ''}`);
  }
  if (d.operations.length > 0) {
    session.printer.line('Operations:');
    for (const op of d.operations) session.printer.line(`  ${op}`);
  } else if (d.up !== null) {
    session.printer.line('up:');
    for (const line of d.up.split('\n')) session.printer.line(`  ${line}`);
  }
}

/** Runs the editor command on the file, in the terminal; resolves to its exit code. */
function openEditor(editor: string, path: string): Promise<number> {
  const quoted = `'${path.replace(/'/g, `'\\''`)}'`;
  return new Promise((resolve, reject) => {
    // Through the shell: $EDITOR is often a command with arguments (`code --wait`).
    const child = spawn(`${editor} ${quoted}`, { shell: true, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(0);
      else reject(new OptionsError(`The editor \`${editor}\` exited with code ${code} on ${path}.`, 'EDITOR'));
    });
  });
}
