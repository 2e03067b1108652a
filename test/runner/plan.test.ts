/**
 * runner/plan.ts without a database: from (available migrations, applied history, target) to the
 * steps, and what a history refuses. Sources are plain objects: a folder's files with an
 * extension and a checksum, or in-code names.
 */
import test from 'ava';
import type { AppliedInfo } from '../../types/options';
import { MigrationError } from '../../lib';
import { downgradeSteps, historyProblems, pendingSources, planDowngrade, planStamp, planUpgrade, upgradeSteps, verifyHistory } from '../../lib/runner/plan';
import type { MigrationSource } from '../../lib/runner/sources';

/** A folder's file: `name.js`, its checksum `sum-<name>` unless given. */
const file = (name: string, checksum: string | null = `sum-${name}`, ext = '.js'): MigrationSource => ({
  name,
  fileName: `${name}${ext}`,
  path: `/app/migrations/${name}${ext}`,
  checksum: () => checksum,
  load: async () => ({ up: async () => undefined, down: async () => undefined, transaction: true }),
});
const folder = (...names: string[]) => names.map((n) => file(n));
const row = (name: string, checksum: string | null = `sum-${name}`, storedName = `${name}.js`): AppliedInfo => ({
  name,
  storedName,
  appliedAt: null,
  durationMs: null,
  checksum,
});
const names = (items: readonly { name: string }[]) => items.map((i) => i.name);
const check = { allowOutOfOrder: false, verifyChecksums: true };

function codeOf(t: import('ava').ExecutionContext, fn: () => unknown): string | undefined {
  const error = t.throws(fn);
  t.true(error instanceof MigrationError, String(error));
  return (error as MigrationError).code;
}

test('planUpgrade: head, a name or a file name as target (inclusive), base runs nothing', (t) => {
  const available = folder('001-a', '002-b', '003-c', '004-d');
  const applied = [row('001-a')];
  t.deepEqual(names(planUpgrade(available, applied)), ['002-b', '003-c', '004-d']);
  t.deepEqual(names(planUpgrade(available, applied, 'head')), ['002-b', '003-c', '004-d']);
  t.deepEqual(names(planUpgrade(available, applied, '003-c')), ['002-b', '003-c']);
  t.deepEqual(names(planUpgrade(available, applied, '003-c.js')), ['002-b', '003-c']);
  t.deepEqual(names(planUpgrade(available, applied, 0)), []);
  t.deepEqual(names(planUpgrade(available, applied, 'base')), []);
  t.deepEqual(names(planUpgrade(available, available.map((s) => row(s.name)))), []);
});

test('an unknown target is refused with E_UNKNOWN_TARGET by upgrade, downgrade and stamp plans', (t) => {
  const available = folder('001-a', '002-b');
  t.is(codeOf(t, () => planUpgrade(available, [], '009-nope')), 'E_UNKNOWN_TARGET');
  t.is(codeOf(t, () => planDowngrade(available, [row('001-a')], { to: '009-nope' })), 'E_UNKNOWN_TARGET');
  t.is(codeOf(t, () => planStamp(available, [], '009-nope')), 'E_UNKNOWN_TARGET');
});

test('upgradeSteps records each pending file under its file name, in run order', (t) => {
  const available = [file('001-a'), file('002-b', 'x', '.ts'), file('003-c')];
  const steps = upgradeSteps(available, [row('001-a')], '002-b');
  t.deepEqual(
    steps.map((s) => [s.source.name, s.direction, s.storedName]),
    [['002-b', 'up', '002-b.ts']],
  );
});

test('planDowngrade: one step by default, `step: n` newest first, `to` keeps the target, base reverts all', (t) => {
  const available = folder('001-a', '002-b', '003-c');
  const applied = [row('001-a'), row('002-b'), row('003-c')];
  t.deepEqual(names(planDowngrade(available, applied, {})), ['003-c']);
  t.deepEqual(names(planDowngrade(available, applied, { step: 2 })), ['003-c', '002-b']);
  t.deepEqual(names(planDowngrade(available, applied, { step: 3 })), ['003-c', '002-b', '001-a']);
  t.deepEqual(names(planDowngrade(available, applied, { to: '001-a' })), ['003-c', '002-b']);
  t.deepEqual(names(planDowngrade(available, applied, { to: 0 })), ['003-c', '002-b', '001-a']);
  t.deepEqual(names(planDowngrade(available, [], {})), []);
});

test('planDowngrade refuses more steps than are applied with E_STEP_COUNT, naming both counts', (t) => {
  const available = folder('001-a', '002-b');
  const error = t.throws(() => planDowngrade(available, [row('001-a'), row('002-b')], { step: 3 })) as MigrationError;
  t.is(error.code, 'E_STEP_COUNT');
  t.regex(error.message, /Cannot downgrade 3 step\(s\): only 2 migration\(s\) are applied/);
});

