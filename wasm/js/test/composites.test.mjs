// The composite actions' shared vectors (tests/vectors/composites.json)
// through the npm package's runtime module: each composite runs over a
// transport that answers from the vector (per method and path, in the
// order the composite starts its requests) with the clock pinned, and its
// output must be the vector's, as core/tests/composite_vectors.rs holds
// the Rust driver to it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { catalog, ContactsClient, setTransport } from 'libcontacts/runtime';

const file = JSON.parse(readFileSync(new URL('../../../tests/vectors/composites.json', import.meta.url), 'utf8'));
const realNow = Date.now;
after(() => {
  Date.now = realNow;
  setTransport(null);
});

/** Whether `want` is a part of `got`: objects by their keys, the rest equal. */
function subset(want, got) {
  if (Array.isArray(want)) return Array.isArray(got) && want.length === got.length && want.every((w, i) => subset(w, got[i]));
  if (want && typeof want === 'object') return got && typeof got === 'object' && Object.entries(want).every(([k, v]) => subset(v, got[k]));
  return want === got;
}

for (const v of file.vectors) {
  test(`${v.op}: ${v.name}`, async () => {
    const answers = new Map();
    for (const x of v.exchanges) {
      const key = `${x.method} ${x.path}`;
      if (!answers.has(key)) answers.set(key, { next: 0, list: [] });
      answers.get(key).list.push([x.status, JSON.stringify(x.response)]);
    }
    setTransport(async (method, url) => {
      const path = new URL(url).pathname;
      const entry = answers.get(`${method} ${path}`);
      if (!entry) return [404, [], new TextEncoder().encode(JSON.stringify({ message: `no answer recorded for ${method} ${path}` }))];
      const [status, body] = entry.list[Math.min(entry.next++, entry.list.length - 1)];
      return [status, [], new TextEncoder().encode(body)];
    });
    Date.now = () => v.now_ms;
    try {
      const client = new ContactsClient({
        credentials: { kind: 'privateIntegrationToken', token: 'pit-x', locationId: 'SBXloc00000000000001' },
        state: { memory: true },
      });
      const out = await client.call(v.op, v.params);
      assert.ok(subset(v.expect_output, out), `want ${JSON.stringify(v.expect_output)}\n got ${JSON.stringify(out)}`);
    } finally {
      Date.now = realNow;
    }
  });
}

test('every composite of the catalog has a vector', () => {
  const composites = catalog().actions.filter((a) => a.kind === 'composite').map((a) => a.name);
  assert.deepEqual([...new Set(file.vectors.map((v) => v.op))].sort(), composites.sort());
});
