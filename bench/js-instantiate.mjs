// How long the npm package takes to load in Node (read, compile and
// instantiate the wasm module, run the glue): `require('libcontacts')` in
// fresh processes, median of RUNS (default 15). Also the first call's cost
// (a sans-IO build, which touches the engine-free path).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../wasm/js/dist/node/index.cjs', import.meta.url));
const runs = Number(process.env.RUNS ?? 15);
const probe = `
const t0 = process.hrtime.bigint();
const lc = require(${JSON.stringify(entry)});
const t1 = process.hrtime.bigint();
lc.buildRequest('contacts.get', { contactId: 'c1' });
const t2 = process.hrtime.bigint();
console.log(JSON.stringify({ load_ms: Number(t1 - t0) / 1e6, first_call_ms: Number(t2 - t1) / 1e6 }));`;
const samples = Array.from({ length: runs }, () => JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })));
const median = (k) => {
  const v = samples.map((s) => s[k]).sort((a, b) => a - b);
  return +v[Math.floor(v.length / 2)].toFixed(2);
};
console.log(JSON.stringify({ runs, node: process.version, load_ms_median: median('load_ms'), first_call_ms_median: median('first_call_ms') }));