test('downgradeSteps keeps each history row (restored on failure) and refuses a row whose file is gone', (t) => {
  const available = folder('001-a', '002-b');
  const steps = downgradeSteps(available, [row('001-a'), row('002-b', 'sum-002-b', '002-b.ts')], { step: 1 });
  t.deepEqual(steps.map((s) => [s.source.name, s.direction, s.storedName, s.applied?.checksum]), [['002-b', 'down', '002-b.ts', 'sum-002-b']]);
  // 003-c was applied by a newer release: to revert it, its file is needed.
  const error = t.throws(() => downgradeSteps(available, [row('001-a'), row('002-b'), row('003-c')], { step: 1 })) as MigrationError;
  t.is(error.code, 'E_MISSING_MIGRATION');
  t.is(error.subject, '003-c');
});

test('out of order: a pending file older than the newest applied is refused when upgrading, unless allowed', (t) => {
  const available = folder('001-a', '002-late', '003-c');
  const applied = [row('001-a'), row('003-c')];
  const { problems } = historyProblems(available, applied, check, true);
  t.deepEqual(problems.map((p) => [p.code, p.subject]), [['E_OUT_OF_ORDER', '002-late']]);
  t.deepEqual(historyProblems(available, applied, { ...check, allowOutOfOrder: true }, true).problems, []);
  // Downgrading is not refused for it: the late file is not in the way of a revert.
  t.deepEqual(historyProblems(available, applied, check, false).problems, []);
  t.deepEqual(names(pendingSources(available, applied)), ['002-late']);
});

test('missing files: a row older than the newest file is E_MISSING_MIGRATION, a newer one is an orphan (rollback deploy)', (t) => {
  const available = folder('001-a', '003-c');
  const { problems, orphans } = historyProblems(available, [row('001-a'), row('002-gone'), row('003-c'), row('009-newer')], check, true);
  t.deepEqual(problems.map((p) => [p.code, p.subject]), [['E_MISSING_MIGRATION', '002-gone']]);
  t.deepEqual(names(orphans), ['009-newer']);
  t.deepEqual(names(verifyHistory(available, [row('001-a'), row('003-c'), row('009-newer')], check, true).orphans), ['009-newer']);
});

test('checksums: an edited applied file is E_CHECKSUM; unknown sums and compiled twins are not compared', (t) => {
  const available = [file('001-a', 'new-sum'), file('002-b', null), file('003-c', 'js-sum', '.js')];
  const edited = historyProblems(available, [row('001-a', 'old-sum')], check, true).problems;
  t.deepEqual(edited.map((p) => [p.code, p.subject]), [['E_CHECKSUM', '001-a']]);
  t.regex(edited[0].message, /"001-a\.js" was changed after it was applied \(checksum old-sum recorded, new-sum now\)/);
  t.deepEqual(historyProblems(available, [row('001-a', 'old-sum')], { ...check, verifyChecksums: false }, true).problems, []);
  // No checksum recorded (a sequelize-cli row), none computable (an in-code migration): not verified.
  t.deepEqual(historyProblems(available, [row('001-a', null), row('002-b', 'any')], check, true).problems, []);
  // Recorded from `003-c.ts`, now running `003-c.js`: the same migration compiled.
  t.deepEqual(historyProblems(available, [row('001-a', 'new-sum'), row('002-b'), row('003-c', 'ts-sum', '003-c.ts')], check, true).problems, []);
  // A row without extension (umzug in-code names) matches any file of the name, and is compared.
  t.is(historyProblems(available, [row('001-a', 'old-sum', '001-a')], check, true).problems[0]?.code, 'E_CHECKSUM');
});

test('verifyHistory throws the first problem in upgrade order: missing, checksum, then out of order', (t) => {
  const available = [file('001-a', 'edited'), file('002-late'), file('004-d')];
  const applied = [row('001-a', 'original'), row('003-gone'), row('004-d')];
  const all = historyProblems(available, applied, check, true).problems;
  t.deepEqual(all.map((p) => p.code), ['E_CHECKSUM', 'E_MISSING_MIGRATION', 'E_OUT_OF_ORDER']);
  t.is(codeOf(t, () => verifyHistory(available, applied, check, true)), 'E_CHECKSUM');
});

test('planStamp: the rows that make exactly the migrations up to the target applied', (t) => {
  const available = folder('001-a', '002-b', '003-c');
  const up = planStamp(available, [row('001-a')], 'head');
  t.deepEqual([names(up.add), names(up.remove)], [['002-b', '003-c'], []]);
  const back = planStamp(available, [row('001-a'), row('002-b'), row('003-c')], '001-a');
  t.deepEqual([names(back.add), names(back.remove)], [[], ['002-b', '003-c']]);
  const base = planStamp(available, [row('001-a'), row('009-newer')], 0);
  t.deepEqual([names(base.add), names(base.remove)], [[], ['001-a', '009-newer']]);
});
