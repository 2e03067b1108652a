import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { registerBundleCommand } from './bundle-command';
import { registerDiagramCommand } from './diagram-command';
import { registerGenerateCommands, registerSqlCommand } from './generate-commands';
import { registerInitCommand } from './init-command';
import { registerInspectCommands } from './inspect-commands';
import { registerRunCommands, registerStampCommand } from './run-commands';
import { registerShowCommands } from './show-commands';
import { registerSquashCommand } from './squash-command';
import type { CliContext } from './session';

/**
 * The whole `automigrate` program. Commander never exits the process or writes to the console
 * itself: `exitOverride` turns its exits into CommanderErrors for `main`, and its output goes to
 * the streams in `ctx.io`.
 */
export function buildProgram(ctx: CliContext): Command {
  const { io, printer } = ctx;
  const program = new Command('automigrate')
    .description(
      'Migrations for Sequelize: generated from the models, applied with a lock.',
    )
    .version(readVersion(), '-V, --version', 'print the version')
    .option('-c, --config <path>', 'config file (default: automigrate.config.* here or in a parent folder, up to package.json)')
    .option('--verbose', 'stack traces, SQL and library logs on stderr')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(text.replace(/^error:/, printer.err.red('error:'))),
    })
    .showHelpAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      [
        '',
        'Workflow:',
        '  automigrate init                      create migrations/ and automigrate.config.js',
        '  automigrate migrate -m "add users"    write a migration from the models',
        '  automigrate upgrade                   apply it',
        '  automigrate check                     in CI: fail when migrations are missing or pending',
      ].join('\n'),
    );

  // Flask-Migrate's order: set up, write, apply, look, then the rarer ones.
  registerInitCommand(program, ctx);
  registerGenerateCommands(program, ctx);
  registerRunCommands(program, ctx);
  registerInspectCommands(program, ctx);
  registerShowCommands(program, ctx);
  registerStampCommand(program, ctx);
  registerSqlCommand(program, ctx);
  registerBundleCommand(program, ctx);
  registerDiagramCommand(program, ctx);
  registerSquashCommand(program, ctx);
  return program;
}

/**
 * The package's version. Compiled, this file is dist/lib/cli/program.js and package.json is
 * ../../../package.json; run from source (tests) it is one level closer, hence the walk up.
 */
export function readVersion(): string {
  let folder = __dirname;
  for (let i = 0; i < 4; i += 1) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'sequelize-automigrate' && pkg.version) return pkg.version;
    }
    folder = dirname(folder);
  }
  return 'unknown';
}
