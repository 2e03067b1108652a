/**
 * An interrupted migration through the binary: upgrade fails naming it, the next upgrade refuses
 * with the stamp commands, status shows it, stamp resolves it.
 */
import { eachDialect } from '../helpers/each-dialect';
import { createTableMigration } from '../helpers/migrations';
import { binMissing, createProject, dbEnv, lines } from './cli-project';

// Outside a transaction everywhere: MySQL always is; PostgreSQL and SQLite through the option.
const CONFIG_NONE = `
const { Sequelize } = require('sequelize');
module.exports = () => ({ sequelize: new Sequelize(JSON.parse(process.env.AM_DB)), migrations: 'migrations', transaction: 'none' });
`;

eachDialect('cli: an interrupted migration is refused by upgrade with the stamp commands, shown by status, resolved by stamp', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const project = createProject();
  t.teardown(() => project.remove());
  const env = dbEnv(db.options);
  project.write('automigrate.config.js', CONFIG_NONE);
  project.mkdir('migrations');
  project.write('migrations/001-a.js', createTableMigration('a'));
  project.write(
    'migrations/002-b.js',
    `module.exports = { async up(qi, S) { await qi.createTable('b', { id: { type: S.INTEGER, primaryKey: true } }); throw new Error('boom'); } };`,
  );

  const failed = await project.run(['upgrade'], env);
  t.is(failed.code, 1);
  t.regex(failed.stderr, /002-b\.js" failed \(up\): boom.*may be partly applied/);

  const refused = await project.run(['upgrade'], env);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /E_INCOMPLETE_MIGRATION|"002-b" did not finish/);
  t.regex(refused.stderr, /automigrate stamp 002-b`.*automigrate stamp 001-a`/);

  const status = lines((await project.run(['status'], env)).stdout);
  t.true(status.some((l) => /^Interrupted: 002-b \(up, begun at \S+ by .+ pid \d+\): may be partly applied/.test(l)), status.join('\n'));
  const json = await project.json(['status', '--json'], env);
  t.deepEqual(json.data.incomplete.map((s: { migration: string; direction: string }) => [s.migration, s.direction]), [['002-b', 'up']]);

  // Finished by hand (the table is there and nothing else was meant to happen): recorded.
  project.write('migrations/002-b.js', `module.exports = { async up(qi, S) { await qi.createTable('b', { id: { type: S.INTEGER, primaryKey: true } }); } };`);
  const stamped = await project.run(['stamp', '002-b'], env);
  t.is(stamped.code, 0, stamped.stderr);
  t.deepEqual((await project.json(['status', '--json'], env)).data.incomplete, []);
  const done = await project.run(['upgrade'], env);
  t.is(done.code, 0, done.stderr);
});
