/**
 * The package as users get it: `npm pack`, unpacked into a separate application folder, loaded
 * with require() and with import, running a migration. Needs the build (`npm test` builds first).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';

const ROOT = join(__dirname, '..');

test('the packed package loads with require() and import from another folder, with its types', (t) => {
  const app = mkdtempSync(join(tmpdir(), 'am-app-'));
  try {
    // --ignore-scripts: `prepare` would rebuild dist/ under the CLI tests running beside this one.
    const packed = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', app], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
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

/**
 * What a git install does (npm clones, installs devDependencies, runs `prepare`, packs): here from
 * a copy of the working tree without dist/, packed with its scripts, then installed from the
 * tarball into an application with npm (offline: commander comes from this repository).
 */
test('a checkout without dist/ packs a package with code (prepare builds), and both bins work', (t) => {
  const work = mkdtempSync(join(tmpdir(), 'am-git-'));
  try {
    const src = join(work, 'src');
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f !== '' && f !== 'node_modules' && existsSync(join(ROOT, f)));
    for (const file of files) cpSync(join(ROOT, file), join(src, file), { recursive: true });
    t.false(existsSync(join(src, 'dist')), 'the copy starts without a build');
    symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
    const app = join(work, 'app');
    mkdirSync(app);
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', app], { cwd: src, encoding: 'utf8' }).trim().split('\n').pop()!;
    const listing = execFileSync('tar', ['-tzf', join(app, packed)], { encoding: 'utf8' }).split('\n');
    for (const file of ['package/dist/lib/index.js', 'package/dist/lib/index.mjs', 'package/dist/lib/index.d.ts', 'package/dist/lib/cli/bin.js']) {
      t.true(listing.includes(file), `${file} is packed`);
    }

    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    execFileSync(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--legacy-peer-deps', `./${packed}`, `file:${join(ROOT, 'node_modules', 'commander')}`],
      { cwd: app, encoding: 'utf8', stdio: 'pipe' },
    );
    for (const dep of ['sequelize', 'sqlite3']) symlinkSync(join(ROOT, 'node_modules', dep), join(app, 'node_modules', dep));
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    for (const bin of ['automigrate', 'sequelize-automigrate']) {
      const out = execFileSync(join(app, 'node_modules', '.bin', bin), ['--version'], { cwd: app, encoding: 'utf8' });
      t.is(out.trim(), version, bin);
    }
    // The README's quick start: init, then the commands through npx, which finds the local bin.
    const env = { ...process.env, NODE_OPTIONS: '' };
    execFileSync('npx', ['--no-install', 'sequelize-automigrate', 'init'], { cwd: app, encoding: 'utf8', env });
    writeFileSync(
      join(app, 'models.js'),
      `const { Sequelize, DataTypes } = require('sequelize');
       const sequelize = new Sequelize({ dialect: 'sqlite', storage: 'app.sqlite', logging: false });
       sequelize.define('User', { name: DataTypes.STRING }, { tableName: 'users' });
       module.exports = { sequelize };`,
    );
    execFileSync('npx', ['--no-install', 'sequelize-automigrate', 'migrate', '-m', 'create users'], { cwd: app, encoding: 'utf8', env });
    const upgraded = execFileSync('npx', ['--no-install', 'sequelize-automigrate', 'upgrade'], { cwd: app, encoding: 'utf8', env });
    t.regex(upgraded, /1 migration applied/);
    const check = execFileSync('npx', ['--no-install', 'sequelize-automigrate', 'check'], { cwd: app, encoding: 'utf8', env });
    t.regex(check, /^OK: at head/);
    t.regex(readFileSync(join(app, '.gitignore'), 'utf8'), /^\*-automigrate-lock$/m);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
