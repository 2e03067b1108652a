import { CommanderError } from 'commander';
import { MigrationError } from '../errors';
import { Printer, type CliIO } from './output';
import { buildProgram } from './program';
import type { CliContext } from './session';

/**
 * Runs the command line on `argv` (the arguments after the program name) and resolves to the
 * exit code: 0 success, 1 failure (or `check` finding differences), 2 usage error. Never throws,
 * never exits the process: bin.ts sets process.exitCode.
 */
export async function main(argv: readonly string[], io: Partial<CliIO> = {}): Promise<number> {
  const fullIo: CliIO = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    stdin: io.stdin ?? process.stdin,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
  };
  const ctx: CliContext = { io: fullIo, printer: new Printer(fullIo), exitCode: 0, json: false };
  // Known before parsing so that an error while parsing also honours it.
  ctx.printer.verbose = argv.includes('--verbose');
  try {
    await buildProgram(ctx).parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    return reportError(ctx, error);
  }
}

function reportError(ctx: CliContext, error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed the message (and the usage) through configureOutput. Help
    // and --version end with exit code 0; everything else it reports is a usage error.
    return error.exitCode === 0 ? 0 : 2;
  }
  const { printer } = ctx;
  printer.failStep();
  // One line: the cause. Anything after it (a require stack, a list) is for --verbose.
  printer.error(describe(error).split('\n', 1)[0]!.trim());
  if (ctx.json) {
    printer.json({
      error: {
        code: error instanceof MigrationError ? error.code : null,
        message: error instanceof Error ? error.message : String(error),
        subject: error instanceof MigrationError ? (error.subject ?? null) : null,
      },
    });
  }
  if (printer.verbose) {
    for (let current: unknown = error; current !== undefined; current = (current as { cause?: unknown }).cause) {
      printer.detail(current === error ? stackOf(current) : `caused by: ${stackOf(current)}`);
      if (!(current instanceof Error)) break;
    }
  }
  return 1;
}

/** Our errors' messages name the culprit; anything else keeps its class name (SequelizeConnectionError: ...). */
function describe(error: unknown): string {
  if (error instanceof MigrationError) return error.message;
  if (error instanceof Error) {
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  }
  return String(error);
}

function stackOf(error: unknown): string {
  return error instanceof Error && error.stack ? error.stack : String(error);
}
