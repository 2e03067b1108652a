import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: { applied?: string[]; error?: string; message?: string } | null;
  readonly stderr: string;
}

const ROOT = join(__dirname, '..', '..');

/** Starts test/fixtures/boot-child.ts in a new Node process (TypeScript through tsx). */
export function bootChild(env: Record<string, string>): { process: ChildProcess; done: Promise<ChildResult>; stderr(): string } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'fixtures', 'boot-child.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<ChildResult>((resolve) => {
    child.on('close', (code, signal) => {
      let output: ChildResult['output'] = null;
      try {
        output = stdout ? JSON.parse(stdout) : null;
      } catch {
        output = { message: stdout };
      }
      resolve({ code, signal, output, stderr });
    });
  });
  return { process: child, done, stderr: () => stderr };
}
