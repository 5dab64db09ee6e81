// The driver's cases (core/tests/driver.rs) through the npm package against a
// live contacts-sandbox: a call aborted during its token refresh still hands
// the rotated tokens to onTokens, a 429 then success, a 3-page walk, a code
// exchange retried after a refused connection, and the tags.copy composite,
// which no code of the JS shell knows about.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expiredOAuthConfig, pitConfig, sandboxAdmin, startSandbox } from '../../../tests/support/sandbox.mjs';
import { ContactsClient, ContactsError, exchangeCode, setTransport } from 'libcontacts';
import { ContactsClient as RuntimeClient } from 'libcontacts/runtime';
import { mapStore } from './map-store.mjs';

const CLIENT_ID = 'sandbox-client';
const CLIENT_SECRET = 'sandbox-secret';
let sbx;
let nodeSend;

before(async () => {
  sbx = await startSandbox(['--seed', '25', '--threads', '1']);
  nodeSend = (await import('../dist/node/node-transport.cjs')).default.send;
});
after(() => {
  setTransport(nodeSend);
  sbx?.stop();
});

const pit = (extra = {}) => new ContactsClient({ ...pitConfig(sbx), ...extra });
const admin = (path, body) => sandboxAdmin(sbx, path, body);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a call aborted during its refresh still hands the rotated tokens to onTokens', async () => {
  const grant = await admin('tokens', { scopes: ['contacts.readonly'] });
  const client = new ContactsClient(expiredOAuthConfig(sbx, grant));
  const saved = [];
  client.onTokens((t) => saved.push(t));
  // The refresh is slow, so the abort lands while it is in flight.
  setTransport(async (method, url, ...rest) => {
    if (url.endsWith('/oauth/token')) await sleep(150);
    return nodeSend(method, url, ...rest);
  });
  try {
    const ac = new AbortController();
    const call = client.contacts.list({ locationId: sbx.locationId, limit: 1 }, { signal: ac.signal });
    await sleep(30);
    ac.abort();
    await assert.rejects(call, (e) => e instanceof ContactsError && e.code === 'CANCELLED');
    for (let i = 0; i < 50 && saved.length === 0; i++) await sleep(20);
  } finally {
    setTransport(nodeSend);
  }
  assert.equal(saved.length, 1, 'the rotated tokens reached onTokens');
  assert.notEqual(saved[0].refreshToken, grant.refresh_token);
  const page = await client.contacts.list({ locationId: sbx.locationId, limit: 1 });
  assert.equal(page.contacts.length, 1);
  assert.equal(saved.length, 1, 'no second refresh');
});

test('a 429 is waited out, then the call succeeds', async () => {
  let first = true;
  setTransport(async (method, url, ...rest) => {
    if (first) {
      first = false;
      const body = new TextEncoder().encode('{"statusCode":429,"message":"Too many requests"}');
      return [429, ['retry-after', '0.2', 'content-type', 'application/json'], body];
    }
    return nodeSend(method, url, ...rest);
  });
  try {
    const client = pit();
    const started = Date.now();
    const page = await client.contacts.list({ locationId: sbx.locationId, limit: 1 });
    assert.equal(page.contacts.length, 1);
    assert.ok(Date.now() - started >= 190, `waited ${Date.now() - started} ms`);
    assert.deepEqual(client.stats(), { requests: 2, rateLimited: 1, retries: 1 });
  } finally {
    setTransport(nodeSend);
  }
});

test('a walk of 25 contacts in pages of 10 takes exactly 3 pages', async () => {
  const client = pit();
  const sizes = [];
  for await (const page of client.pages('contacts.list', { locationId: sbx.locationId, limit: 10 })) sizes.push(page.contacts.length);
  assert.deepEqual(sizes, [10, 10, 5]);
  assert.equal(client.stats().requests, 3);
});

