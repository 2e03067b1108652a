/**
 * Array defaults, which Sequelize writes as `ARRAY['a','b']::VARCHAR(255)[]` for
 * `defaultValue: ['a', 'b']` and the catalog reads back as `ARRAY['a'::character varying, ...]`,
 * `ARRAY[]::character varying[]` or `'{1,2}'::integer[]`
 * (https://www.postgresql.org/docs/15/arrays.html#ARRAYS-INPUT): each becomes the elements as
 * JSON text, the form the models' `defaultValue: [...]` takes, so they compare equal.
 */
type Element = string | number | boolean | null;

/** The elements of an `ARRAY[...]` constructor of constants, or null when it is anything else. */
export function arrayConstructorElements(sql: string): Element[] | null {
  // `(ARRAY[]::character varying[])::character varying(255)[]`: parentheses and casts around it.
  const wrapped = /^\(([\s\S]*)\)((?:\s*::\s*[\w\s"().,]+(?:\[\s*\])+)*)\s*$/.exec(sql.trim());
  if (wrapped && wrapped[1] !== undefined && /^\s*ARRAY\s*\[/i.test(wrapped[1])) return arrayConstructorElements(wrapped[1]);
  const match = /^ARRAY\s*\[/i.exec(sql.trim());
  if (!match) return null;
  const text = sql.trim();
  const open = match[0].length - 1;
  const close = closingBracket(text, open);
  if (close < 0 || !/^(?:\s*::\s*[\w\s"().,]+(?:\[\s*\])+)?\s*$/.test(text.slice(close + 1))) return null;
  const inner = text.slice(open + 1, close).trim();
  if (inner === '') return [];
  const elements: Element[] = [];
  for (const part of splitTopLevel(inner)) {
    const element = constant(part.trim());
    if (element === undefined) return null;
    elements.push(element);
  }
  return elements;
}

/** The elements of a one-dimensional array literal `{a,"b c",NULL}`, as text; null when nested or malformed. */
export function arrayLiteralElements(text: string): (string | null)[] | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return null;
  const inner = trimmed.slice(1, -1);
  if (inner.trim() === '') return [];
  const elements: (string | null)[] = [];
  let i = 0;
  while (i <= inner.length) {
    if (inner[i] === '"') {
      let value = '';
      i++;
      while (i < inner.length && inner[i] !== '"') {
        if (inner[i] === '\\') i++;
        value += inner[i] ?? '';
        i++;
      }
      elements.push(value);
      i++;
    } else {
      const end = inner.indexOf(',', i);
      const raw = (end < 0 ? inner.slice(i) : inner.slice(i, end)).trim();
      if (raw.includes('{')) return null;
      elements.push(/^null$/i.test(raw) ? null : raw);
      i = end < 0 ? inner.length : end;
    }
    if (i >= inner.length) break;
    if (inner[i] !== ',') return null;
    i++;
  }
  return elements;
}

function closingBracket(sql: string, start: number): number {
  let depth = 0;
  for (let i = start; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'") {
      const end = sql.indexOf("'", i + 1);
      if (end < 0) return -1;
      i = end;
      while (sql[i + 1] === "'") i = sql.indexOf("'", i + 2);
    } else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

/** Splits on commas outside quotes and parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      i++;
      while (i < text.length && !(text[i] === "'" && text[i + 1] !== "'")) i += text[i] === "'" ? 2 : 1;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** `'a'::character varying`, `42`, `-1.5::numeric`, `true`, `NULL`; undefined for an expression. */
function constant(part: string): Element | undefined {
  const cast = /(?:\s*::\s*[\w\s"().,]+?)*$/;
  const quoted = /^'((?:[^']|'')*)'/.exec(part);
  if (quoted) return cast.exec(part.slice(quoted[0].length))?.index === 0 ? (quoted[1] ?? '').replace(/''/g, "'") : undefined;
  const bare = /^\(?\s*([+-]?\d+(?:\.\d+)?|true|false|null)\s*\)?/i.exec(part);
  if (!bare || bare[1] === undefined) return undefined;
  const rest = part.slice(bare[0].length).trim();
  if (rest !== '' && !/^::/.test(rest)) return undefined;
  const word = bare[1].toLowerCase();
  if (word === 'null') return null;
  if (word === 'true' || word === 'false') return word === 'true';
  return Number(bare[1]);
}
