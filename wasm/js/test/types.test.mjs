// The TypeScript types: generated from core/catalog.json without drift,
// embedded in the built package, and strict enough that tsc accepts real
// usage (test/ts/usage.ts) and refuses each mistake in test/ts/misuse.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { catalogPath, generate, outputPath } from '../scripts/gen-types.mjs';

const here = (p) => new URL(p, import.meta.url);
const tsc = (project) => {
  try {
    execFileSync(process.execPath, [here('../node_modules/typescript/bin/tsc').pathname, '-p', here(project).pathname], { encoding: 'utf8' });
    return '';
  } catch (e) {
    return e.stdout + e.stderr;
  }
};

test('generated.d.ts matches core/catalog.json (run scripts/gen-types.mjs after changing the Rust types)', () => {
  const want = generate(JSON.parse(readFileSync(catalogPath, 'utf8')));
  assert.equal(readFileSync(outputPath, 'utf8'), want);
});

test('the built package declares the generated types', () => {
  // wasm-bindgen re-indents custom sections; compare line by line, trimmed.
  const norm = (t) => t.split('\n').map((l) => l.trim()).join('\n');
  const dts = norm(readFileSync(here('../dist/index.d.ts'), 'utf8'));
  assert.ok(dts.includes(norm(readFileSync(outputPath, 'utf8').trim())), 'dist/index.d.ts is stale: rebuild');
});

test('tsc --strict accepts real usage', () => {
  assert.equal(tsc('ts/tsconfig.json'), '');
});

test('tsc --strict refuses each misuse', () => {
  const out = tsc('ts/tsconfig.misuse.json');
  const lines = readFileSync(here('ts/misuse.ts'), 'utf8').split('\n');
  const mistakes = lines.map((l, i) => (l.includes('// ') && !l.startsWith('//') ? i + 1 : 0)).filter(Boolean);
  assert.ok(mistakes.length >= 5);
  for (const line of mistakes) assert.match(out, new RegExp(`misuse\\.ts\\(${line},`), `line ${line} compiled: ${lines[line - 1]}`);
});
