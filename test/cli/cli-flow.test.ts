/**
 * The Flask-Migrate workflow end to end, through the compiled binary, on every dialect:
 * check -> migrate -> upgrade -> change the models -> migrate; then history, downgrade, sql, stamp.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { CONFIG, binMissing, createProject, dbEnv, lines, modelsSource } from './cli-project';

eachDialect('cli: init, check, migrate, upgrade, current, status as the models change', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const project = createProject();
  t.teardown(() => project.remove());
  const env = dbEnv(db.options);

  t.is((await project.run(['init'], env)).code, 0);
  project.write('automigrate.config.js', CONFIG);
  project.write('models.js', modelsSource(1));

  // Nothing applied, nothing written: the models differ from the (empty) database.
  const before = await project.json(['check', '--json'], env);
  t.is(before.code, 1);
  t.false(before.data.ok);
  t.deepEqual(before.data.pending, []);
  t.true(before.data.drift.includes('+ table users (2 columns)'), before.data.drift.join('\n'));
  t.true(before.data.drift.some((d: string) => d.startsWith('+ table posts')));

  const generated = await project.run(['migrate', '-m', 'create users'], env);
  t.is(generated.code, 0, generated.stderr);
  const [first] = project.migrations();
  t.regex(first!, /^\d{14}-create-users\.js$/);
  const firstName = first!.replace(/\.js$/, '');
  const out = lines(generated.stdout);
  t.is(out[0], `Generated ${join('migrations', first!)}`);
  t.true(out.includes('  + table users (2 columns)'), generated.stdout);

  // Written but not applied: check fails naming the pending migration.
  const pending = await project.json(['check', '--json'], env);
  t.is(pending.code, 1);
  t.deepEqual(pending.data.pending, [firstName]);
  const pendingText = await project.run(['check'], env);
  t.is(pendingText.code, 1);
  t.true(pendingText.stdout.includes(firstName));

  const upgraded = await project.run(['upgrade'], env);
  t.is(upgraded.code, 0, upgraded.stderr);
  const progress = lines(upgraded.stdout);
  t.regex(progress[0]!, new RegExp(`^↑ ${firstName} ✓ (\\d+ ms|\\d+\\.\\d s)$`));
  t.regex(progress[1]!, /^1 migration applied in \d+(\.\d)? m?s; current: /);
  t.is(upgraded.stderr, '', 'the library’s own info lines are not printed');

  t.is((await project.run(['current'], env)).stdout, `${firstName}\n`);
  const clean = await project.run(['check'], env);
  t.is(clean.code, 0, clean.stdout + clean.stderr);
  t.deepEqual((await project.json(['check', '--json'], env)).data, {
    ok: true,
    current: firstName,
    pending: [],
    drift: [],
    operations: [],
  });

  const nothing = await project.run(['migrate', '-m', 'again'], env);
  t.is(nothing.code, 0);
  t.is(nothing.stdout, 'No changes in schema detected\n');
  t.is(project.migrations().length, 1);

  // The models change: check lists the operation, migrate writes it.
  project.write('models.js', modelsSource(2));
  const drift = await project.json(['check', '--json'], env);
  t.is(drift.code, 1);
  t.deepEqual(drift.data.pending, []);
  t.is(drift.data.operations.length, 1);
  t.is(drift.data.operations[0].kind, 'addColumn');
  t.regex(drift.data.drift[0], /users.*bio/);
  const driftText = await project.run(['check'], env);
  t.is(driftText.code, 1);
  t.true(lines(driftText.stdout).some((l) => /^ {2}[+~] .*users.*bio/.test(l)), driftText.stdout);

  const status = await project.json(['status', '--json'], env);
  t.is(status.code, 0);
  t.deepEqual(status.data, { current: firstName, applied: [firstName], pending: [], incomplete: [], inProgress: [], lock: status.data.lock, problems: [], newer: [], drift: 1 });
  t.regex(String(status.data.lock), /^(sqlite|postgres|mysql|galera) .*(lock|lease)/i, 'status names the lock a run would take');

  t.is((await project.run(['migrate', '-m', 'add bio'], env)).code, 0);
  const second = project.migrations()[1]!;
  const secondName = second.replace(/\.js$/, '');
  t.regex(second, /-add-bio\.js$/);

  const applied = await project.json(['upgrade', '--json'], env);
  t.is(applied.code, 0, applied.stderr);
  t.is(applied.data.current, secondName);
  t.deepEqual(applied.data.applied.map((s: { name: string; direction: string }) => [s.name, s.direction]), [[secondName, 'up']]);
  t.is(typeof applied.data.durationMs, 'number');
});

/** A project whose two migrations (create users and posts; add users.bio) are generated and applied. */
async function migratedProject(t: ExecutionContext, db: TestDatabase) {
  const project = createProject();
  t.teardown(() => project.remove());
  const env = dbEnv(db.options);
  project.mkdir('migrations');
  project.write('automigrate.config.js', CONFIG);
  project.write('models.js', modelsSource(1));
  t.is((await project.run(['migrate', '-m', 'create users'], env)).code, 0);
  t.is((await project.run(['upgrade'], env)).code, 0);
  project.write('models.js', modelsSource(2));
  t.is((await project.run(['migrate', '-m', 'add bio'], env)).code, 0);
  const [firstName, secondName] = project.migrations().map((f) => f.replace(/\.js$/, ''));
  t.truthy(secondName);
  return { project, env, firstName: firstName!, secondName: secondName! };
}

