#!/usr/bin/env node
// Builds the npm package into wasm/js/dist in one command:
//   cargo (wasm32, size profile) -> wasm-bindgen (nodejs + web) -> wasm-opt -Oz
//   (npm binaryen) -> entry files for require, import and browsers -> terser on
//   the browser JS -> size report.
//
//   node wasm/js/scripts/build.mjs [--dev]   (--dev: debug build, no wasm-opt)
//
// Needs: the wasm32-unknown-unknown target, wasm-bindgen 0.2.130 on PATH,
// and `npm ci` in wasm/js (for binaryen and terser). tests/run.sh installs all three.

import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { minify } from 'terser';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(pkgDir, '..', '..');
const dist = join(pkgDir, 'dist');
const dev = process.argv.includes('--dev');
const profile = dev ? 'debug' : 'wasm-release';

function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
}

function timed(label, f) {
  const t = process.hrtime.bigint();
  f();
  console.log(`  ${label}: ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s`);
}

console.log(`building libcontacts (${profile})`);
timed('cargo', () =>
  run('cargo', ['build', '-p', 'contacts-wasm', '--target', 'wasm32-unknown-unknown', ...(dev ? [] : ['--profile', 'wasm-release'])]),
);
const raw = join(root, 'target', 'wasm32-unknown-unknown', profile, 'contacts_wasm.wasm');

rmSync(dist, { recursive: true, force: true });
timed('wasm-bindgen', () => {
  for (const target of ['nodejs', 'web']) {
    const out = join(dist, target === 'nodejs' ? 'node' : 'web');
    run('wasm-bindgen', ['--target', target, '--out-dir', out, '--out-name', 'contacts_wasm', raw]);
  }
});

// Both targets load the same module: optimise once, copy.
const nodeWasm = join(dist, 'node', 'contacts_wasm_bg.wasm');
if (!dev) {
  timed('wasm-opt -Oz', () =>
    run(join(pkgDir, 'node_modules', '.bin', 'wasm-opt'), ['-Oz', '--enable-reference-types', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-multivalue', nodeWasm, '-o', nodeWasm]),
  );
}
copyFileSync(nodeWasm, join(dist, 'web', 'contacts_wasm_bg.wasm'));

// The glue's ContactsError lives in a snippet folder named by a hash.
function snippet(target) {
  const base = join(dist, target, 'snippets');
  const [dir] = readdirSync(base);
  return './' + relative(join(dist, target), join(base, dir, 'src', 'glue.js')).split('\\').join('/');
}

// The export names, read from the built Node module (what wasm-bindgen emitted).
const requireFromHere = createRequire(import.meta.url);
const names = Object.keys(requireFromHere(join(dist, 'node', 'contacts_wasm.js'))).filter((n) => !n.startsWith('__'));
names.sort();
const publicNames = [...names, 'ContactsError'].sort();

writeFileSync(
  join(dist, 'node', 'index.cjs'),
  `'use strict';
// libcontacts for Node (CommonJS). The wasm module is compiled when this loads.
const wasm = require('./contacts_wasm.js');
const { ContactsError } = require('${snippet('node')}');
// node:http costs a third of Node's fetch per request; setTransport(null) restores fetch.
wasm.setTransport(require('./node-transport.cjs').send);
module.exports = {
${publicNames.map((n) => `  ${n}: ${n === 'ContactsError' ? 'ContactsError' : `wasm.${n}`},`).join('\n')}
};
`,
);
writeFileSync(
  join(dist, 'node', 'index.mjs'),
  `// libcontacts for Node (ES modules): the CommonJS build, so require and import share one instance.
import libcontacts from './index.cjs';
export const {
${publicNames.map((n) => `  ${n},`).join('\n')}
} = libcontacts;
export default libcontacts;
`,
);
writeFileSync(
  join(dist, 'web', 'index.js'),
  `// libcontacts for browsers and bundlers: instantiates the wasm module
// (next to this file) before the first import resolves.
import init from './contacts_wasm.js';
await init({ module_or_path: new URL('./contacts_wasm_bg.wasm', import.meta.url) });
export { ${names.join(', ')} } from './contacts_wasm.js';
export { ContactsError } from '${snippet('web')}';
`,
);
copyFileSync(join(pkgDir, 'src', 'node-transport.cjs'), join(dist, 'node', 'node-transport.cjs'));
// The whole catalog, prose included (the wasm's catalog() has it without
// its schema descriptions): \`libcontacts/catalog.json\`, loaded on demand.
writeFileSync(
  join(dist, 'catalog.json'),
  JSON.stringify(JSON.parse(readFileSync(join(pkgDir, '..', '..', 'core', 'catalog.json'), 'utf8'))),
);
// The Node .d.ts carries every declaration (the web one only adds init functions).
copyFileSync(join(dist, 'node', 'contacts_wasm.d.ts'), join(dist, 'index.d.ts'));
for (const f of ['.gitignore', 'package.json']) {
  for (const t of ['node', 'web']) rmSync(join(dist, t, f), { force: true });
}

// Browsers download the web JS: minify it (names of exports and classes
// kept). The Node build stays readable; Node reads it from disk.
const webJs = [
  join(dist, 'web', 'contacts_wasm.js'),
  join(dist, 'web', snippet('web')),
  join(dist, 'web', 'index.js'),
];
if (!dev) {
  for (const file of webJs) {
    const out = await minify(readFileSync(file, 'utf8'), {
      module: true,
      compress: { passes: 2 },
      keep_classnames: true,
    });
    writeFileSync(file, out.code);
  }
}

// The budget counts the .wasm and every JS file a browser loads for it,
// each gzipped as a server would send it.
const wasmBytes = readFileSync(nodeWasm);
const glue = webJs.map((f) => readFileSync(f));
const gz = (b) => gzipSync(b, { level: 9 }).length;
const glueGzip = glue.reduce((n, b) => n + gz(b), 0);
const report = {
  profile,
  wasmBytes: wasmBytes.length,
  wasmGzip: gz(wasmBytes),
  webGlueBytes: glue.reduce((n, b) => n + b.length, 0),
  webGlueGzip: glueGzip,
  totalGzip: gz(wasmBytes) + glueGzip,
  exports: publicNames,
};
writeFileSync(join(dist, 'size.json'), JSON.stringify(report, null, 2) + '\n');
console.log(
  `  .wasm ${report.wasmBytes} B (${report.wasmGzip} B gzip) + JS glue ${report.webGlueBytes} B (${report.webGlueGzip} B gzip) = ${(report.totalGzip / 1024).toFixed(1)} KB gzip`,
);
console.log(`  exports: ${publicNames.join(', ')}`);


