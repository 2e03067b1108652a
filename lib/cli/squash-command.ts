import type { Command } from 'commander';
import { plural } from './output';
import { parseTarget, withMigrator, type CliContext } from './session';

/** `squash [--to NAME]`: one baseline migration replacing the history up to NAME (lib/squash). */
export function registerSquashCommand(program: Command, ctx: CliContext): void {
  program
    .command('squash')
    .description('write one baseline migration replacing the migrations up to --to (default: all of them)')
    .option('--to <name>', 'the last migration the baseline replaces', 'head')
    .option('--json', 'print the result as JSON')
    .action(async (options: { to: string }, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
        const result = await session.migrator.squash(options.to === 'head' ? {} : { to: parseTarget(options.to) });
        if (session.json) {
          session.printer.json(result);
          return 0;
        }
        const { out } = session.printer;
        session.printer.line(`Created ${out.bold(session.show(result.path))}, replacing ${plural(result.replaces.length, 'migration')}.`);
        const data = [...new Set(result.data.map((d) => d.migration))];
        if (data.length > 0) {
          session.printer.line(
            `${out.yellow('Data:')} ${data.join(', ')} also wrote rows, which the baseline does not recreate (see its header): copy what a fresh database needs into it.`,
          );
        }
        session.printer.line('Fresh databases now run the baseline; delete the replaced files once every database is past them.');
        return 0;
      });
    });
}
