/**
 * A tiny code printer for generated migrations. Renderers build a tree of `Code` (calls, object
 * and array literals, raw tokens) and this file lays it out the way Prettier would with its
 * defaults (80 columns, 2-space indent, single quotes, trailing commas): flat when it fits,
 * otherwise broken one entry per line, hugging a trailing object argument.
 */
import { assertNever } from '../errors';

export type Code =
  /** Already valid source: an identifier, a number, `Sequelize.STRING(255)`, a quoted string. */
  | { readonly kind: 'raw'; readonly text: string }
  /** `broken`: always one entry per line (column definitions read better that way). */
  | { readonly kind: 'object'; readonly entries: readonly ObjectEntry[]; readonly broken: boolean }
  | { readonly kind: 'array'; readonly items: readonly Code[] }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Code[] };

export type ObjectEntry = readonly [key: string, value: Code];

/** One line of a function body, before indentation. */
export type Line =
  | { readonly kind: 'statement'; readonly code: Code }
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'blank' }
  /** `if (c1) { ... } else if (c2) { ... } else { ... }`: a null condition is the final `else`. */
  | { readonly kind: 'if'; readonly branches: readonly { readonly condition: string | null; readonly body: readonly Line[] }[] };

export const PRINT_WIDTH = 80;

export function raw(text: string): Code {
  return { kind: 'raw', text };
}

export function str(value: string): Code {
  return raw(quoteString(value));
}

export function obj(entries: readonly (ObjectEntry | null)[], options: { broken?: boolean } = {}): Code {
  return { kind: 'object', entries: entries.filter((e): e is ObjectEntry => e !== null), broken: options.broken ?? false };
}

export function arr(items: readonly Code[]): Code {
  return { kind: 'array', items };
}

export function call(callee: string, args: readonly Code[]): Code {
  return { kind: 'call', callee, args };
}

/** `await <call>;` */
export function statement(code: Code): Line {
  return { kind: 'statement', code };
}

export const BLANK: Line = { kind: 'blank' };

/**
 * One `// text` line per line of `text`. Every JavaScript line terminator splits, since any of
 * them would end the comment and turn the rest (a table name, a message) into code.
 */
export function comment(text: string): Line[] {
  return commentLines(text).map((part) => ({ kind: 'comment', text: part }));
}

export function commentLines(text: string): string[] {
  return text.split(/\r\n|[\n\r\u2028\u2029]/).map((part) => part.trimEnd());
}

/**
 * A string of SQL: a template literal when the text holds both kinds of quotes (identifiers in
 * double quotes, values in single quotes) and nothing a template would interpret, so it reads
 * like the SQL it is; a plain string literal otherwise.
 */
export function sqlText(sql: string): Code {
  const plain = /[`\\\u0000-\u001f\u007f\u2028\u2029]|\$\{/.test(sql) || !sql.includes("'") || !sql.includes('"');
  return raw(plain ? quoteString(sql) : `\`${sql}\``);
}

/**
 * A JavaScript string literal. Like Prettier: single quotes unless the text holds more single
 * quotes than double quotes.
 */
export function quoteString(value: string): string {
  const singles = value.split("'").length - 1;
  const doubles = value.split('"').length - 1;
  const quote = singles > doubles ? '"' : "'";
  let out = quote;
  for (const ch of value) {
    out += escapeChar(ch, quote);
  }
  return out + quote;
}

function escapeChar(ch: string, quote: string): string {
  switch (ch) {
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\u2028':
      return '\\u2028';
    case '\u2029':
      return '\\u2029';
    default:
      if (ch === quote) return `\\${ch}`;
      if (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) {
        return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
      }
      return ch;
  }
}

/** An object key: bare when it is an identifier name, quoted otherwise. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quoteString(name);
}

/** The source of a JSON-compatible value (a JSON column's default). */
export function jsonValue(value: unknown): Code {
  if (value === null) return raw('null');
  if (Array.isArray(value)) return arr(value.map(jsonValue));
  switch (typeof value) {
    case 'string':
      return str(value);
    case 'number':
    case 'boolean':
      return raw(String(value));
    case 'object':
      return obj(Object.entries(value as Record<string, unknown>).map(([k, v]) => [propertyKey(k), jsonValue(v)] as const));
    default:
      throw new Error(`Cannot render ${typeof value} as source`);
  }
}

