/**
 * `upgrade --sql`, `downgrade --sql`, `sql --json`, `--out`, `--from base` through the real
 * binary: the script goes to stdout (or a file), nothing runs, and a database that cannot be
 * reached is no obstacle once the range says where the script starts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { Options } from 'sequelize';
import { eachDialect } from '../helpers/each-dialect';
import type { TestDialect } from '../helpers/databases';
import { tableNames } from '../helpers/migrations';
import { PROJECT, runWithClient } from '../helpers/offline-sql';
import { binMissing, CONFIG, createProject, dbEnv, modelsSource, type Project } from './cli-project';

/** Runs `fn` in a throwaway project holding PROJECT's migrations, removed afterwards. */
async function inProject(t: ExecutionContext, fn: (p: Project) => Promise<void>): Promise<void> {
  const missing = binMissing();
  if (missing) return t.fail(missing);
  const p = createProject();
  p.write('automigrate.config.js', CONFIG);
  p.write('models.js', modelsSource(1));
  for (const [name, text] of Object.entries(PROJECT)) p.write(join('migrations', name), text);
  try {
    await fn(p);
  } finally {
    p.remove();
  }
}

/** A configured database nobody answers for: a closed port, or a SQLite file under /dev/null (Sequelize creates missing folders). */
function unreachable(dialect: TestDialect, options: Options): Options {
  return dialect === 'sqlite' ? { ...options, storage: '/dev/null/app.sqlite' } : { ...options, port: 1 };
}

eachDialect('upgrade --sql base:head prints the script, runs nothing, and the script run by the client leaves the database at head', async (t, db) => {
  await inProject(t, async (p) => {
    const env = dbEnv(db.options);
    const printed = await p.run(['upgrade', '--sql', 'base:head'], env);
    t.is(printed.code, 0, printed.stderr);
    t.is(printed.stderr, '');
    t.regex(printed.stdout, /^-- sequelize-automigrate: upgrade from base to 004-rename on /);
    for (const name of ['001-users', '002-posts', '003-bio', '004-rename']) t.regex(printed.stdout, new RegExp(`INSERT INTO .SequelizeMeta. .*'${name}\\.js'`));
    t.deepEqual(await tableNames(db.sequelize, ''), [], 'nothing ran');

    const viaSql = await p.run(['sql', '--from', 'base'], env);
    t.is(viaSql.stdout, printed.stdout, '`sql --from base` is `upgrade --sql base:head`');

    runWithClient(db, printed.stdout);
    const status = await p.json(['status', '--json'], env);
    t.is(status.data.current, '004-rename');
    t.deepEqual(status.data.pending, []);
    const again = await p.run(['upgrade', '--sql'], env);
    t.regex(again.stdout, /-- Nothing to upgrade\./, 'without FROM it starts where the database is');
  });
});

eachDialect('--out writes the script to a file; sql --json prints each migration apart; downgrade --sql FROM:TO', async (t, db) => {
  await inProject(t, async (p) => {
    const env = dbEnv(db.options);
    const stdout = (await p.run(['upgrade', '--sql', 'base:002-posts'], env)).stdout;
    const written = await p.run(['upgrade', '--sql', 'base:002-posts', '--out', 'plan.sql'], env);
    t.is(written.code, 0, written.stderr);
    t.is(written.stdout.trim(), 'Wrote the upgrade script from base to 002-posts (2 migrations) to plan.sql');
    t.is(readFileSync(join(p.dir, 'plan.sql'), 'utf8'), stdout);

    const json = await p.json(['sql', 'base:head', '--json'], env);
    t.is(json.code, 0, json.stderr);
    t.deepEqual(json.data.migrations.map((m: { name: string }) => m.name), ['001-users', '002-posts', '003-bio', '004-rename']);
    t.true(json.data.migrations.every((m: { statements: string[]; history: string[] }) => m.statements.length > 0 && m.history.length === 1));
    t.is(json.data.from, null);
    t.is(json.data.to, '004-rename');
    t.regex(json.data.text, /^-- sequelize-automigrate: upgrade/);

    const down = await p.run(['downgrade', '--sql', 'head:003-bio'], env);
    t.is(down.code, 0, down.stderr);
    t.regex(down.stdout, /downgrade from 004-rename to 003-bio/);
    t.regex(down.stdout, /RENAME TO .posts./);
    t.regex(down.stdout, /DELETE FROM .SequelizeMeta. WHERE .name. IN \('004-rename\.js'\)/);
    t.deepEqual(await tableNames(db.sequelize, ''), [], 'nothing ran');

    const online = await p.run(['upgrade', 'base:head'], env);
    t.is(online.code, 1);
    t.regex(online.stderr, /a FROM:TO range needs --sql/);
    const outOnline = await p.run(['downgrade', '--out', 'x.sql'], env);
    t.is(outOnline.code, 1);
    t.regex(outOnline.stderr, /--out writes the script of --sql; add --sql/);
  });
});

eachDialect('--from base works on a configured database that cannot be reached; without FROM it says to give one', async (t, db) => {
  await inProject(t, async (p) => {
    const env = dbEnv(unreachable(db.dialect, db.options));
    const offline = await p.run(['upgrade', '--sql', 'base:head'], env);
    t.is(offline.code, 0, offline.stderr);
    t.is(offline.stdout, (await p.run(['upgrade', '--sql', 'base:head'], dbEnv(db.options))).stdout);
    const fromBase = await p.run(['sql', '--from', 'base', '--json'], env);
    t.is(fromBase.code, 0, fromBase.stderr);

    const noFrom = await p.run(['upgrade', '--sql'], env);
    t.is(noFrom.code, 1);
    t.regex(noFrom.stderr, /Without the database, say where the script starts/);
  });
});

eachDialect('a migration that reads data fails --sql with E_OFFLINE_READ naming it', async (t, db) => {
  await inProject(t, async (p) => {
    p.write(
      'migrations/005-backfill.js',
      `module.exports = { up: async (qi) => { const [rows] = await qi.sequelize.query('SELECT id FROM users'); for (const r of rows) await qi.bulkUpdate('users', { name: 'x' }, { id: r.id }); } };`,
    );
    const result = await p.json(['upgrade', '--sql', 'base:head', '--json'], dbEnv(db.options));
    t.is(result.code, 1);
    t.is(result.data.error.code, 'E_OFFLINE_READ');
    t.is(result.data.error.subject, '005-backfill');
    t.regex(result.stderr, /Migration "005-backfill" reads the database \(sequelize\.query\('SELECT id FROM users;'\)\)/);
  });
});
