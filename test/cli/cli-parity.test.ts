/**
 * Flask-Migrate parity through the compiled binary (issue 18): relative targets and name prefixes,
 * `show`, `heads`, `edit`, `migrate` without -m, `init` next to an existing config,
 * `--allow-out-of-order`.
 */
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { checksumOf } from '../../lib/runner/sources';
import { eachDialect } from '../helpers/each-dialect';
import { CONFIG, binMissing, createProject, dbEnv, lines, modelsSource, type Project } from './cli-project';

const A = '20261201000000-a';
const B = '20261202100000-b';
const C = '20261202110000-c';
const LATE = '20261201500000-late';

/** A migration creating table t_<x>; each run appends its name to ./ran. */
function migration(table: string): string {
  return `
const { appendFileSync } = require('node:fs');
module.exports = {
  async up(queryInterface, Sequelize) {
    appendFileSync(__dirname + '/../ran', 'up ${table}\\n');
    await queryInterface.createTable('${table}', { id: { type: Sequelize.INTEGER, primaryKey: true } });
  },
  async down(queryInterface) {
    await queryInterface.dropTable('${table}');
  },
};
`;
}

function project(t: ExecutionContext): Project {
  const p = createProject();
  t.teardown(() => p.remove());
  p.write('automigrate.config.js', CONFIG);
  p.write('models.js', 'module.exports = () => {};\n');
  for (const [name, table] of [[A, 't_a'], [B, 't_b'], [C, 't_c']] as const) p.write(`migrations/${name}.js`, migration(table));
  return p;
}

const names = (steps: readonly { name: string }[]) => steps.map((s) => s.name);

eachDialect('cli relative targets and name prefixes: upgrade +N, downgrade -N, a unique prefix, an ambiguous one', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const p = project(t);
  const env = dbEnv(db.options);

  const two = await p.json(['upgrade', '+2', '--json'], env);
  t.is(two.code, 0, two.stderr);
  t.deepEqual(names(two.data.applied), [A, B]);
  const tooMany = await p.json(['upgrade', '+2', '--json'], env);
  t.is(tooMany.code, 1);
  t.is(tooMany.data.error.code, 'E_STEP_COUNT');
  t.regex(tooMany.data.error.message, /only 1 migration\(s\) are pending/);

  const back = await p.json(['downgrade', '-1', '--json'], env);
  t.is(back.code, 0, back.stderr);
  t.deepEqual(names(back.data.reverted), [B]);
  t.is(back.data.current, A);

  const ambiguous = await p.run(['downgrade', '20261202'], env);
  t.is(ambiguous.code, 1);
  t.deepEqual(lines(ambiguous.stderr), [
    `error: Cannot downgrade to "20261202": 2 migrations start with it (${B}, ${C}). Type more of the name, up to one that only one migration starts with.`,
  ]);
  const ambiguousJson = await p.json(['upgrade', '20261202', '--json'], env);
  t.is(ambiguousJson.data.error.code, 'E_AMBIGUOUS_TARGET');
  t.is(ambiguousJson.data.error.subject, '20261202');

  const prefix = await p.json(['upgrade', '2026120211', '--json'], env);
  t.is(prefix.code, 0, prefix.stderr);
  t.deepEqual(names(prefix.data.applied), [B, C]);
  const keepA = await p.json(['downgrade', '20261201', '--json'], env);
  t.is(keepA.code, 0, keepA.stderr);
  t.deepEqual(names(keepA.data.reverted), [C, B]);
  t.is((await p.run(['current'], env)).stdout, `${A}\n`);
  t.is(readFileSync(join(p.dir, 'ran'), 'utf8'), 'up t_a\nup t_b\nup t_b\nup t_c\n', 'each up ran once per upgrade, none for the refused ones');
});

