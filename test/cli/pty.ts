/**
 * The binary in a pseudo-terminal, through pty-run.py (python3's pty module): for what the command
 * line does only on a terminal (questions, live lines).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, type Project } from './cli-project';

export interface PtyResult {
  readonly code: number | null;
  readonly output: string;
  readonly unanswered: readonly string[];
}

/** The binary in a pseudo-terminal (python3's pty module), answering each prompt when it shows. */
export function runInTerminal(project: Project, args: readonly string[], env: Record<string, string>, answers: [string, string][]): Promise<PtyResult> {
  const spec = JSON.stringify({ cwd: project.dir, argv: [process.execPath, BIN, ...args], answers, timeout: 60 });
  return new Promise((done, fail) => {
    const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
    delete childEnv.NODE_OPTIONS;
    delete childEnv.FORCE_COLOR;
    childEnv.NO_COLOR = '1';
    const child = spawn('python3', [join(__dirname, 'pty-run.py'), spec], { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', fail);
    child.on('close', () => {
      try {
        done(JSON.parse(out) as PtyResult);
      } catch {
        fail(new Error(`pty-run.py printed no JSON: ${out}`));
      }
    });
  });
}
