/**
 * Where in the user's code an error comes from, as `file:line:column`, for one-line messages
 * (the stack is only shown with --verbose). Node gives a syntax error's position in the first
 * lines of its stack (`/path/file.js:3`, the source line, a caret line) and nowhere else; a
 * runtime error's position is its first stack frame in the user's files.
 */
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number | null;
}

/** `/path/file.js:3` or `file:///path/file.mjs:3` (CommonJS and ESM syntax errors). */
const SYNTAX_HEAD = /^((?:file:\/\/)?\/.*|[A-Za-z]:\\.*):(\d+)$/;
/** `    at fn (/path/file.js:3:9)` or `    at /path/file.js:3:9` or with a file:// URL. */
const FRAME = /^\s*at (?:.*? \()?((?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^()]*?):(\d+):(\d+)\)?$/;

/**
 * The location of `error` in the user's code: for a syntax error, the offending file's line and
 * the caret's column; otherwise the first stack frame in a file under `root` that is not in
 * node_modules (the library's own frames and Node's internals are skipped). Null when the stack
 * says nothing usable.
 */
export function errorLocation(error: unknown, root: string): SourceLocation | null {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack.split('\n') : [];
  const head = SYNTAX_HEAD.exec(stack[0] ?? '');
  if (head) {
    const caret = (stack[2] ?? '').indexOf('^');
    return { file: toPath(head[1]!), line: Number(head[2]), column: caret >= 0 ? caret + 1 : null };
  }
  for (const text of stack) {
    const frame = FRAME.exec(text);
    if (!frame) continue;
    const file = toPath(frame[1]!);
    if (isInside(file, root) && !file.split(sep).includes('node_modules')) {
      return { file, line: Number(frame[2]), column: Number(frame[3]) };
    }
  }
  return null;
}

/** `file:line:column` with the file relative to `cwd` (absolute when outside it). */
export function formatLocation(location: SourceLocation, cwd: string): string {
  const shown = isInside(location.file, cwd) ? relative(cwd, location.file) : location.file;
  return `${shown}:${lineAndColumn(location)}`;
}

/** `3:9`, or `3` when the column is unknown. */
export function lineAndColumn(location: SourceLocation): string {
  return `${location.line}${location.column !== null ? `:${location.column}` : ''}`;
}

function toPath(text: string): string {
  // An ES module imported with a cache-busting query (sources.ts) keeps it in its URL.
  return text.startsWith('file://') ? fileURLToPath(text.replace(/\?.*$/, '')) : text;
}

function isInside(file: string, folder: string): boolean {
  const rel = relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
