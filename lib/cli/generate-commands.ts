import type { Command } from 'commander';
import { migrate, type MigrateOptions } from './migrate-command';
import { parseTarget, withMigrator, type CliContext } from './session';

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

/** `migrate` (alias `generate`) and `revision`: the commands that write migrations. */
export function registerGenerateCommands(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .alias('generate')
    .description('write a migration from the models')
    .option('-m, --message <message>', 'what the migration does; becomes part of the file name (default: from its operations)')
    .option('--rename <from=to>', 'a rename: table.oldColumn=newColumn or oldTable=newTable (repeatable)', collect, [])
    .option('--allow-data-loss', 'write the migration even where it destroys data the database holds now')
    .option('--json', 'print the result as JSON')
    .action(async (options: MigrateOptions, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => migrate(ctx, session, options));
    });

  program
    .command('revision')
    .description('write an empty migration to edit by hand')
    .requiredOption('-m, --message <message>', 'what the migration does; becomes part of the file name')
    .option('--json', 'print the result as JSON')
    .action(async (options: { message: string }, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
        const result = await session.migrator.revision(options.message);
        if (session.json) session.printer.json({ path: result.path });
        else session.printer.line(`Created ${session.printer.out.bold(session.show(result.path))}`);
        return 0;
      });
    });
}

/** `sql`: the script an upgrade would run, written offline (as `upgrade --sql`). */
export function registerSqlCommand(program: Command, ctx: CliContext): void {
  program
    .command('sql')
    .description('print the SQL script an upgrade would run, without running it (offline)')
    .argument('[range]', 'TO (a migration name, or head), or FROM:TO as base:head', 'head')
    .option('--from <target>', 'start after this migration instead of the current one (base or 0: from scratch)')
    .option('--out <file>', 'write the script to FILE instead of stdout')
    .option('--json', 'print each migration\'s statements as JSON')
    .action(async (range: string, options: { from?: string; out?: string }, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
        const { parseRange, printOfflineSql } = require('./offline-sql-command') as typeof import('./offline-sql-command');
        const request = parseRange(range, 'up');
        return printOfflineSql(session, options.from !== undefined ? { ...request, from: parseTarget(options.from) } : request, options);
      });
    });
}
