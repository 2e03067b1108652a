/**
 * Everything the command line writes goes through a Printer: colours only when the stream can
 * show them, progress lines that survive a warning printed in the middle, JSON when asked.
 */

/** The little of a writable stream the CLI needs; process.stdout and test doubles both fit. */
export interface CliStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  hasColors?(): boolean;
}

export interface CliIO {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Where answers to questions come from (`migrate` asks only when it is a terminal). Default process.stdin. */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** The folder the command runs in: where the config is looked for and `init` writes. */
  readonly cwd: string;
  /** Read for NO_COLOR / FORCE_COLOR. Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * FORCE_COLOR wins over NO_COLOR, as in Node's own `tty.WriteStream#hasColors`
 * (https://nodejs.org/api/tty.html#writestreamgetcolordepthenv); NO_COLOR set and not empty turns
 * colours off (https://no-color.org); otherwise only a terminal that says it has colours gets them.
 */
export function colorEnabled(stream: CliStream, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (!stream.isTTY) return false;
  return typeof stream.hasColors === 'function' ? stream.hasColors() : true;
}

export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const COLORED: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
};

const identity = (text: string): string => text;
const PLAIN: Style = { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity };

export function styleFor(stream: CliStream, env: Readonly<Record<string, string | undefined>>): Style {
  return colorEnabled(stream, env) ? COLORED : PLAIN;
}

/** `12 ms` below a second, `1.3 s` above. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `1 migration`, `2 migrations`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Local time, to the second: `2024-05-01 14:03:22`. */
export function formatTimestamp(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

export class Printer {
  readonly out: Style;
  readonly err: Style;
  /** The text of a progress line started on stdout and not finished yet. */
  private openLine: string | null = null;
  private interrupted = false;

  constructor(
    private readonly io: CliIO,
    /** Set once the arguments are parsed (`--verbose`). */
    public verbose = false,
  ) {
    const env = io.env ?? process.env;
    this.out = styleFor(io.stdout, env);
    this.err = styleFor(io.stderr, env);
  }

  line(text = ''): void {
    this.breakOpenLine();
    this.io.stdout.write(`${text}\n`);
  }

  json(value: unknown): void {
    this.breakOpenLine();
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Raw text to stdout (SQL), with exactly one trailing newline. */
  text(text: string): void {
    this.breakOpenLine();
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  warn(text: string): void {
    this.toStderr(`${this.err.yellow('warning:')} ${text}`);
  }

  error(text: string): void {
    this.toStderr(`${this.err.red('error:')} ${text}`);
  }

  /** A plain line on stderr: said while stdout carries JSON. */
  note(text: string): void {
    this.toStderr(text);
  }

  /** Lines only shown with --verbose (stack traces, the library's info lines). */
  detail(text: string): void {
    if (this.verbose) this.toStderr(this.err.dim(text));
  }

  /** Starts a progress line (`↑ 20240101-create-users`), finished by `endStep` on the same line. */
  startStep(text: string): void {
    this.breakOpenLine();
    this.io.stdout.write(text);
    this.openLine = text;
    this.interrupted = false;
  }

  /** Whether stdout is a terminal, where a line can be rewritten in place. */
  get liveLines(): boolean {
    return this.io.stdout.isTTY === true;
  }

  /**
   * A line rewritten in place on a terminal (`waiting for the lock ... 3 s`); callers print plain
   * lines instead where stdout is not one. Anything printed meanwhile starts on a fresh line.
   */
  live(text: string): void {
    if (this.openLine !== null && this.interrupted) this.openLine = null;
    this.io.stdout.write(`${this.openLine !== null ? '\r\u001b[2K' : ''}${text}`);
    this.openLine = text;
    this.interrupted = false;
  }

  /** Replaces the live line with its last word (`got the lock after 3.2 s`) and ends it. */
  endLive(text: string): void {
    this.io.stdout.write(`${this.openLine !== null && !this.interrupted ? '\r\u001b[2K' : ''}${text}\n`);
    this.openLine = null;
    this.interrupted = false;
  }

  /** Finishes the progress line; repeats its text when something was printed in between. */
  endStep(mark: string): void {
    if (this.openLine !== null && !this.interrupted) {
      this.io.stdout.write(` ${mark}\n`);
    } else if (this.openLine !== null) {
      this.io.stdout.write(`${this.openLine} ${mark}\n`);
    } else {
      this.io.stdout.write(`${mark}\n`);
    }
    this.openLine = null;
    this.interrupted = false;
  }

  /** Closes an unfinished progress line with a failure mark (a migration threw). */
  failStep(): void {
    if (this.openLine !== null) this.endStep(this.out.red('✗'));
  }

  private toStderr(text: string): void {
    if (this.openLine !== null && !this.interrupted) {
      this.io.stdout.write('\n');
      this.interrupted = true;
    }
    this.io.stderr.write(`${text}\n`);
  }

  private breakOpenLine(): void {
    if (this.openLine !== null && !this.interrupted) this.io.stdout.write('\n');
    this.openLine = null;
    this.interrupted = false;
  }
}
