/**
 * On a terminal (a pseudo-terminal from util-linux `script`), `downgrade` asks before its down()
 * steps drop tables that hold rows; `--yes` and a run without a terminal do not ask.
 */
import { spawn, spawnSync } from 'node:child_process';
import { eachDialect } from '../helpers/each-dialect';
import { BIN, CONFIG, binMissing, createProject, dbEnv, modelsSource, type Project, type RunResult } from './cli-project';

const SCRIPT = spawnSync('script', ['--version']).status === 0;

/** Runs the binary on a pseudo-terminal, typing `input`; stdout and stderr arrive together. */
function onTerminal(project: Project, args: readonly string[], env: Record<string, string>, input: string): Promise<RunResult> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((done, fail) => {
    const childEnv: Record<string, string | undefined> = { ...process.env, ...env, NO_COLOR: '1' };
    delete childEnv.NODE_OPTIONS;
    delete childEnv.FORCE_COLOR;
    // -e: script exits with the command's code; -f: flush as it goes; /dev/null: no typescript file.
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: project.dir, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr: '' }));
    // Typed once the question is on the screen, as a person would.
    const timer = setInterval(() => {
      if (stdout.includes('[y/N]') || input === '') {
        clearInterval(timer);
        child.stdin.end(input);
      }
    }, 50);
    child.on('close', () => clearInterval(timer));
  });
}

eachDialect('cli: downgrade on a terminal asks before dropping tables with rows; --yes and no terminal do not', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  if (!SCRIPT) return t.fail('util-linux `script` is needed for the pseudo-terminal');
  const project = createProject();
  t.teardown(() => project.remove());
  const env = dbEnv(db.options);
  project.write('automigrate.config.js', CONFIG);
  project.write('models.js', modelsSource(1));
  t.is((await project.run(['migrate', '-m', 'create users'], env)).code, 0);
  const setUp = async (): Promise<void> => {
    const up = await project.run(['upgrade'], env);
    t.is(up.code, 0, up.stderr);
    await db.sequelize.query("INSERT INTO users (name) VALUES ('ada'), ('grace')");
  };
  const tables = async (): Promise<string[]> =>
    ((await db.sequelize.getQueryInterface().showAllTables()) as unknown as string[]).filter((n) => n === 'users' || n === 'posts').sort();
  await setUp();
  const current = (await project.run(['current'], env)).stdout;

  const declined = await onTerminal(project, ['downgrade'], env, 'n\n');
  t.is(declined.code, 1, declined.stdout);
  t.regex(declined.stdout, /This downgrade drops tables that hold rows:/);
  t.regex(declined.stdout, /- users: 2 rows \(down of \d{14}-create-users\)/);
  t.notRegex(declined.stdout, /posts:/, 'an empty table is not asked about');
  t.regex(declined.stdout, /Cancelled: nothing was reverted/);
  t.is((await project.run(['current'], env)).stdout, current);
  t.deepEqual(await tables(), ['posts', 'users']);

  const accepted = await onTerminal(project, ['downgrade'], env, 'y\n');
  t.is(accepted.code, 0, accepted.stdout);
  t.regex(accepted.stdout, /1 migration reverted/);
  t.deepEqual(await tables(), []);

  await setUp();
  const yes = await onTerminal(project, ['downgrade', '--yes'], env, '');
  t.is(yes.code, 0, yes.stdout);
  t.notRegex(yes.stdout, /\[y\/N\]/);
  t.deepEqual(await tables(), []);

  // Without a terminal (CI, a pipe) nothing asks: the command runs as told.
  await setUp();
  const piped = await project.run(['downgrade'], env);
  t.is(piped.code, 0, piped.stderr);
  t.notRegex(piped.stdout, /\[y\/N\]/);
  t.deepEqual(await tables(), []);
});
