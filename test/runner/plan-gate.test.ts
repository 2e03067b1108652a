/**
 * The pure pieces behind the CI gate, without a database: one validation for upgrade, check and
 * status (historyProblems), the downgrade step count, the downgrade guard's reading of down(),
 * error locations, and file-name transliteration.
 */
import test from 'ava';
import type { AppliedInfo } from '../../types/options';
import { tablesDroppedBy } from '../../lib/cli/downgrade-guard';
import { slugOf } from '../../lib/autogenerate/autogenerate';
import { errorLocation } from '../../lib/error-location';
import { historyProblems, planDowngrade, verifyHistory } from '../../lib/runner/plan';
import type { MigrationSource } from '../../lib/runner/sources';

const source = (fileName: string, checksum: string | null = 'c'): MigrationSource => ({
  name: fileName.replace(/\.js$/, ''),
  fileName,
  path: `/m/${fileName}`,
  checksum: () => checksum,
  load: async () => ({ up: async () => undefined, down: undefined, transaction: true }),
});
const row = (storedName: string, checksum: string | null = 'c'): AppliedInfo => ({
  name: storedName.replace(/\.js$/, ''),
  storedName,
  appliedAt: null,
  durationMs: null,
  checksum,
});
const check = { allowOutOfOrder: false, verifyChecksums: true };

test('historyProblems lists every refusal in upgrade order; verifyHistory throws the first of them', (t) => {
  const available = [source('001-early.js'), source('002-a.js', 'edited'), source('005-c.js'), source('006-d.js')];
  const applied = [row('002-a.js'), row('003-gone.js'), row('005-c.js'), row('009-newer.js')];
  const { problems, orphans } = historyProblems(available, applied, check, true);
  t.deepEqual(
    problems.map((p) => [p.code, p.subject]),
    [
      ['E_CHECKSUM', '002-a'],
      ['E_MISSING_MIGRATION', '003-gone'],
      ['E_OUT_OF_ORDER', '001-early'],
      ['E_OUT_OF_ORDER', '006-d'],
    ],
  );
  t.deepEqual(orphans.map((o) => o.name), ['009-newer'], 'newer than every file: a rollback deploy, not a problem');
  t.is(t.throws(() => verifyHistory(available, applied, check, true))?.message, problems[0]!.message);
  // Downgrading does not care about order; allowOutOfOrder lifts it for upgrades.
  t.deepEqual(historyProblems(available, applied, check, false).problems.map((p) => p.code), ['E_CHECKSUM', 'E_MISSING_MIGRATION']);
  t.deepEqual(historyProblems(available, applied, { ...check, allowOutOfOrder: true }, true).problems.length, 2);
});

test('planDowngrade refuses more steps than are applied; to: 0 takes them all', (t) => {
  const available = [source('001-a.js'), source('002-b.js')];
  const applied = [row('001-a.js'), row('002-b.js')];
  t.deepEqual(planDowngrade(available, applied, { step: 2 }).map((r) => r.name), ['002-b', '001-a']);
  const error = t.throws(() => planDowngrade(available, applied, { step: 3 })) as Error & { code: string; requested: number; applied: number };
  t.is(error.code, 'E_STEP_COUNT');
  t.deepEqual([error.requested, error.applied], [3, 2]);
  t.is(t.throws(() => planDowngrade(available, [], { step: 1 }))?.name, 'StepCountError');
  t.deepEqual(planDowngrade(available, [], {}), [], 'the default single step at base is a no-op');
  t.deepEqual(planDowngrade(available, applied, { to: 0 }).map((r) => r.name), ['002-b', '001-a']);
});

test('the downgrade guard reads literal table names from down()', (t) => {
  const down = async (qi: any) => {
    await qi.dropTable('posts');
    await qi.dropTable("users", { cascade: true });
    await qi.sequelize.query('DROP TABLE IF EXISTS "audit_log"');
    await qi.removeColumn('users', 'bio');
  };
  t.deepEqual(tablesDroppedBy(down.toString()), ['posts', 'users', 'audit_log']);
  const dynamic = async (qi: any) => {
    const name = 'x';
    await qi.dropTable(name);
  };
  t.deepEqual(tablesDroppedBy(dynamic.toString()), [], 'a variable is not followed (documented)');
});

test('error locations: a syntax error from the stack head, a runtime error from the first frame in the project', (t) => {
  const syntax = new SyntaxError('Unexpected identifier');
  syntax.stack = '/app/models.js:4\n  foo bar\n      ^^^\n\nSyntaxError: Unexpected identifier\n    at wrapSafe (node:internal/modules/cjs/loader:1378:20)';
  t.deepEqual(errorLocation(syntax, '/app'), { file: '/app/models.js', line: 4, column: 7 });
  const runtime = new TypeError('x');
  runtime.stack = [
    'TypeError: x',
    '    at Function.init (/app/node_modules/sequelize/lib/model.js:10:5)',
    '    at Object.<anonymous> (/elsewhere/lib.js:1:1)',
    '    at module.exports (/app/models.js:12:9)',
    '    at /app/automigrate.config.js:5:3',
  ].join('\n');
  t.deepEqual(errorLocation(runtime, '/app'), { file: '/app/models.js', line: 12, column: 9 });
  const esm = new Error('boom');
  esm.stack = 'Error: boom\n    at file:///app/migrations/001-a.mjs?v=123:3:11';
  t.deepEqual(errorLocation(esm, '/app'), { file: '/app/migrations/001-a.mjs', line: 3, column: 11 });
  t.is(errorLocation('not an error', '/app'), null);
});

test('file names transliterate the message', (t) => {
  t.is(slugOf('Ünïcödé'), 'unicode');
  t.is(slugOf('Straße: Æble, Øre'), 'strasse-aeble-ore');
  t.is(slugOf('add users.bio'), 'add-users-bio');
  t.is(slugOf('日本'), '');
});
