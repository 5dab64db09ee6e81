#!/usr/bin/env node
// Mapping throughput of the npm package in Node (its runtime module, the
// phone module loaded): the same 12-field template and record as the native
// bench (bench/mapping/), mapped in batches; prints records/s, the median of
// ROUNDS rounds of SECONDS each. The bar: at least 25,000 records/s.
//
//   node wasm/js/scripts/build.mjs && ROUNDS=5 SECONDS=2 node bench/js-mapping.mjs

import { readFileSync } from 'node:fs';
import { mapRecords } from '../wasm/js/dist/runtime/node/index.mjs';

const here = new URL('./mapping/', import.meta.url);
const load = (f) => JSON.parse(readFileSync(new URL(f, here), 'utf8'));
const [template, record, customFields] = [load('template.json'), load('record.json'), load('fields.json')];
const rounds = Number(process.env.ROUNDS ?? 5);
const seconds = Number(process.env.SECONDS ?? 2);
const batch = Number(process.env.BATCH ?? 1000);
const records = Array.from({ length: batch }, () => record);

const first = await mapRecords(template, [record], { customFields });
if (first.invalid !== 0) throw new Error(`the bench record does not map: ${JSON.stringify(first)}`);
const rates = [];
for (let r = 0; r < rounds; r++) {
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(seconds * 1e9);
  let now = start;
  while (now < end) {
    const report = await mapRecords(template, records, { customFields });
    n += report.valid;
    now = process.hrtime.bigint();
  }
  rates.push(n / (Number(now - start) / 1e9));
}
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)];
console.log(JSON.stringify({ batch, rounds, seconds, recordsPerSecond: Math.round(median), all: rates.map(Math.round) }));
