/**
 * Target resolution without a database: relative counts (`+2`, `-1`), unique name prefixes, and
 * the ambiguous prefix that lists its candidates (lib/runner/targets.ts, through plan.ts).
 */
import test from 'ava';
import type { AppliedInfo } from '../../types/options';
import { planDowngrade, planStamp, planUpgrade } from '../../lib/runner/plan';
import type { MigrationSource } from '../../lib/runner/sources';
import { findMigration, pinUpgradeTarget, relativeCount } from '../../lib/runner/plan';

const source = (fileName: string): MigrationSource => ({
  name: fileName.replace(/\.js$/, ''),
  fileName,
  path: `/m/${fileName}`,
  checksum: () => 'c',
  load: async () => ({ up: async () => undefined, down: undefined, transaction: true }),
});
const row = (storedName: string): AppliedInfo => ({ name: storedName.replace(/\.js$/, ''), storedName, appliedAt: null, durationMs: null, checksum: 'c' });

const available = ['20261201090000-users.js', '20261202100000-posts.js', '20261202110000-tags.js', '20261203080000-bio.js'].map(source);
const names = (list: readonly { name: string }[]) => list.map((s) => s.name);

test('relativeCount reads +N and -N only', (t) => {
  t.is(relativeCount('+2'), 2);
  t.is(relativeCount('-1'), -1);
  t.is(relativeCount('+0'), null, 'zero steps is not a relative target');
  t.is(relativeCount('head'), null);
  t.is(relativeCount(0), null);
  t.is(relativeCount('2026-01'), null, 'a name with a dash and digits is a name');
});

test('upgrade +N runs the next N pending migrations; more than pending is E_STEP_COUNT; -N is refused', (t) => {
  const applied = [row('20261201090000-users.js')];
  t.deepEqual(names(planUpgrade(available, applied, '+2')), ['20261202100000-posts', '20261202110000-tags']);
  t.deepEqual(names(planUpgrade(available, [], '+1')), ['20261201090000-users']);
  const tooMany = t.throws(() => planUpgrade(available, applied, '+4')) as Error & { code: string; requested: number; applied: number };
  t.is(tooMany.code, 'E_STEP_COUNT');
  t.deepEqual([tooMany.requested, tooMany.applied], [4, 3]);
  t.regex(tooMany.message, /only 3 migration\(s\) are pending/);
  const back = t.throws(() => planUpgrade(available, applied, '-1')) as Error & { code: string };
  t.is(back.code, 'E_UNKNOWN_TARGET');
  t.regex(back.message, /downgrade -1/);
});

test('pinUpgradeTarget turns +N into the name it reaches, so a run that waited for the lock stops there', (t) => {
  const seen = [row('20261201090000-users.js')];
  t.is(pinUpgradeTarget(available, seen, '+1'), '20261202100000-posts');
  // Another process applied posts while this run waited: the pinned target leaves nothing to do.
  const later = [...seen, row('20261202100000-posts.js')];
  t.deepEqual(planUpgrade(available, later, pinUpgradeTarget(available, seen, '+1')), []);
  t.is(pinUpgradeTarget(available, seen, 'head'), 'head');
  t.is(pinUpgradeTarget(available, seen, undefined), undefined);
});

test('downgrade -N reverts the N newest applied, like step N; +N is refused', (t) => {
  const applied = available.slice(0, 3).map((s) => row(s.fileName));
  t.deepEqual(names(planDowngrade(available, applied, { to: '-2' })), ['20261202110000-tags', '20261202100000-posts']);
  t.is((t.throws(() => planDowngrade(available, applied, { to: '-4' })) as Error & { code: string }).code, 'E_STEP_COUNT');
  const forward = t.throws(() => planDowngrade(available, applied, { to: '+1' })) as Error & { code: string };
  t.is(forward.code, 'E_UNKNOWN_TARGET');
  t.regex(forward.message, /upgrade \+1/);
});

test('a unique name prefix names its migration for upgrade, downgrade and stamp', (t) => {
  t.is(findMigration(available, '20261203', 'upgrade'), 3);
  t.is(findMigration(available, '20261202100000-posts.js', 'upgrade'), 1, 'the file name works too');
  t.deepEqual(names(planUpgrade(available, [], '20261201')), ['20261201090000-users']);
  const applied = available.map((s) => row(s.fileName));
  t.deepEqual(names(planDowngrade(available, applied, { to: '202612021100' })), ['20261203080000-bio']);
  t.deepEqual(names(planStamp(available, [], '20261202100').add), ['20261201090000-users', '20261202100000-posts']);
});

test('an ambiguous prefix is E_AMBIGUOUS_TARGET listing every candidate; no match is E_UNKNOWN_TARGET', (t) => {
  const error = t.throws(() => planDowngrade(available, [], { to: '20261202' })) as Error & { code: string; candidates: string[]; subject: string };
  t.is(error.code, 'E_AMBIGUOUS_TARGET');
  t.is(error.name, 'AmbiguousTargetError');
  t.is(error.subject, '20261202');
  t.deepEqual(error.candidates, ['20261202100000-posts', '20261202110000-tags']);
  t.regex(error.message, /2 migrations start with it \(20261202100000-posts, 20261202110000-tags\)/);
  const none = t.throws(() => planUpgrade(available, [], '2025')) as Error & { code: string };
  t.is(none.code, 'E_UNKNOWN_TARGET');
  t.is((t.throws(() => planStamp(available, [], '+1')) as Error & { code: string }).code, 'E_UNKNOWN_TARGET', 'stamp takes no relative target');
});
