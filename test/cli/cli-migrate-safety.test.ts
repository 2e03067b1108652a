/**
 * `migrate` with renames and data at risk, through the compiled binary: in a pseudo-terminal it
 * asks (drizzle-kit's rename questions, then a data-loss confirmation); without one, --rename and
 * --allow-data-loss decide and data at risk exits 1 with nothing written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { QueryTypes } from 'sequelize';
import type { TestDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { CONFIG, binMissing, createProject, dbEnv } from './cli-project';
import { runInTerminal } from './pty';

function models(version: 1 | 2): string {
  return `
const { DataTypes } = require('sequelize');
module.exports = (sequelize) => {
  sequelize.define('User', {
    ${version === 1 ? 'name' : 'fullName'}: { type: DataTypes.STRING(100), allowNull: false },
    email: { type: DataTypes.STRING(100), allowNull: false },
  }, { tableName: 'users', timestamps: false });
  ${version === 1 ? "sequelize.define('Note', { text: DataTypes.STRING }, { tableName: 'notes', timestamps: false });" : ''}
};
`;
}

/** v1 applied, with rows in users and notes; the models are then at v2 (name renamed, notes gone). */
async function atV2(t: ExecutionContext, db: TestDatabase) {
  const project = createProject();
  t.teardown(() => project.remove());
  const env = dbEnv(db.options);
  project.mkdir('migrations');
  project.write('automigrate.config.js', CONFIG);
  project.write('models.js', models(1));
  t.is((await project.run(['migrate', '-m', 'v1'], env)).code, 0);
  t.is((await project.run(['upgrade'], env)).code, 0);
  await db.sequelize.query(`INSERT INTO users (name, email) VALUES ('Ada', 'ada@x'), ('Bob', 'bob@x')`);
  await db.sequelize.query(`INSERT INTO notes (text) VALUES ('a'), ('b'), ('c')`);
  project.write('models.js', models(2));
  return { project, env };
}

eachDialect('cli migrate in a terminal: asks whether a drop + add is a rename, then confirms data loss', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const { project, env } = await atV2(t, db);

  // Declining the data loss writes nothing and exits 1.
  const declined = await runInTerminal(project, ['migrate', '-m', 'rename name'], env, [
    ['Is users.fullName a rename of users.name?', 'y'],
    ['Write the migration anyway', 'n'],
  ]);
  t.deepEqual(declined.unanswered, [], declined.output);
  t.is(declined.code, 1, declined.output);
  t.regex(declined.output, /drop table notes: 3 rows deleted/);
  t.regex(declined.output, /Nothing written\./);
  t.is(project.migrations().length, 1);

  const accepted = await runInTerminal(project, ['migrate', '-m', 'rename name'], env, [
    ['Is users.fullName a rename of users.name?', 'y'],
    ['Write the migration anyway', 'y'],
  ]);
  t.deepEqual(accepted.unanswered, [], accepted.output);
  t.is(accepted.code, 0, accepted.output);
  t.regex(accepted.output, /~ column users\.name renamed to fullName \(values kept\)/);
  t.regex(accepted.output, /! data loss: drop table notes: 3 rows deleted/);
  const file = join(project.dir, 'migrations', project.migrations()[1]!);
  t.regex(readFileSync(file, 'utf8'), /WARNING \(data loss\): drop table notes: 3 rows deleted/);
  t.is((await project.run(['upgrade'], env)).code, 0);
  const rows = await db.sequelize.query(db.dialect === 'mysql' ? 'SELECT `fullName` AS n FROM users ORDER BY id' : 'SELECT "fullName" AS n FROM users ORDER BY id', { type: QueryTypes.SELECT });
  t.deepEqual(rows, [{ n: 'Ada' }, { n: 'Bob' }], 'the rename kept the values');
  t.is((await project.run(['check'], env)).code, 0);
});

eachDialect('cli migrate without a terminal: data at risk exits 1 naming it; --rename and --allow-data-loss write it', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const { project, env } = await atV2(t, db);

  const refused = await project.run(['migrate', '-m', 'v2'], env);
  t.is(refused.code, 1);
  t.regex(refused.stdout, /drop column users\.name: 2 non-null values deleted/);
  t.regex(refused.stdout, /drop table notes: 3 rows deleted/);
  t.regex(refused.stdout, /users\.fullName may be a rename of users\.name: .*--rename users\.name=fullName/);
  t.regex(refused.stderr, /--allow-data-loss/);
  t.is(project.migrations().length, 1, 'nothing written');

  const bad = await project.run(['migrate', '-m', 'v2', '--rename', 'users.name'], env);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /--rename users\.name/);
  const unknown = await project.run(['migrate', '-m', 'v2', '--rename', 'users.nick=fullName', '--allow-data-loss'], env);
  t.is(unknown.code, 1);
  t.regex(unknown.stderr, /users\.nick/);
  t.is(project.migrations().length, 1, 'nothing written');

  const renamedOnly = await project.run(['migrate', '-m', 'v2', '--rename', 'users.name=fullName'], env);
  t.is(renamedOnly.code, 1, 'the rename alone still drops notes');
  const written = await project.run(['migrate', '-m', 'v2', '--rename', 'users.name=fullName', '--allow-data-loss'], env);
  t.is(written.code, 0, written.stderr);
  t.regex(written.stdout, /~ column users\.name renamed to fullName/);
  t.regex(written.stdout, /! data loss: drop table notes: 3 rows deleted/);
  t.is((await project.run(['upgrade'], env)).code, 0);
  t.is((await project.run(['check'], env)).code, 0);
});
