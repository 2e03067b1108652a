import type { Command } from 'commander';
import { MigrationError } from '../errors';
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

/** `sql`: the statements an upgrade would run, where the dialect can capture them. */
export function registerSqlCommand(program: Command, ctx: CliContext): void {
  program
    .command('sql')
    .description('print the SQL an upgrade would run')
    .argument('[target]', 'a migration name, or head', 'head')
    .option('--from <target>', 'start after this migration instead of the current one (base or 0: from scratch)')
    .action(async (target: string, options: { from?: string }, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
        let sql: string;
        try {
          sql = await session.migrator.sql({
            ...(target !== 'head' ? { to: parseTarget(target) } : {}),
            ...(options.from !== undefined ? { from: parseTarget(options.from) } : {}),
          });
        } catch (error) {
          if (error instanceof MigrationError && error.code === 'E_UNSUPPORTED') {
            session.printer.error(`SQL output is not available here: ${error.message}`);
            return 1;
          }
          throw error;
        }
        session.printer.text(sql);
        return 0;
      });
    });
}
