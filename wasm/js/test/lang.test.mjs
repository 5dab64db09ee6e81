// The condition and template language through the package's runtime
// module (libcontacts/runtime): every case of tests/vectors/lang.json, plus
// what only JS can pass in (undefined, functions, cycles), and the runtime
// module loaded on first use from the main one. Imports the package by
// name, so the built dist is tested.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ContactsError as MainError, loadRuntime } from 'libcontacts';
import { Condition, ContactsError, Template } from 'libcontacts/runtime';

const lang = JSON.parse(readFileSync(new URL('../../../tests/vectors/lang.json', import.meta.url), 'utf8'));

function refused(name, load, expected) {
  let err;
  try {
    load();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ContactsError, `${name}: expected a refusal, got ${err}`);
  assert.equal(err.code, expected.code, `${name}: ${err.message}`);
  const start = `${expected.code}: ${expected.message_starts_with}`;
  assert.ok(err.message.startsWith(start), `${name}: ${err.message}`);
}

test('condition vectors', () => {
  for (const v of lang.conditions) {
    if (v.expect_error) {
      refused(v.name, () => new Condition(v.condition, v.scope), v.expect_error);
      continue;
    }
    const c = new Condition(v.condition, v.scope);
    for (const k of v.cases) assert.equal(c.eval(k.data), k.expect, `${v.name}: ${JSON.stringify(k.data)}`);
    c.free();
  }
});

test('template vectors', () => {
  for (const v of lang.templates) {
    if (v.expect_error) {
      refused(v.name, () => new Template(v.template, v.scope), v.expect_error);
      continue;
    }
    const t = new Template(v.template, v.scope);
    for (const k of v.cases) assert.deepEqual(t.render(k.data), k.expect, v.name);
  }
});

test('scope vectors', () => {
  for (const v of lang.scopes) refused(v.name, () => new Condition({ all: [] }, v.scope), v.expect_error);
});

test('what only JS can pass in is refused or read as null', () => {
  const c = new Condition({ path: 'v.x', op: 'exists' }, { v: 'any' });
  assert.equal(c.eval(undefined), false, 'undefined data is null');
  const cycle = {};
  cycle.self = cycle;
  assert.throws(() => c.eval(cycle), (e) => e instanceof ContactsError && e.code === 'INVALID_ARGUMENT');
  assert.throws(() => new Condition(() => 1, { v: 'any' }), (e) => e.code === 'INVALID_ARGUMENT');
  assert.throws(() => new Template('{{v.x}}'), (e) => e.code === 'INVALID_ARGUMENT' && /not in scope/.test(e.message));
  assert.deepEqual(new Template('{{v.x}}', { v: 'any' }).render({ v: { x: [1] } }), [1]);
});

test('the main module loads the runtime module on first use, and both throw one ContactsError', async () => {
  const runtime = await loadRuntime();
  assert.equal(runtime.Condition, Condition, 'the same instance as the direct import');
  assert.equal(MainError, ContactsError, 'one error class for both modules');
  assert.throws(() => new runtime.Condition({ path: 'x', op: 'eq', value: 1 }), (e) => e instanceof MainError);
});
