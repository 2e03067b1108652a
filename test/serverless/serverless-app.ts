/**
 * A throwaway application folder for bundling tests: `node_modules` holds Sequelize and the
 * drivers (symlinks to this repository's, as a Lambda layer would) and `sequelize-automigrate` as
 * an installed package whose `dist` is the built library. Bundles are written into the folder and
 * run with plain `node` (no tsx), in child processes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

export const REPO = resolve(__dirname, '..', '..');

/**
 * The built library's folder, the one holding index.js (`npm test` builds dist/lib);
 * AUTOMIGRATE_DIST points at a private build, as for the benchmarks.
 */
export const LIB = resolve(process.env.AUTOMIGRATE_DIST ?? join(REPO, 'dist', 'lib'));

/** Shipped next to the bundle, never inside it (see examples/serverless/build.js). */
export const EXTERNAL = ['sequelize', 'pg', 'pg-hstore', 'mysql2', 'mariadb', 'sqlite3', 'tedious', 'oracledb', 'ibm_db'];

const LINKED = ['sequelize', 'sqlite3', 'pg', 'mysql2'] as const;

export function distMissing(): string | null {
  for (const file of ['index.js', 'index.mjs']) {
    if (!existsSync(join(LIB, file))) return `${join(LIB, file)} is missing: run \`npm run build\` (npm test does)`;
  }
  return null;
}

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The stdout lines that are JSON objects, parsed. */
  readonly records: readonly Record<string, any>[];
}

export interface App {
  readonly dir: string;
  write(path: string, text: string): string;
  read(path: string): string;
  /** esbuild with the given entry, platform node, Sequelize and drivers external. */
  bundle(entry: string, outfile: string, options?: esbuild.BuildOptions): Promise<esbuild.BuildResult & { metafile: esbuild.Metafile }>;
  /** `node file` in the app folder, with `env` added. */
  node(file: string, env?: Readonly<Record<string, string>>): Promise<ProcessResult>;
  remove(): void;
}

export function createApp(): App {
  const dir = mkdtempSync(join(tmpdir(), 'am-serverless-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const name of LINKED) symlinkSync(join(REPO, 'node_modules', name), join(modules, name), 'dir');
  // Installed as a user installs it: its package.json (exports: require -> dist/lib/index.js,
  // import -> dist/lib/index.mjs) and its dist.
  const pkg = join(modules, 'sequelize-automigrate');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), readFileSync(join(REPO, 'package.json')));
  symlinkSync(LIB, join(pkg, 'dist', 'lib'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'am-serverless-app', private: true }));

  const write = (path: string, text: string): string => {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  return {
    dir,
    write,
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    async bundle(entry, outfile, options = {}) {
      const result = await esbuild.build({
        absWorkingDir: dir,
        entryPoints: [join(dir, entry)],
        outfile: join(dir, outfile),
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        external: EXTERNAL,
        metafile: true,
        logLevel: 'silent',
        ...options,
      });
      return result as esbuild.BuildResult & { metafile: esbuild.Metafile };
    },
    node: (file, env = {}) => runNode(join(dir, file), dir, env),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs `node file` (plain Node: ava's tsx loader must not leak into it). */
export function runNode(file: string, cwd: string, env: Readonly<Record<string, string>> = {}): Promise<ProcessResult> {
  return new Promise((done, fail) => {
    const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
    delete childEnv.NODE_OPTIONS;
    const child = spawn(process.execPath, [file], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr, records: jsonLines(stdout) }));
  });
}

function jsonLines(text: string): Record<string, any>[] {
  const records: Record<string, any>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      records.push(JSON.parse(line) as Record<string, any>);
    } catch {
      // a log line that merely starts with a brace
    }
  }
  return records;
}

/** Test/serverless/cold-start.js: loads a bundle as a fresh instance does and invokes it. */
export const COLD_START = join(__dirname, 'cold-start.js');

/**
 * A cold start of `bundle` in a new process: it waits for `startAt` (so several start together),
 * loads the bundle, invokes its handler `invocations` times, and reports the responses.
 */
export function coldStart(
  bundle: string,
  env: Readonly<Record<string, string>>,
  options: { startAt?: number; invocations?: number } = {},
): Promise<ProcessResult> {
  return runNode(COLD_START, dirname(bundle), {
    ...env,
    AM_BUNDLE: bundle,
    AM_START_AT: String(options.startAt ?? 0),
    AM_INVOCATIONS: String(options.invocations ?? 1),
  });
}

/** The record a cold start printed last: `{ msg: 'done', responses }` or `{ msg: 'failed', code }`. */
export function outcome(result: ProcessResult): Record<string, any> {
  const last = [...result.records].reverse().find((r) => r.msg === 'done' || r.msg === 'failed');
  if (!last) throw new Error(`the cold start printed no outcome (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  return last;
}
