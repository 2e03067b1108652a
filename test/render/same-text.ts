import type { ExecutionContext } from 'ava';

/** Runs of whitespace as one space, ends trimmed: layout aside, the texts must be the same. */
function normalized(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The whole rendered text against the whole expected one (lines joined), whitespace normalised
 * (Alembic's `eq_ignore_whitespace`): a test sees everything the renderer wrote, not a fragment.
 */
export function sameText(t: ExecutionContext, actual: string, expected: string | readonly string[], message?: string): void {
  t.is(normalized(actual), normalized(typeof expected === 'string' ? expected : expected.join('\n')), message);
}
