/** Parentheses in SQL text, for the dialects' canonical spellings of expressions and predicates. */

/** Drops parentheses around the whole expression and a second pair right inside another. */
export function stripGroupingParentheses(sql: string): string {
  let text = sql;
  for (;;) {
    const pairs = matchingPairs(text);
    const redundant = pairs.find(
      ([open, close]) =>
        (open === 0 && close === text.length - 1) ||
        pairs.some(([o, c]) => o === open - 1 && c === close + 1),
    );
    if (redundant === undefined) return text;
    text = text.slice(0, redundant[0]) + text.slice(redundant[0] + 1, redundant[1]) + text.slice(redundant[1] + 1);
  }
}

function matchingPairs(sql: string): [number, number][] {
  const pairs: [number, number][] = [];
  const stack: number[] = [];
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'") {
      i++;
      while (i < sql.length && !(sql[i] === "'" && sql[i + 1] !== "'")) i += sql[i] === "'" ? 2 : 1;
    } else if (c === '(') stack.push(i);
    else if (c === ')') {
      const open = stack.pop();
      if (open === undefined) return [];
      pairs.push([open, i]);
    }
  }
  return stack.length === 0 ? pairs : [];
}
