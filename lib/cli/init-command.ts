import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { packageType } from '../runner/package-type';
import { ConfigError, configFilesIn, loadConfig, packageRoot } from './config';
import { chooseTemplate, configTemplate, templateForFile, type TemplateKind } from './init-templates';
import { commandOptions, type CliContext } from './session';

/** `init`: a migrations folder and a config template. Never overwrites anything. */
export function registerInitCommand(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('create migrations/ and a config file')
    .option('-d, --directory <folder>', 'the migrations folder, relative to the config file', 'migrations')
    .action(async (options: { directory: string }, command: Command) => {
      const { config } = commandOptions(ctx, command);
      const { cwd } = ctx.io;
      const { file, kind } = configTarget(cwd, config);
      const existing = config !== undefined ? [file].filter((f) => existsSync(f)) : configFilesIn(cwd).map((n) => join(cwd, n));
      if (existing.length > 0) {
        const shown = existing.map((f) => relative(cwd, f) || f).join(', ');
        // Flask-Migrate's init after a clone where migrations/ was never committed: the config is
        // there, its folder is not. Create the folder; anything else stays as it is.
        const missing = existing.length === 1 ? await missingFolder(existing[0]!, cwd) : null;
        if (missing === null) throw new ConfigError(`${shown} already exists: init does not overwrite it`, existing[0]!);
        mkdirSync(missing, { recursive: true });
        ctx.printer.line(`Kept ${ctx.printer.out.bold(shown)} (already there)`);
        ctx.printer.line(`Created ${ctx.printer.out.bold(`${relative(cwd, missing) || missing}/`)} (the config's migrations folder)`);
        ctx.exitCode = 0;
        return;
      }
      const folder = resolve(dirname(file), options.directory);
      const folderExisted = existsSync(folder);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, configTemplate(kind, options.directory), { flag: 'wx' });
      mkdirSync(folder, { recursive: true });

      const { out } = ctx.printer;
      const shownFile = relative(cwd, file) || file;
      ctx.printer.line(`Created ${out.bold(shownFile)}`);
      ctx.printer.line(
        folderExisted
          ? `Kept ${out.bold(`${relative(cwd, folder) || folder}/`)} (already there)`
          : `Created ${out.bold(`${relative(cwd, folder) || folder}/`)}`,
      );
      const gitignore = join(packageRoot(cwd) ?? cwd, '.gitignore');
      const ignored = ignoreLockFiles(gitignore);
      if (ignored !== null) ctx.printer.line(`${ignored} ${out.bold(relative(cwd, gitignore) || gitignore)} (SQLite's lock files)`);
      ctx.printer.line(`Next: edit ${shownFile} to hand over your Sequelize instance, then run`);
      // The config found by default is the one in this folder or above; an explicit one must be named again.
      const configFlag = config !== undefined ? ` -c ${quoteArg(shownFile)}` : '';
      ctx.printer.line(`  npx sequelize-automigrate${configFlag} migrate -m "initial"`);
      ctx.exitCode = 0;
    });
}

/**
 * The migrations folder a loadable config names, when it does not exist yet; null when it exists,
 * when the config holds in-code migrations, or when the config cannot be loaded (init then
 * refuses as before: it never guesses at a config it cannot read).
 */
async function missingFolder(file: string, cwd: string): Promise<string | null> {
  let loaded: Awaited<ReturnType<typeof loadConfig>>;
  try {
    loaded = await loadConfig(file, cwd);
  } catch {
    return null;
  }
  await loaded.options.sequelize.close().catch(() => undefined);
  const folder = loaded.options.migrations;
  return typeof folder === 'string' && !existsSync(folder) ? folder : null;
}

/** The pattern for SQLite's lock companions (`<database>-automigrate-lock`, see sqlite-lock.ts). */
const LOCK_PATTERN = '*-automigrate-lock';

/** Adds the lock files to the project's .gitignore; says what it did, or null when already there. */
function ignoreLockFiles(file: string): 'Created' | 'Updated' | null {
  if (!existsSync(file)) {
    writeFileSync(file, `# sequelize-automigrate: SQLite's migration lock files\n${LOCK_PATTERN}\n`);
    return 'Created';
  }
  const text = readFileSync(file, 'utf8');
  if (text.split(/\r?\n/).some((line) => line.trim() === LOCK_PATTERN)) return null;
  appendFileSync(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}# sequelize-automigrate: SQLite's migration lock files\n${LOCK_PATTERN}\n`);
  return 'Updated';
}

/** A path as typed in a shell: quoted when it holds anything but plain characters. */
function quoteArg(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function configTarget(cwd: string, explicit: string | undefined): { file: string; kind: TemplateKind } {
  const type = packageType(cwd);
  if (explicit === undefined) {
    const chosen = chooseTemplate(existsSync(join(cwd, 'tsconfig.json')), type);
    return { file: join(cwd, chosen.fileName), kind: chosen.kind };
  }
  const file = resolve(cwd, explicit);
  const kind = templateForFile(file, packageType(dirname(file)));
  if (kind === null) throw new ConfigError(`${explicit}: a config must be .js, .cjs, .mjs or .ts`, file);
  return { file, kind };
}
