/**
 * The package as users get it: `npm pack`, unpacked into a separate application folder, loaded
 * with require() and with import, running a migration. Needs the build (`npm test` builds first).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';

const ROOT = join(__dirname, '..');

test('the packed package loads with require() and import from another folder, with its types', (t) => {
  const app = mkdtempSync(join(tmpdir(), 'am-app-'));
  try {
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', app], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    const modules = join(app, 'node_modules');
    mkdirSync(join(modules, 'sequelize-automigrate'), { recursive: true });
    execFileSync('tar', ['-xzf', join(app, packed), '-C', join(modules, 'sequelize-automigrate'), '--strip-components=1']);
    // The application's own dependencies (sqlite3 would take minutes to compile again).
    for (const dep of ['sequelize', 'sqlite3']) symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep));
    symlinkSync(join(ROOT, 'node_modules', 'commander'), join(modules, 'commander'));
    mkdirSync(join(app, 'migrations'));
    writeFileSync(join(app, 'migrations', '001-a.js'), "module.exports = { up: (qi, S) => qi.createTable('a', { id: { type: S.INTEGER, primaryKey: true } }) };");
    writeFileSync(
      join(app, 'cjs.js'),
      `const { createMigrator, MigrationError } = require('sequelize-automigrate');
       const { Sequelize } = require('sequelize');
       const sequelize = new Sequelize({ dialect: 'sqlite', storage: 'cjs.sqlite', logging: false });
       createMigrator({ sequelize, migrations: 'migrations', logger: false }).upgrade()
         .then((r) => { console.log(JSON.stringify(r.map((x) => x.name)), typeof MigrationError); return sequelize.close(); });`,
    );
    writeFileSync(
      join(app, 'esm.mjs'),
      `import { createMigrator, autoMigrate } from 'sequelize-automigrate';
       import lib from 'sequelize-automigrate';
       import { Sequelize } from 'sequelize';
       const sequelize = new Sequelize({ dialect: 'sqlite', storage: 'esm.sqlite', logging: false });
       const r = await autoMigrate({ sequelize, migrations: 'migrations', logger: false });
       console.log(JSON.stringify(r.applied.map((x) => x.name)), lib.createMigrator === createMigrator);
       await sequelize.close();`,
    );
    t.is(execFileSync(process.execPath, ['cjs.js'], { cwd: app, encoding: 'utf8' }).trim(), '["001-a"] function');
    t.is(execFileSync(process.execPath, ['esm.mjs'], { cwd: app, encoding: 'utf8' }).trim(), '["001-a"] true');
    const pkg = require(join(modules, 'sequelize-automigrate', 'package.json'));
    const types = join(modules, 'sequelize-automigrate', pkg.exports['.'].types);
    t.true(require('node:fs').existsSync(types), `types at ${types}`);
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});