eachDialect('cli show, heads and edit name one migration file', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const p = project(t);
  const env = dbEnv(db.options);
  t.is((await p.run(['upgrade', A], env)).code, 0);

  const heads = await p.run(['heads'], env);
  t.is(heads.stdout, `${C} (head)\n`);
  t.deepEqual((await p.json(['heads', '--json'], env)).data, { heads: [C] });

  const shown = await p.json(['show', '20261201', '--json'], env);
  t.is(shown.code, 0, shown.stderr);
  const fileText = readFileSync(join(p.dir, 'migrations', `${A}.js`), 'utf8');
  t.like(shown.data, { name: A, file: `migrations/${A}.js`, checksum: checksumOf(fileText), state: 'applied', current: true, head: false, up: null });
  t.deepEqual(shown.data.operations, ['createTable t_a']);
  t.regex(shown.data.appliedAt, /^\d{4}-\d\d-\d\dT/);
  t.is(typeof shown.data.durationMs, 'number');
  const text = lines((await p.run(['show'], env)).stdout);
  t.deepEqual(text, [`${C} (head)`, `File:      migrations/${C}.js`, `Checksum:  ${checksumOf(readFileSync(join(p.dir, 'migrations', `${C}.js`), 'utf8'))}`, 'Applied:   pending', 'Operations:', '  createTable t_c']);
  t.is(lines((await p.run(['show', 'current'], env)).stdout)[0], `${A} (current)`);
  // Relative to the history: what `upgrade +2` would run last, what `downgrade -1` would revert.
  t.is((await p.json(['show', '+2', '--json'], env)).data.name, C);
  t.is((await p.json(['show', '-1', '--json'], env)).data.name, A);
  t.is((await p.json(['show', '-2', '--json'], env)).data.error.code, 'E_STEP_COUNT');
  // A hand-written up without QueryInterface calls is shown as its text.
  p.write('migrations/20261203000000-raw.js', "module.exports = { async up() {\n  console.log('hello');\n}, async down() {} };\n");
  t.deepEqual(lines((await p.run(['show', '20261203'], env)).stdout).slice(-2), ['up:', "  console.log('hello');"]);

  p.write('editor.sh', '#!/bin/sh\necho "$1" >> "$(dirname "$0")/edited"\n');
  chmodSync(join(p.dir, 'editor.sh'), 0o755);
  const editor = { EDITOR: join(p.dir, 'editor.sh'), VISUAL: '' };
  t.is((await p.run(['edit'], { ...env, ...editor })).code, 0);
  t.is((await p.run(['edit', '202612021'], { ...env, ...editor })).code, 1, 'ambiguous: opens nothing');
  t.is((await p.run(['edit', '2026120210'], { ...env, ...editor })).code, 0);
  t.deepEqual(readFileSync(join(p.dir, 'edited'), 'utf8').trim().split('\n'), [
    join(p.dir, 'migrations', '20261203000000-raw.js'),
    join(p.dir, 'migrations', `${B}.js`),
  ]);
  const noEditor = await p.run(['edit'], { ...env, EDITOR: '', VISUAL: '' });
  t.is(noEditor.code, 1);
  t.regex(noEditor.stderr, /^error: Set \$EDITOR \(or \$VISUAL\) to open migrations\/20261203000000-raw\.js/);
});

eachDialect('cli --allow-out-of-order on upgrade, check and status', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const p = project(t);
  const env = dbEnv(db.options);
  t.is((await p.run(['upgrade'], env)).code, 0);
  p.write(`migrations/${LATE}.js`, migration('t_late'));

  const refused = await p.json(['upgrade', '--json'], env);
  t.is(refused.data.error.code, 'E_OUT_OF_ORDER');
  t.is((await p.json(['check', '--json'], env)).data.error.code, 'E_OUT_OF_ORDER');
  t.deepEqual((await p.json(['status', '--json'], env)).data.problems.map((x: { code: string }) => x.code), ['E_OUT_OF_ORDER']);

  const status = await p.json(['status', '--allow-out-of-order', '--json'], env);
  t.deepEqual(status.data.problems, []);
  t.deepEqual(status.data.pending, [LATE]);
  const check = await p.json(['check', '--allow-out-of-order', '--json'], env);
  t.is(check.code, 1);
  t.deepEqual(check.data.pending, [LATE], 'pending, not refused');
  const applied = await p.json(['upgrade', '--allow-out-of-order', '--json'], env);
  t.is(applied.code, 0, applied.stderr);
  t.deepEqual(names(applied.data.applied), [LATE]);
  t.is(readFileSync(join(p.dir, 'ran'), 'utf8').split('\n').filter((l) => l === 'up t_late').length, 1);
});

eachDialect('cli migrate without -m names the migration from its operations; init creates a missing migrations folder', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const p = createProject();
  t.teardown(() => p.remove());
  const env = dbEnv(db.options);
  p.write('automigrate.config.js', CONFIG);
  p.write('models.js', modelsSource(1));

  const init = await p.run(['init'], env);
  t.is(init.code, 0, init.stderr);
  t.deepEqual(lines(init.stdout), ['Kept automigrate.config.js (already there)', "Created migrations/ (the config's migrations folder)"]);
  t.true(existsSync(join(p.dir, 'migrations')));
  const again = await p.run(['init'], env);
  t.is(again.code, 1, 'config and folder both there: nothing to create');
  t.regex(again.stderr, /automigrate\.config\.js already exists/);

  const first = await p.run(['migrate'], env);
  t.is(first.code, 0, first.stderr);
  t.regex(p.migrations()[0]!, /^\d{14}-create-users-posts\.js$/);
  t.regex(readFileSync(join(p.dir, 'migrations', p.migrations()[0]!), 'utf8'), /^\/\/ create users, posts$/m);
  t.is((await p.run(['upgrade'], env)).code, 0);
  p.write('models.js', modelsSource(2));
  t.is((await p.run(['migrate'], env)).code, 0);
  t.regex(p.migrations()[1]!, /^\d{14}-add-users-bio\.js$/);
  t.is((await p.run(['upgrade'], env)).code, 0);
  const none = await p.run(['migrate'], env);
  t.is(none.code, 0);
  t.is(p.migrations().length, 2, 'no change: no file, whatever the derived message');
});
