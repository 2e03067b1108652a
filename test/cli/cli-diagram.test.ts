/**
 * `automigrate diagram` (a Mermaid erDiagram) and `check --format markdown`, through the compiled
 * binary on each dialect: after an upgrade the models and the database draw the same diagram.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eachDialect } from '../helpers/each-dialect';
import { CONFIG, binMissing, createProject, dbEnv } from './cli-project';

/** Users (a unique email), posts (a required author, a price), profiles (one per user, optional). */
function models(withBio: boolean): string {
  return `
const { DataTypes } = require('sequelize');
module.exports = (sequelize) => {
  const User = sequelize.define('User', {
    email: { type: DataTypes.STRING(100), allowNull: false, unique: true },
    ${withBio ? 'bio: { type: DataTypes.TEXT, allowNull: true },' : ''}
  }, { tableName: 'users', timestamps: false });
  const Post = sequelize.define('Post', {
    title: { type: DataTypes.STRING(200), allowNull: false },
    price: { type: DataTypes.DECIMAL(10, 2), allowNull: true },
  }, { tableName: 'posts', timestamps: false });
  Post.belongsTo(User, { foreignKey: { name: 'authorId', allowNull: false }, onDelete: 'CASCADE' });
  const Profile = sequelize.define('Profile', {
    ownerId: { type: DataTypes.INTEGER, allowNull: true, unique: true },
  }, { tableName: 'profiles', timestamps: false });
  Profile.belongsTo(User, { foreignKey: 'ownerId' });
};
`;
}

eachDialect('cli diagram: the models and the database give the same Mermaid erDiagram after upgrade', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const p = createProject();
  t.teardown(() => p.remove());
  const env = dbEnv(db.options);
  p.mkdir('migrations');
  p.write('automigrate.config.js', CONFIG);
  p.write('models.js', models(false));

  const fromModels = await p.run(['diagram'], env);
  t.is(fromModels.code, 0, fromModels.stderr);
  const before = await p.run(['diagram', '--from', 'database'], env);
  t.is(before.stdout, 'erDiagram\n', 'an empty database: no entity');

  t.is((await p.run(['migrate', '-m', 'schema'], env)).code, 0);
  t.is((await p.run(['upgrade'], env)).code, 0);
  const fromDatabase = await p.run(['diagram', '--from', 'database'], env);
  t.is(fromDatabase.code, 0, fromDatabase.stderr);
  t.is(fromDatabase.stdout, fromModels.stdout);

  const text = fromModels.stdout.split('\n');
  t.is(text[0], 'erDiagram');
  t.deepEqual(
    text.filter((line) => line.startsWith('  ') && !line.startsWith('    ') && line.trim() !== '}').map((l) => l.trim()),
    ['posts {', 'profiles {', 'users {', 'users ||..o{ posts : "authorId"', 'users |o..o| profiles : "ownerId"'],
    'entities by name, then one relation per foreign key: a required many, an optional one-to-one',
  );
  t.true(text.some((line) => /^ {4}\w+ id PK$/.test(line)), fromModels.stdout);
  t.true(text.includes('    STRING(100) email UK "not null"'), fromModels.stdout);
  t.true(text.includes('    DECIMAL(10-2) price'), fromModels.stdout);
  t.true(text.some((line) => /^ {4}\w+ authorId FK "not null"$/.test(line)), fromModels.stdout);
  t.true(text.some((line) => /^ {4}\w+ ownerId FK, UK$/.test(line)), fromModels.stdout);
  t.false(fromModels.stdout.includes('SequelizeMeta'), "the history table is not the application's");

  const written = await p.run(['diagram', '--from', 'database', '--out', 'schema.md'], env);
  t.is(written.code, 0, written.stderr);
  t.is(written.stdout, 'Wrote schema.md (the database as a Mermaid erDiagram)\n');
  t.is(readFileSync(join(p.dir, 'schema.md'), 'utf8'), `\`\`\`mermaid\n${fromModels.stdout}\`\`\`\n`);
  const wrong = await p.run(['diagram', '--from', 'code'], env);
  t.is(wrong.code, 2);
  t.regex(wrong.stderr, /expected 'models' or 'database'/);
});

eachDialect('cli check --format markdown writes the pending migrations or the drift as a table', async (t, db) => {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const p = createProject();
  t.teardown(() => p.remove());
  const env = dbEnv(db.options);
  p.mkdir('migrations');
  p.write('automigrate.config.js', CONFIG);
  p.write('models.js', models(false));
  t.is((await p.run(['migrate', '-m', 'schema'], env)).code, 0);
  const name = p.migrations()[0]!.replace(/\.js$/, '');

  const pending = await p.run(['check', '--format', 'markdown'], env);
  t.is(pending.code, 1);
  t.is(
    pending.stdout,
    [
      '### ❌ automigrate check: 1 pending migration',
      '',
      'The database is at `base`; run `automigrate upgrade`. The models are compared once it is at head.',
      '',
      '| # | Pending migration |',
      '|---|---|',
      `| 1 | \`${name}\` |`,
      '',
    ].join('\n'),
  );

  t.is((await p.run(['upgrade'], env)).code, 0);
  const clean = await p.run(['check', '--format', 'markdown'], env);
  t.is(clean.code, 0, clean.stderr);
  t.is(clean.stdout, `### ✅ automigrate check: no drift\n\nAt head (\`${name}\`) and the models match the database.\n`);

  p.write('models.js', models(true));
  const drift = await p.run(['check', '--format', 'markdown'], env);
  t.is(drift.code, 1);
  const table = drift.stdout.split('\n');
  t.is(table[0], '### ❌ automigrate check: the models differ from the database by 1 operation');
  t.deepEqual(table.slice(4), ['| Change | Object | Detail |', '|---|---|---|', '| add | `column users.bio` | TEXT, null |', '']);
});
