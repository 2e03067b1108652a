import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { dialectOf } from '../dialects';
import type { DiagramSource } from '../autogenerate/diagram';
import type { MigratorImpl } from '../migrator';
import { withMigrator, type CliContext } from './session';

/** `diagram`: a Mermaid erDiagram of the models or the database, for a README or a pull request. */
export function registerDiagramCommand(program: Command, ctx: CliContext): void {
  program
    .command('diagram')
    .description('write a Mermaid erDiagram (tables, columns, keys, relations) that GitHub renders')
    .option('--from <source>', 'models, or database (what the database holds now)', diagramSource, 'models')
    .option('--out <file>', 'write it to FILE (a .md file gets a ```mermaid block) instead of stdout')
    .action(async (options: { from: DiagramSource; out?: string }, command: Command) => {
      await withMigrator(ctx, command, { progress: false }, async (session) => {
        const { options: resolved } = session.migrator as MigratorImpl;
        const { diagram } = require('../autogenerate/diagram') as typeof import('../autogenerate/diagram');
        const text = await diagram(resolved, dialectOf(resolved.sequelize), options.from);
        if (options.out === undefined) {
          session.printer.text(text);
          return 0;
        }
        const file = resolve(ctx.io.cwd, options.out);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, /\.(md|markdown)$/i.test(file) ? `\`\`\`mermaid\n${text}\`\`\`\n` : text);
        session.printer.line(`Wrote ${session.printer.out.bold(session.show(file))} (the ${options.from === 'models' ? 'models' : 'database'} as a Mermaid erDiagram)`);
        return 0;
      });
    });
}

function diagramSource(value: string): DiagramSource {
  if (value !== 'models' && value !== 'database') throw new InvalidArgumentError("expected 'models' or 'database'");
  return value;
}
