'use strict';
// Writes dist/lib/index.mjs: an ES module facade over the CommonJS build, so `import` and
// `require` share one instance of the library (no dual-package hazard).
const fs = require('node:fs');
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist', 'lib');
const lib = require(path.join(dist, 'index.js'));
const names = Object.keys(lib).filter((n) => n !== 'default' && n !== '__esModule');
const body = [
  "import lib from './index.js';",
  `export const { ${names.join(', ')} } = lib;`,
  'export default lib;',
  '',
].join('\n');
fs.writeFileSync(path.join(dist, 'index.mjs'), body);
