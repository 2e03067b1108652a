/** The condition a generated migration tests to run a branch on the dialects named `names`. */
export function runsOn(...names: readonly string[]): string {
  const current = 'queryInterface.sequelize.getDialect()';
  return names.length === 1 ? `${current} === '${names[0]}'` : `[${names.map((n) => `'${n}'`).join(', ')}].includes(${current})`;
}