test('a code exchange is sent again after a refused connection, never after a reset', async () => {
  const seen = [];
  let refuse = true;
  setTransport(async (method, url, ...rest) => {
    seen.push(url);
    if (refuse) {
      refuse = false;
      throw { kind: 'connect', message: 'connection refused' };
    }
    return nodeSend(method, url, ...rest);
  });
  try {
    const { code } = await admin('oauth/code', { scopes: ['contacts.readonly'] });
    const tokens = await exchangeCode({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code }, { baseUrl: sbx.baseUrl });
    assert.ok(tokens.accessToken && tokens.refreshToken);
    assert.equal(seen.length, 2);
    seen.length = 0;
    setTransport(async (method, url) => {
      seen.push(url);
      throw { kind: 'io', message: 'connection reset' };
    });
    const { code: code2 } = await admin('oauth/code', { scopes: ['contacts.readonly'] });
    await assert.rejects(
      exchangeCode({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code: code2 }, { baseUrl: sbx.baseUrl }),
      (e) => e instanceof ContactsError && e.code === 'TRANSPORT',
    );
    assert.equal(seen.length, 1, 'a code that may be spent is not sent again');
  } finally {
    setTransport(nodeSend);
  }
});

test('tags.copy, a composite, runs by name and through its group (in the runtime module)', async () => {
  const client = new RuntimeClient(pitConfig(sbx));
  const made = async (tags) =>
    (await client.contacts.create({ locationId: sbx.locationId, firstName: 'Copy', email: `copy-${Math.random()}@example.com`, tags })).contact.id;
  const from = await made(['vip', 'webinar']);
  const to = await made(['webinar']);
  const out = await client.call('tags.copy', { fromContactId: from, toContactId: to });
  assert.deepEqual(out.added, ['vip']);
  assert.deepEqual([...out.tags].sort(), ['vip', 'webinar']);
  const again = await client.tags.copy({ fromContactId: from, toContactId: to });
  assert.deepEqual(again.added, [], 'nothing left to add');
  await assert.rejects(client.call('tags.copy', { fromContactId: from }), (e) => e.code === 'INVALID_ARGUMENT');
  await assert.rejects(client.call('tags.copy', { fromContactId: from, toContactId: 'nope-nope' }), (e) => e.code === 'NOT_FOUND');
});

test('activity.feed merges newest first, reading appointment times in the zone Intl gives', async () => {
  const client = new RuntimeClient(pitConfig(sbx));
  const id = (await client.contacts.create({ locationId: sbx.locationId, firstName: 'Feed', email: `feed-${Math.random()}@example.com` })).contact.id;
  const booked = await client.appointments.create({ calendarId: 'cal_sandbox', locationId: sbx.locationId, contactId: id, startTime: '2030-07-16T11:00:00-04:00' });
  assert.equal((await client.appointments.list({ contactId: id })).events[0].startTime, '2030-07-16 11:00:00');
  await client.tasks.create({ contactId: id, title: 'Call', dueDate: '2029-05-01T09:00:00Z', completed: true });
  const note = await client.notes.create({ contactId: id, body: 'from JS' });
  const feed = await client.activity.feed({ contactId: id });
  assert.equal(feed.timeZone, 'America/New_York');
  assert.deepEqual(
    feed.items.map((i) => [i.type, i.at]),
    [['appointment', '2030-07-16T15:00:00.000Z'], ['task', '2029-05-01T09:00:00.000Z'], ['note', note.note.dateAdded]],
  );
  assert.equal(feed.items[0].id, booked.id);
  assert.equal(feed.items[1].status, 'completed');
  const kolkata = await client.call('activity.feed', { contactId: id, include: ['appointments'], timeZone: 'Asia/Kolkata' });
  assert.equal(kolkata.items[0].at, '2030-07-16T05:30:00.000Z');
  assert.equal((await client.activity.feed({ contactId: id, limit: 1 })).items.length, 1);
  for (const bad of [{ contactId: id, timeZone: 'Mars/Olympus_Mons' }, { contactId: id, limit: 0 }, { contactId: id, include: ['emails'] }]) {
    await assert.rejects(client.activity.feed(bad), (e) => e.code === 'INVALID_ARGUMENT', JSON.stringify(bad));
  }
  await assert.rejects(pit().call('activity.feed', { contactId: id }), (e) => e.code === 'INVALID_ARGUMENT' && /libcontacts\/runtime/.test(e.message));
});

