// Fleet mode in the runtime module: clients that share one host store
// object (config.fleet.store) share one rate budget and one token refresh
// per location, as the native builds do through Redis. Against a live
// contacts-sandbox that answers 429 to anything over its budget.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expiredOAuthConfig, pitConfig, sandboxAdmin, startSandbox } from '../../../tests/support/sandbox.mjs';
import { ContactsClient } from 'libcontacts';
import { ContactsClient as RuntimeClient } from 'libcontacts/runtime';
import { mapStore } from './map-store.mjs';

// The sandbox's budget, and the clients' (the fleet shares what they say).
const BURST = 20;
const INTERVAL_MS = 1000;
const rateLimits = { burstMax: BURST, intervalMs: INTERVAL_MS, dailyMax: 200000 };
let sbx;

before(async () => {
  sbx = await startSandbox(['--seed', '5', '--burst', String(BURST), '--interval-ms', String(INTERVAL_MS)]);
});
after(() => sbx?.stop());

/** `calls` gets of the location, two at a time; the client's stats after. */
async function spend(client, calls) {
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      next += 1;
      await client.call('locations.get', { locationId: sbx.locationId });
    }
  };
  await Promise.all([worker(), worker()]);
  return client.stats();
}

const total = (stats, field) => stats.reduce((sum, s) => sum + s[field], 0);

test('three clients on their own budgets meet 429s; on one fleet store, none', async () => {
  const alone = await Promise.all([0, 1, 2].map(() => spend(new RuntimeClient({ ...pitConfig(sbx), rateLimits }), 25)));
  assert.ok(total(alone, 'rateLimited') > 0, `the control saw no 429: ${JSON.stringify(alone)}`);

  // A new window, then the fleet.
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
  const store = mapStore();
  const fleet = { store, whenUnavailable: 'failClosed' };
  const shared = await Promise.all([0, 1, 2].map(() => spend(new RuntimeClient({ ...pitConfig(sbx), rateLimits, fleet }), 25)));
  assert.equal(total(shared, 'rateLimited'), 0, JSON.stringify(shared));
  assert.equal(total(shared, 'requests'), 75);
  const keys = [...store.entries.keys()];
  assert.ok(keys.some((k) => k.startsWith(`libcontacts:${sbx.locationId}:rate:`)), `the budget is kept under the location: ${keys}`);
});

test('four clients on one expired OAuth token refresh once, and all hand the same tokens to onTokens', async () => {
  const grant = await sandboxAdmin(sbx, 'tokens', { scopes: ['locations.readonly'] });
  const before = (await sandboxAdmin(sbx, 'stats')).tokenRefreshes;
  const store = mapStore();
  const saved = [];
  const clients = [0, 1, 2, 3].map((i) => {
    const c = new RuntimeClient({ ...expiredOAuthConfig(sbx, grant), fleet: { store, leaseMs: 2000 } });
    c.onTokens((t) => saved.push([i, t.accessToken]));
    return c;
  });
  await Promise.all(clients.map((c) => c.call('locations.get', { locationId: sbx.locationId })));
  assert.equal((await sandboxAdmin(sbx, 'stats')).tokenRefreshes - before, 1, 'exactly one refresh');
  assert.deepEqual(new Set(saved.map(([i]) => i)), new Set([0, 1, 2, 3]), 'every client stored the tokens');
  assert.equal(new Set(saved.map(([, t]) => t)).size, 1, 'the same tokens');
  assert.notEqual(saved[0][1], grant.access_token);
});

test('a fleet store that fails: FLEET_UNAVAILABLE when failing closed, a local share otherwise', async () => {
  const down = { ...mapStore(), get: async () => Promise.reject(new Error('connection refused')) };
  const closed = new RuntimeClient({ ...pitConfig(sbx), fleet: { store: down } });
  await assert.rejects(closed.call('locations.get', { locationId: sbx.locationId }), (e) => e.code === 'FLEET_UNAVAILABLE');
  assert.equal(closed.stats().requests, 0, 'nothing sent on a budget no one counts');
  const share = new RuntimeClient({ ...pitConfig(sbx), fleet: { store: down, whenUnavailable: 'localShare', localSharePercent: 50 } });
  const got = await share.call('locations.get', { locationId: sbx.locationId });
  assert.equal(got.location.id, sbx.locationId);
});

test('journals and trigger state in the fleet store, by state: {fleet: true}', async () => {
  const store = mapStore();
  const client = new RuntimeClient({ ...pitConfig(sbx), fleet: { store }, state: { fleet: true } });
  const first = await client.poll('ContactCreate', {});
  assert.deepEqual(first.events, []);
  const keys = [...store.entries.keys()];
  assert.ok(keys.some((k) => k.startsWith(`libcontacts:${sbx.locationId}:trigger/`)), `trigger state in the fleet store: ${keys}`);
});

test('bad fleet settings are refused, naming the field', () => {
  const cases = [
    [{ fleet: { redisUrl: 'redis://127.0.0.1:6379', store: mapStore() } }, /redisUrl: this package ships no Redis client/],
    [{ fleet: {} }, /config\.fleet\.store is required/],
    [{ fleet: { store: { get() {} } } }, /config\.fleet\.store has no put\(\)/],
    [{ fleet: { store: mapStore(), leaseMs: 0 } }, /leaseMs/],
    [{ fleet: { store: mapStore(), whenUnavailable: 'sometimes' } }, /whenUnavailable/],
    [{ fleet: { store: mapStore(), colour: 1 } }, /colour/],
    [{ state: { fleet: true } }, /config\.state\.fleet needs config\.fleet/],
    [{ fleet: { store: mapStore() }, state: { fleet: false } }, /config\.state is/],
    [{ fleet: { store: 5 } }, /config\.fleet\.store has no get\(\) method/],
  ];
  for (const [extra, message] of cases) {
    assert.throws(() => new RuntimeClient({ ...pitConfig(sbx), ...extra }), (e) => e.code === 'INVALID_ARGUMENT' && message.test(e.message), JSON.stringify(extra));
  }
  const noLocation = { ...pitConfig(sbx), credentials: { kind: 'privateIntegrationToken', token: sbx.pit } };
  assert.throws(() => new RuntimeClient({ ...noLocation, fleet: { store: mapStore() } }), (e) => e.code === 'INVALID_ARGUMENT' && /locationId/.test(e.message));
  // The main module has no fleet mode, and says where it is.
  assert.throws(() => new ContactsClient({ ...pitConfig(sbx), fleet: { store: mapStore() } }), (e) => e.code === 'INVALID_ARGUMENT' && /config\.fleet: fleet mode runs in libcontacts\/runtime/.test(e.message));
});