/** Prints the lines of a function body at `indent` spaces. */
export function printLines(lines: readonly Line[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  return lines.flatMap((line) => {
    switch (line.kind) {
      case 'blank':
        return [''];
      case 'comment':
        return [line.text === '' ? `${pad}//` : `${pad}// ${line.text}`];
      case 'statement': {
        const prefix = 'await ';
        return [`${pad}${prefix}${print(line.code, indent, indent + prefix.length, 1)};`];
      }
      case 'if':
        return [
          ...line.branches.flatMap((branch, i) => [
            `${pad}${i === 0 ? '' : '} else '}${branch.condition === null ? '' : `if (${branch.condition}) `}{`,
            ...printLines(branch.body, indent + 2),
          ]),
          `${pad}}`,
        ];
      default:
        return assertNever(line);
    }
  });
}

/** The one-line form, or null when the code must break (a `broken` object inside). */
function flat(code: Code): string | null {
  switch (code.kind) {
    case 'raw':
      return code.text;
    case 'object': {
      if (code.broken) return null;
      if (code.entries.length === 0) return '{}';
      const parts = code.entries.map(([key, value]) => {
        const v = flat(value);
        return v === null ? null : `${key}: ${v}`;
      });
      return parts.includes(null) ? null : `{ ${parts.join(', ')} }`;
    }
    case 'array': {
      const parts = code.items.map(flat);
      return parts.includes(null) ? null : `[${parts.join(', ')}]`;
    }
    case 'call': {
      const parts = code.args.map(flat);
      return parts.includes(null) ? null : `${code.callee}(${parts.join(', ')})`;
    }
    default:
      return assertNever(code);
  }
}

/**
 * `indent`: the indentation of the line the code starts on; `column`: where it starts;
 * `suffix`: characters that follow it on its last line (`,` or `);`).
 */
function print(code: Code, indent: number, column: number, suffix: number): string {
  const oneLine = flat(code);
  if (oneLine !== null && column + oneLine.length + suffix <= PRINT_WIDTH) return oneLine;
  const inner = ' '.repeat(indent + 2);
  const close = ' '.repeat(indent);
  switch (code.kind) {
    case 'raw':
      return code.text;
    case 'object': {
      if (code.entries.length === 0) return '{}';
      const body = code.entries.map(
        ([key, value]) => `${inner}${key}: ${print(value, indent + 2, indent + 2 + key.length + 2, 1)},`,
      );
      return `{\n${body.join('\n')}\n${close}}`;
    }
    case 'array': {
      if (code.items.length === 0) return '[]';
      const body = code.items.map((item) => `${inner}${print(item, indent + 2, indent + 2, 1)},`);
      return `[\n${body.join('\n')}\n${close}]`;
    }
    case 'call':
      return printCall(code, indent, column, suffix);
    default:
      return assertNever(code);
  }
}

function printCall(code: Extract<Code, { kind: 'call' }>, indent: number, column: number, suffix: number): string {
  const last = code.args[code.args.length - 1];
  const penultimate = code.args[code.args.length - 2];
  const init = code.args.slice(0, -1).map(flat);
  const huggable = last && (last.kind === 'object' || last.kind === 'array') && penultimate?.kind !== last.kind;
  if (last && huggable && !init.includes(null)) {
    // Prettier "hugs" a trailing object or array, `fn(a, b, {` ... `});`, unless the argument
    // before it is of the same kind.
    const head = `${code.callee}(${init.map((part) => `${part}, `).join('')}`;
    if (column + head.length + 1 <= PRINT_WIDTH) {
      return `${head}${print(last, indent, column + head.length, suffix + 1)})`;
    }
  }
  const inner = ' '.repeat(indent + 2);
  const body = code.args.map((arg) => `${inner}${print(arg, indent + 2, indent + 2, 1)},`);
  return `${code.callee}(\n${body.join('\n')}\n${' '.repeat(indent)})`;
}
