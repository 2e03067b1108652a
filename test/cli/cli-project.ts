/**
 * A throwaway application folder for running the real `automigrate` binary in: its own
 * node_modules made of symlinks to this repository's (no install, so sqlite3 is not rebuilt),
 * a models module the test rewrites between runs, and a config that hands them over.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Options } from 'sequelize';

export const REPO = resolve(__dirname, '..', '..');

/** The compiled binary; AUTOMIGRATE_BIN points elsewhere (a private build) while developing. */
export const BIN = process.env.AUTOMIGRATE_BIN ?? join(REPO, 'dist', 'lib', 'cli', 'bin.js');

export function binMissing(): string | null {
  return existsSync(BIN) ? null : `${BIN} is missing: run \`npm run build\` (npm test does)`;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Project {
  readonly dir: string;
  /** Runs `node bin.js ...args` in the project folder; never rejects on a non-zero exit. */
  run(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<RunResult>;
  /** Runs and parses stdout as JSON. */
  json<T = any>(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<{ code: number | null; data: T; stderr: string }>;
  write(path: string, text: string): void;
  mkdir(path: string): void;
  migrations(): string[];
  remove(): void;
}

const LINKED = ['sequelize', 'sqlite3', 'pg', 'mysql2'] as const;

export function createProject(options: { links?: readonly string[] } = {}): Project {
  const dir = mkdtempSync(join(tmpdir(), 'am-cli-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const name of [...LINKED, ...(options.links ?? [])]) {
    symlinkSync(join(REPO, 'node_modules', name), join(modules, name), 'dir');
  }
  symlinkSync(REPO, join(modules, 'sequelize-automigrate'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'am-cli-project', private: true }));

  const run = (args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<RunResult> =>
    new Promise((done, fail) => {
      const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
      // Output is asserted plain unless a test asks for colours.
      if (!('FORCE_COLOR' in env)) delete childEnv.FORCE_COLOR;
      if (!('NO_COLOR' in env)) delete childEnv.NO_COLOR;
      delete childEnv.NODE_OPTIONS; // ava's --import=tsx must not leak into the binary
      const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });

  return {
    dir,
    run,
    async json(args, env) {
      const result = await run(args, env);
      let data: unknown;
      try {
        data = JSON.parse(result.stdout);
      } catch {
        throw new Error(`automigrate ${args.join(' ')} printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
      }
      return { code: result.code, data: data as any, stderr: result.stderr };
    },
    write(path, text) {
      const file = join(dir, path);
      mkdirSync(resolve(file, '..'), { recursive: true });
      writeFileSync(file, text);
    },
    mkdir(path) {
      mkdirSync(join(dir, path), { recursive: true });
    },
    migrations() {
      const folder = join(dir, 'migrations');
      return existsSync(folder) ? readdirSync(folder).sort() : [];
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A config reading its connection from AM_DB (JSON Sequelize options) and its models from ./models.js. */
export const CONFIG = `
const { Sequelize } = require('sequelize');
module.exports = async () => {
  const sequelize = new Sequelize(JSON.parse(process.env.AM_DB));
  require('./models')(sequelize);
  return { sequelize, migrations: 'migrations' };
};
`;

/** models.js, version 1: users and posts. Version 2 adds users.bio. */
export function modelsSource(version: 1 | 2): string {
  return `
const { DataTypes } = require('sequelize');
module.exports = (sequelize) => {
  const User = sequelize.define('User', {
    name: { type: DataTypes.STRING(100), allowNull: false },
    ${version === 2 ? 'bio: { type: DataTypes.TEXT, allowNull: true },' : ''}
  }, { tableName: 'users', timestamps: false });
  const Post = sequelize.define('Post', {
    title: { type: DataTypes.STRING(200), allowNull: false },
  }, { tableName: 'posts', timestamps: false });
  Post.belongsTo(User, { foreignKey: { name: 'userId', allowNull: false }, onDelete: 'CASCADE' });
};
`;
}

/** The connection options a child process receives as AM_DB. */
export function dbEnv(options: Options): Record<string, string> {
  return { AM_DB: JSON.stringify(options) };
}

/** Stdout lines, trimmed, without empty ones. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}
