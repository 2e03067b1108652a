'use strict';
/**
 * Bundles handler.js, the library and every migration into one file, dist/handler.js, with esbuild
 * (https://esbuild.github.io/api/). Run `npx automigrate bundle migrations` first whenever a
 * migration was added: the bundle contains what migrations/index.js lists.
 *
 *   node build.js
 */
const { join } = require('node:path');
const esbuild = require('esbuild');

/**
 * Left out of the bundle, to ship in node_modules (the deployment package or a layer): Sequelize
 * loads its driver by a computed name at run time (`require(dialect)`), which no bundler can
 * follow, and sqlite3 is a native addon. sequelize-automigrate itself has no such require on this
 * path and is bundled.
 */
const EXTERNAL = ['sequelize', 'pg', 'pg-hstore', 'mysql2', 'mariadb', 'sqlite3', 'tedious', 'oracledb', 'ibm_db'];

/** The esbuild options; `overrides` lets the tests and the benchmark write elsewhere. */
function buildOptions(overrides = {}) {
  return {
    entryPoints: [join(__dirname, 'handler.js')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: join(__dirname, 'dist', 'handler.js'),
    external: EXTERNAL,
    metafile: true,
    logLevel: 'warning',
    ...overrides,
  };
}

function build(overrides) {
  return esbuild.build(buildOptions(overrides));
}

module.exports = { build, buildOptions, EXTERNAL };

if (require.main === module) {
  build().then(
    (result) => {
      for (const [file, output] of Object.entries(result.metafile.outputs)) {
        console.log(`${file}: ${(output.bytes / 1024).toFixed(0)} KiB`);
      }
    },
    () => {
      process.exitCode = 1; // esbuild has printed the errors
    },
  );
}