eachDialect('cli: history, downgrade, sql, stamp, unknown targets', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const { project, env, firstName, secondName } = await migratedProject(t, db);
  t.is((await project.run(['upgrade'], env)).code, 0);

  const history = await project.json(['history', '--json'], env);
  t.deepEqual(
    history.data.migrations.map((m: { name: string; applied: boolean; current: boolean }) => [m.name, m.applied, m.current]),
    [
      [firstName, true, false],
      [secondName, true, true],
    ],
  );
  t.false(Number.isNaN(Date.parse(history.data.migrations[0].appliedAt)));
  const historyText = lines((await project.run(['history'], env)).stdout);
  t.is(historyText.length, 2);
  t.true(historyText[0]!.startsWith(`✓ ${firstName}`));
  t.true(historyText[1]!.startsWith(`✓ ${secondName}`));
  t.true(historyText[1]!.endsWith('(current, head)'));

  // One step back by default.
  const down = await project.run(['downgrade'], env);
  t.is(down.code, 0, down.stderr);
  t.regex(lines(down.stdout)[0]!, new RegExp(`^↓ ${secondName} ✓ (\\d+ ms|\\d+\\.\\d s)$`));
  t.is((await project.run(['current'], env)).stdout, `${firstName}\n`);
  const afterDown = await project.json(['status', '--json'], env);
  t.deepEqual(afterDown.data.pending, [secondName]);
  t.is(afterDown.data.drift, 1);
  const historyPending = lines((await project.run(['history'], env)).stdout);
  t.regex(historyPending[1]!, new RegExp(`^· ${secondName} +pending \\(head\\)$`));

  // sql: what the pending upgrade would run, written offline without running it (every dialect).
  const sql = await project.run(['sql'], env);
  t.is(sql.code, 0, sql.stderr);
  t.regex(sql.stdout, /bio/);
  t.deepEqual((await project.json(['status', '--json'], env)).data.pending, [secondName], 'sql ran nothing');

  // stamp records without running: the column is still missing afterwards.
  const stamped = await project.run(['stamp', 'head'], env);
  t.is(stamped.code, 0, stamped.stderr);
  t.is((await project.run(['current'], env)).stdout, `${secondName}\n`);
  const stampedCheck = await project.json(['check', '--json'], env);
  t.is(stampedCheck.code, 1);
  t.deepEqual(stampedCheck.data.pending, []);
  t.is(stampedCheck.data.operations.length, 1);

  // Back to the first, then everything down.
  t.is((await project.run(['stamp', firstName], env)).code, 0);
  const base = await project.json(['downgrade', 'base', '--json'], env);
  t.is(base.code, 0, base.stderr);
  t.deepEqual(base.data.reverted.map((s: { name: string }) => s.name), [firstName]);
  t.is(base.data.current, null);
  t.is((await project.run(['current'], env)).stdout, 'base\n');
  const nothingToRevert = await project.run(['downgrade'], env);
  t.is(nothingToRevert.code, 0);
  t.true(nothingToRevert.stdout.startsWith('Nothing to revert'));

  // Targets that name no migration.
  const unknown = await project.json(['upgrade', 'no-such-migration', '--json'], env);
  t.is(unknown.code, 1);
  t.is(unknown.data.error.code, 'E_UNKNOWN_TARGET');
  const unknownText = await project.run(['stamp', 'no-such-migration'], env);
  t.is(unknownText.code, 1);
  t.is(lines(unknownText.stderr).length, 1);
  t.true(unknownText.stderr.includes('no-such-migration'));
  t.true(existsSync(join(project.dir, 'migrations', `${firstName}.js`)));
});
