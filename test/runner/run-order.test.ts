/**
 * Run order, without a database: a folder's files by name, an in-code array as given. The
 * history's rows follow that order; rows of migrations not here take the place their name sorts to.
 */
import test from 'ava';
import type { AppliedInfo } from '../../types/options';
import { MigrationError } from '../../lib';
import { inRunOrder, planDowngrade, verifyHistory } from '../../lib/runner/plan';
import { inCodeSources } from '../../lib/runner/sources';

const sources = (...names: string[]) => inCodeSources(names.map((name) => ({ name, up: async () => undefined })));
const row = (name: string): AppliedInfo => ({ name, storedName: name, appliedAt: null, durationMs: null, checksum: null });
const names = (rows: readonly AppliedInfo[]) => rows.map((r) => r.name);
const check = { allowOutOfOrder: false, verifyChecksums: true };

test('an in-code array keeps its order; the history follows it, unknown newer rows last', (t) => {
  const available = sources('b-users', 'a-posts', '0-tags');
  t.deepEqual(available.map((s) => s.name), ['b-users', 'a-posts', '0-tags']);
  t.deepEqual(names(inRunOrder(available, [row('0-tags'), row('a-posts'), row('b-users'), row('z-newer')])), ['b-users', 'a-posts', '0-tags', 'z-newer']);
  t.deepEqual(names(planDowngrade(available, [row('a-posts'), row('b-users')], { step: 1 })), ['a-posts']);
  t.deepEqual(names(planDowngrade(available, [row('a-posts'), row('b-users'), row('0-tags')], { to: 'b-users' })), ['0-tags', 'a-posts']);
});

test('a pending in-code migration before an applied one is out of order, whatever the names', (t) => {
  const available = sources('m-first', 'z-inserted', 'a-last');
  const error = t.throws(() => verifyHistory(available, [row('a-last'), row('m-first')], check, true));
  t.true(error instanceof MigrationError);
  t.is((error as MigrationError).code, 'E_OUT_OF_ORDER');
  t.is((error as MigrationError).subject, 'z-inserted');
  // Appended after the applied ones: in order, though its name sorts first.
  t.notThrows(() => verifyHistory(sources('m-first', 'a-last', '0-appended'), [row('a-last'), row('m-first')], check, true));
  t.notThrows(() => verifyHistory(available, [row('a-last'), row('m-first')], { ...check, allowOutOfOrder: true }, true));
});

test('a history row not in the array is a rollback deploy only when its name sorts after every name', (t) => {
  const available = sources('b', 'a');
  t.deepEqual(names(verifyHistory(available, [row('a'), row('b'), row('c')], check, true).orphans), ['c']);
  const error = t.throws(() => verifyHistory(available, [row('a'), row('aa'), row('b')], check, true));
  t.is((error as MigrationError).code, 'E_MISSING_MIGRATION');
});
