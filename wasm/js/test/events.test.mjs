// The event stream (`client.on('event', fn)`) and the usage report
// (`client.usage()`) of the runtime module against live sandboxes: the
// shared sequences of tests/vectors/events.json, the same as Rust and the C
// ABI give; listeners' levels, off, a throwing listener; bad arguments.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { expiredOAuthConfig, pitConfig, root, sandboxAdmin, startSandbox } from '../../../tests/support/sandbox.mjs';
import { ContactsClient as MainClient } from 'libcontacts';
import { ContactsClient } from 'libcontacts/runtime';

const vectors = JSON.parse(readFileSync(`${root}/tests/vectors/events.json`, 'utf8')).vectors;
let sbx;
before(async () => {
  sbx = await startSandbox(['--seed', '2', '--threads', '1', '--interval-ms', '1000']);
});
after(() => sbx?.stop());

// `expected` is contained in `actual` (tests/vectors/README.md).
function subset(expected, actual) {
  if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
    return actual && typeof actual === 'object' && Object.entries(expected).every(([k, v]) => subset(v, actual[k]));
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.length === actual.length && expected.every((v, i) => subset(v, actual[i]));
  return expected === actual;
}

async function clientFor(setup) {
  if (setup === 'retry') return { client: new ContactsClient(pitConfig(sbx)), secrets: [sbx.pit] };
  const grant = await sandboxAdmin(sbx, 'tokens', { scopes: ['contacts.readonly'] });
  const client = new ContactsClient(expiredOAuthConfig(sbx, grant));
  client.onTokens(() => {});
  return { client, secrets: [grant.access_token, grant.refresh_token, 'sandbox-secret'] };
}

for (const vector of vectors) {
  test(`the shared event sequence: ${vector.name}`, async () => {
    const { client, secrets } = await clientFor(vector.setup);
    const info = await sandboxAdmin(sbx, 'info');
    // Found by another client, so the observed one makes only the vector's call.
    const lister = new ContactsClient(pitConfig(sbx));
    const first = (await lister.call('contacts.list', { locationId: sbx.locationId, limit: 1 })).contacts[0].id;
    const events = [];
    client.on('event', (e) => events.push(e), { level: 'debug' });
    await sandboxAdmin(sbx, 'faults', { next: vector.faults });
    const params = JSON.parse(JSON.stringify(vector.call.params).replaceAll('$firstContact', first));
    const out = await client.call(vector.call.name, params);
    const text = events.map((e) => JSON.stringify(e)).join('\n');
    for (const s of [...secrets, out.contact?.email].filter(Boolean)) assert.ok(!text.includes(s), `${s} in\n${text}`);
    assert.equal(events.length, vector.events.length, text);
    vector.events.forEach((e, i) => {
      assert.ok(subset(e, events[i]), `event ${i} is not ${JSON.stringify(e)}:\n${text}`);
      assert.equal(events[i].location, info.locationId);
      assert.equal(events[i].callId, events[0].callId);
      assert.equal(typeof events[i].at, 'number');
    });
  });
}

test('listeners get their levels, off stops them, a throwing listener fails nothing', async () => {
  const client = new ContactsClient(pitConfig(sbx));
  const infos = [];
  const errors = [];
  const thrower = () => { throw new Error('a listener bug'); };
  client.on('event', (e) => infos.push(e));
  client.on('event', (e) => errors.push(e), { level: 'error', contactData: true });
  client.on('event', thrower, { level: 'debug' });
  await assert.rejects(client.call('contacts.get', { contactId: 'missing' }), (e) => e.code === 'NOT_FOUND');
  assert.deepEqual(infos.map((e) => [e.kind, e.code]), [['finished', 'NOT_FOUND']]);
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /not found/i, 'contact data was asked for');
  client.off('event', thrower);
  const first = (await client.call('contacts.list', { locationId: sbx.locationId, limit: 1 })).contacts[0].id;
  await client.call('contacts.get', { contactId: first });
  assert.equal(infos.length, 3, 'finished per call');
  const usage = (await client.usage()).locations[0];
  assert.equal(usage.budget, 'local');
  assert.equal(usage.location, sbx.locationId);
  assert.equal(usage.counts.requests, 3);
  assert.equal(usage.daily.remaining, usage.lastHeaders.dailyRemaining);
  assert.equal(usage.burst.limit, 100);
  assert.equal(usage.daily.reset.documented, false);
  for (const bad of [() => client.on('events', () => {}), () => client.on('event', 5), () => client.on('event', () => {}, { level: 'loud' }), () => client.off('nope', () => {})]) {
    assert.throws(bad, (e) => e.code === 'INVALID_ARGUMENT');
  }
});

test('the main module leaves events out: its client has no on or usage', () => {
  const client = new MainClient(pitConfig(sbx));
  assert.equal(typeof client.on, 'undefined');
  assert.equal(typeof client.usage, 'undefined');
});

test("a verifier's events say what it accepted and refused, never the signature", async () => {
  const { WebhookVerifier } = await import('libcontacts/runtime');
  const wh = JSON.parse(readFileSync(`${root}/tests/vectors/webhooks.json`, 'utf8'));
  const verifier = new WebhookVerifier({ publicKeys: [wh.public_key] });
  const events = [];
  verifier.on('event', (e) => events.push(e));
  const d = wh.vectors[0].deliveries[0];
  const event = verifier.verify(d.headers, d.body_text, d.now_ms);
  assert.throws(() => verifier.verify(d.headers, d.body_text, d.now_ms), (e) => e.code === 'WEBHOOK_REPLAY');
  assert.deepEqual(events.map((e) => [e.kind, e.level, e.eventType ?? e.code]), [
    ['webhook_accepted', 'info', event.type],
    ['webhook_refused', 'warn', 'WEBHOOK_REPLAY'],
  ]);
  assert.equal(events[0].location, event.locationId);
  assert.ok(!JSON.stringify(events).includes(d.headers['X-GHL-Signature']));
});