test('contacts.getWithActivity runs in the runtime module, and the main module says where it runs', async () => {
  await assert.rejects(pit().call('contacts.getWithActivity', { contactId: 'c1' }), (e) => e.code === 'INVALID_ARGUMENT' && /libcontacts\/runtime/.test(e.message));
  const client = new RuntimeClient(pitConfig(sbx));
  const id = (await client.contacts.create({ locationId: sbx.locationId, firstName: 'Feed', email: `feed-${Math.random()}@example.com` })).contact.id;
  await client.notes.create({ contactId: id, body: 'from JS' });
  const all = await client.call('contacts.getWithActivity', { contactId: id });
  assert.equal(all.contact.id, id);
  assert.equal(all.notes[0].body, 'from JS');
  assert.ok(Array.isArray(all.tasks) && Array.isArray(all.appointments));
  const some = await client.contacts.getWithActivity({ contactId: id, include: ['notes'] });
  assert.deepEqual(Object.keys(some).sort(), ['contact', 'notes']);
  await assert.rejects(client.contacts.getWithActivity({ contactId: id, include: ['emails'] }), (e) => e.code === 'INVALID_ARGUMENT');
  const set = await client.tasks.createSet({
    contactId: id,
    tasks: [{ title: 'Call {{contact.firstName | upper}}', due: { after: 'P1D' } }, { title: 'never', due: { after: 'P1D' }, when: { path: 'contact.tags', op: 'contains', value: 'vip' } }],
  });
  assert.equal(set.created[0].task.title, 'Call FEED');
  assert.deepEqual(set.skipped, [1]);
  await assert.rejects(
    client.tasks.createSet({ contactId: id, tasks: [{ title: '{{contact.nope}}', due: { after: 'P1D' } }] }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.message.includes('$.tasks[0].title'),
  );
  const from = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const [a, b] = await Promise.all([0, 1].map(() => client.appointments.book({ calendarId: 'cal_sandbox', contactId: id, from })));
  assert.notEqual(a.appointment.startTime, b.appointment.startTime, 'two bookings, two slots');
  await assert.rejects(client.appointments.book({ calendarId: 'cal_sandbox', contactId: id, maxAttempts: 11 }), (e) => e.code === 'INVALID_ARGUMENT');
});

test('contacts.capture journals in a host store object, and a bad store fails closed', async () => {
  const client = new RuntimeClient(pitConfig(sbx));
  const lead = { idempotencyKey: 'js-1', contact: { email: `js-${Math.random()}@example.com` }, tags: ['js'], tasks: [{ title: 'Call', dueAfter: 'P1D' }], note: 'from JS' };
  await assert.rejects(client.contacts.capture(lead), (e) => e.code === 'INVALID_ARGUMENT' && /state store/.test(e.message));
  const store = mapStore();
  client.setStateStore(store);
  const first = await client.contacts.capture(lead);
  assert.equal(first.contact.outcome, 'created');
  assert.equal(first.tasks[0].outcome, 'created');
  assert.ok([...store.entries.keys()].some((k) => k.startsWith('capture/')), 'the journal is in the host store');
  const again = await client.contacts.capture(lead);
  assert.equal(again.replayed, true);

  // A store from memory, by config.
  const memory = new RuntimeClient({ ...pitConfig(sbx), state: { memory: true } });
  // The same person under a new key: found, and holding all it was sent, left unwritten.
  assert.equal((await memory.contacts.capture({ ...lead, idempotencyKey: 'js-2' })).contact.outcome, 'unchanged');

  // Fails closed: a store that throws, rejects, or answers nonsense.
  for (const [method, impl] of [
    ['get', () => { throw new Error('disk gone'); }],
    ['get', async () => Promise.reject(new Error('offline'))],
    ['get', async () => ({ value: 1 })],
    ['compareAndSet', async () => 'yes'],
  ]) {
    const broken = new RuntimeClient(pitConfig(sbx));
    broken.setStateStore({ ...mapStore(), [method]: impl });
    await assert.rejects(broken.contacts.capture({ ...lead, idempotencyKey: `js-${method}` }), (e) => e.code === 'STATE' && e.message.includes(`stateStore.${method}`), method);
  }
  assert.throws(() => client.setStateStore({ get() {} }), (e) => e.code === 'INVALID_ARGUMENT' && /no put\(\)/.test(e.message));
  // The main module runs no composite, so it takes no state.
  assert.throws(() => new ContactsClient({ ...pitConfig(sbx), state: { memory: true } }), (e) => e.code === 'INVALID_ARGUMENT' && /libcontacts\/runtime/.test(e.message));
  assert.throws(() => new RuntimeClient({ ...pitConfig(sbx), state: { sqlite: '/tmp/x.db' } }), (e) => e.code === 'INVALID_ARGUMENT' && /no SQLite/.test(e.message));
});
