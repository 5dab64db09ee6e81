// ContactsClient against a live contacts-sandbox (started here on a free
// loopback port): typed groups, call(), errors, pagination, AbortSignal,
// OAuth refresh with onTokens, the OAuth helpers, and a webhook delivered by
// the sandbox verified with verifyWebhook. Imports the built package by name.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { expiredOAuthConfig, pitConfig, sandboxAdmin, startSandbox } from '../../../tests/support/sandbox.mjs';
import {
  authorizeUrl,
  catalog,
  ContactsClient,
  ContactsError,
  exchangeCode,
  verifyWebhook,
  version,
} from 'libcontacts';

const CLIENT_ID = 'sandbox-client';
const CLIENT_SECRET = 'sandbox-secret';
let sbx;

before(async () => {
  sbx = await startSandbox(['--seed', '25', '--threads', '1']);
});
after(() => sbx?.stop());

const pitClient = (extra = {}) => new ContactsClient({ ...pitConfig(sbx), ...extra });
const admin = (path, body) => sandboxAdmin(sbx, path, body);

async function rejects(promise, code) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ContactsError, `not a ContactsError: ${e}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

test('every catalog operation is reachable through its group', () => {
  const client = pitClient();
  // Dotted methods nest (`customFields.v2.get`); former names are methods too.
  for (const { name, aliases = [] } of catalog().actions) {
    for (const full of [name, ...aliases]) {
      const method = full.split('.').reduce((at, part) => at?.[part], client);
      assert.equal(typeof method, 'function', full);
    }
  }
  assert.equal(typeof client.search.contacts, 'function');
  assert.equal(typeof client.search.tasks, 'function');
  assert.match(version(), /^\d+\.\d+\.\d+/);
});

test('a contact round trip through the typed groups', async () => {
  const client = pitClient();
  const email = `ada.${Date.now()}@example.com`;
  const created = await client.contacts.create({ locationId: sbx.locationId, firstName: 'Ada', email, tags: ['js'] });
  const id = created.contact.id;
  assert.ok(id);
  const got = await client.contacts.get({ contactId: id });
  assert.equal(got.contact.email, email);
  await client.contacts.update({ contactId: id, lastName: 'Lovelace' });
  assert.equal((await client.call('contacts.get', { contactId: id })).contact.lastName, 'Lovelace');
  const tags = await client.tags.add({ contactId: id, tags: ['vip'] });
  assert.ok(tags.tags.includes('vip'));
  const note = await client.notes.create({ contactId: id, body: 'from JS' });
  assert.equal((await client.notes.list({ contactId: id })).notes[0].id, note.note.id);
  const task = await client.tasks.create({ contactId: id, title: 'Call back', dueDate: '2030-01-01T00:00:00Z', completed: false });
  const done = await client.tasks.complete({ contactId: id, taskId: task.task.id, completed: true });
  assert.equal(done.task.completed, true);
  const found = await client.search.contacts({ locationId: sbx.locationId, query: email, pageLimit: 10 });
  assert.equal(found.contacts[0].id, id);
  await client.contacts.delete({ contactId: id });
  const e = await rejects(client.contacts.get({ contactId: id }), 'NOT_FOUND');
  assert.equal(e.status, 404);
  assert.equal(e.name, 'ContactsError');
  assert.ok(e instanceof Error);
});

test('bad input is refused with INVALID_ARGUMENT before anything is sent', async () => {
  const client = pitClient();
  await rejects(client.call('contacts.fetch', {}), 'INVALID_ARGUMENT');
  await rejects(client.call('contacts.get', { contactId: '' }), 'INVALID_ARGUMENT');
  await rejects(client.call('contacts.get', { contactId: 7 }), 'INVALID_ARGUMENT');
  await rejects(client.call('contacts.get', { contactId: 'a', colour: 'red' }), 'INVALID_ARGUMENT');
  await rejects(client.call(42, {}), 'INVALID_ARGUMENT');
  const cyclic = {};
  cyclic.self = cyclic;
  await rejects(client.call('contacts.get', cyclic), 'INVALID_ARGUMENT');
  await rejects(client.call('contacts.get', { contactId: 'a' }, { signal: 'nope' }), 'INVALID_ARGUMENT');
  assert.equal(client.stats().requests, 0);
  for (const config of [
    undefined,
    { credentials: { kind: 'pit' } },
    { credentials: { kind: 'privateIntegrationToken', token: 'x' }, baseUrl: 'ftp://x' },
    { credentials: { kind: 'privateIntegrationToken', token: 'x' }, retry: { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1 } },
    { credentials: { kind: 'privateIntegrationToken', token: 'x' }, bogus: true },
  ]) {
    assert.throws(() => new ContactsClient(config), (e) => e instanceof ContactsError && e.code === 'INVALID_ARGUMENT');
  }
  assert.throws(() => client.onTokens(5), (e) => e.code === 'INVALID_ARGUMENT');
  assert.throws(() => client.pages('contacts.get', { contactId: 'a' }), (e) => e.code === 'INVALID_ARGUMENT');
});

test('a bad token is UNAUTHORIZED, a missing scope FORBIDDEN with its scope', async () => {
  const bad = new ContactsClient({ baseUrl: sbx.baseUrl, credentials: { kind: 'privateIntegrationToken', token: 'pit-wrong' } });
  const e = await rejects(bad.contacts.get({ contactId: 'x' }), 'UNAUTHORIZED');
  assert.equal(e.status, 401);
  const grant = await admin('tokens', { scopes: ['contacts.readonly'] });
  const readOnly = new ContactsClient({
    baseUrl: sbx.baseUrl,
    credentials: { kind: 'oauth', tokens: { accessToken: grant.access_token, userType: 'Location', locationId: sbx.locationId } },
  });
  const f = await rejects(readOnly.contacts.create({ locationId: sbx.locationId, firstName: 'No' }), 'FORBIDDEN');
  assert.equal(f.scope, 'contacts.write');
});

test('an agency-only operation with a location token is FORBIDDEN before anything is sent', async () => {
  let connections = 0;
  const server = createServer((_, res) => res.end('{}'));
  server.on('connection', () => connections++);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const client = new ContactsClient({
      baseUrl: `http://127.0.0.1:${server.address().port}`,
      credentials: { kind: 'privateIntegrationToken', token: 'pit-location', locationId: 'loc_1' },
    });
    const e = await rejects(client.users.filterByEmail({ companyId: 'co_1', emails: 'a@x.example' }), 'FORBIDDEN');
    assert.match(e.message, /agency/);
    assert.equal(connections, 0, 'nothing reached the server');
  } finally {
    server.close();
  }
});

test('pages() walks every contact once, and stops early on break', async () => {
  const client = pitClient();
  const ids = new Set();
  let pages = 0;
  for await (const page of client.pages('contacts.search', { locationId: sbx.locationId, pageLimit: 7 })) {
    pages++;
    for (const c of page.contacts) {
      assert.ok(!ids.has(c.id), `duplicate ${c.id}`);
      ids.add(c.id);
    }
  }
  assert.ok(ids.size >= 25, `saw ${ids.size}`);
  assert.equal(pages, Math.ceil(ids.size / 7));
  const before = client.stats().requests;
  for await (const page of client.pages('contacts.list', { locationId: sbx.locationId, limit: 5 })) {
    assert.equal(page.contacts.length, 5);
    break;
  }
  assert.equal(client.stats().requests, before + 1);
});

test('AbortSignal cancels waits and requests with CANCELLED', async () => {
  const client = pitClient();
  const ac = new AbortController();
  ac.abort();
  await rejects(client.contacts.get({ contactId: 'x' }, { signal: ac.signal }), 'CANCELLED');
  // A slow server (every answer 3 s late): abort while the request is in flight.
  const slow = await startSandbox(['--fault', 'latency=3000', '--threads', '1']);
  try {
    const slowClient = new ContactsClient({ baseUrl: slow.baseUrl, credentials: { kind: 'privateIntegrationToken', token: slow.pit } });
    const inFlight = new AbortController();
    const started = Date.now();
    const pending = slowClient.contacts.get({ contactId: 'abc' }, { signal: inFlight.signal });
    setTimeout(() => inFlight.abort(), 100);
    await rejects(pending, 'CANCELLED');
    assert.ok(Date.now() - started < 2500, 'the abort did not cut the request short');
    // The call deadline covers a slow server too: TIMEOUT, not a hang.
    const impatient = new ContactsClient({
      baseUrl: slow.baseUrl,
      credentials: { kind: 'privateIntegrationToken', token: slow.pit },
      callTimeoutMs: 500,
    });
    await rejects(impatient.contacts.get({ contactId: 'abc' }), 'TIMEOUT');
  } finally {
    slow.stop();
  }
});

test('an expired OAuth token is refreshed once for many calls, and onTokens sees the rotation first', async () => {
  const grant = await admin('tokens', { scopes: ['contacts.readonly', 'contacts.write'] });
  const client = new ContactsClient(expiredOAuthConfig(sbx, grant));
  const saved = [];
  client.onTokens((t) => saved.push(t));
  const id = (await pitClient().search.contacts({ locationId: sbx.locationId, pageLimit: 1 })).contacts[0].id;
  const results = await Promise.all(Array.from({ length: 20 }, () => client.contacts.get({ contactId: id })));
  assert.equal(results.length, 20);
  assert.equal(saved.length, 1, 'exactly one refresh');
  assert.notEqual(saved[0].refreshToken, grant.refresh_token, 'the refresh token rotated');
  assert.ok(saved[0].expiresAtMs > Date.now());
  // The old refresh token is dead now: had the rotation been lost, no client could refresh again.
  const r = await fetch(`${sbx.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: 'refresh_token', refresh_token: grant.refresh_token }),
  });
  assert.notEqual(r.status, 200);
});

test('a throwing onTokens fails the call with TOKEN_STORE and keeps the tokens for the next call', async () => {
  const grant = await admin('tokens', { scopes: ['contacts.readonly'] });
  const client = new ContactsClient({
    baseUrl: sbx.baseUrl,
    credentials: { kind: 'oauth', tokens: { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAtMs: 1, locationId: sbx.locationId } },
    oauthClient: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  });
  let fail = true;
  const saved = [];
  client.onTokens((t) => {
    if (fail) throw new Error('disk full');
    saved.push(t);
  });
  const id = (await pitClient().search.contacts({ locationId: sbx.locationId, pageLimit: 1 })).contacts[0].id;
  const e = await rejects(client.contacts.get({ contactId: id }), 'TOKEN_STORE');
  assert.match(e.message, /disk full/);
  fail = false;
  assert.equal((await client.contacts.get({ contactId: id })).contact.id, id);
  assert.equal(saved.length, 1);
});

test('the OAuth code flow: authorizeUrl, then exchangeCode gives tokens a client can use', async () => {
  const url = new URL(authorizeUrl({ clientId: CLIENT_ID, redirectUri: 'http://127.0.0.1/cb', scopes: ['contacts.readonly'], state: 's-1' }));
  assert.equal(url.searchParams.get('state'), 's-1');
  assert.equal(url.searchParams.get('scope'), 'contacts.readonly');
  assert.throws(() => authorizeUrl({ clientId: CLIENT_ID, redirectUri: 'x', scopes: [], state: 's' }), (e) => e.code === 'INVALID_ARGUMENT');
  const { code } = await admin('oauth/code', { scopes: ['contacts.readonly'] });
  const tokens = await exchangeCode({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code }, { baseUrl: sbx.baseUrl });
  assert.ok(tokens.accessToken && tokens.refreshToken && tokens.expiresAtMs > Date.now());
  const client = new ContactsClient({ baseUrl: sbx.baseUrl, credentials: { kind: 'oauth', tokens } });
  const page = await client.search.contacts({ locationId: sbx.locationId, pageLimit: 1 });
  assert.equal(page.contacts.length, 1);
  // A code works once.
  await assert.rejects(
    exchangeCode({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code }, { baseUrl: sbx.baseUrl }),
    (e) => e instanceof ContactsError && e.status >= 400 && e.status < 500,
  );
});

test('a sandbox webhook delivery verifies with verifyWebhook; a forged one does not', async () => {
  const deliveries = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.end('ok');
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    await admin('webhooks', { url: `http://127.0.0.1:${server.address().port}/hook` });
    const client = pitClient();
    const created = await client.contacts.create({ locationId: sbx.locationId, firstName: 'Hook', email: `hook.${Date.now()}@example.com` });
    for (let i = 0; i < 100 && deliveries.length === 0; i++) await new Promise((ok) => setTimeout(ok, 50));
    assert.ok(deliveries.length > 0, 'no delivery arrived');
    const d = deliveries.find((x) => x.body.includes(created.contact.id));
    const event = verifyWebhook(d.headers, d.body, { publicKeys: [sbx.publicKey] });
    assert.equal(event.type, 'ContactCreate');
    assert.equal(event.id, created.contact.id);
    // Delivered again: a replay.
    assert.throws(() => verifyWebhook(d.headers, d.body, { publicKeys: [sbx.publicKey] }), (e) => e.code === 'WEBHOOK_REPLAY');
    // One byte changed: forged.
    const forged = Buffer.from(d.body);
    forged[forged.length - 2] ^= 1;
    assert.throws(() => verifyWebhook(d.headers, forged, { publicKeys: [sbx.publicKey] }), (e) => e.code === 'WEBHOOK_SIGNATURE');
    // HighLevel's own key does not sign sandbox deliveries.
    assert.throws(() => verifyWebhook(d.headers, d.body), (e) => e.code === 'WEBHOOK_SIGNATURE');
    assert.throws(() => verifyWebhook(d.headers, 42), (e) => e.code === 'INVALID_ARGUMENT');
  } finally {
    server.close();
  }
});

test('setTransport: fetch works too, and a host transport is classified without duplicate creates', async (t) => {
  const { setTransport } = await import('libcontacts');
  const { send: nodeSend } = (await import('../dist/node/node-transport.cjs')).default;
  t.after(() => setTransport(nodeSend));
  const client = pitClient({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
  const id = (await client.search.contacts({ locationId: sbx.locationId, pageLimit: 1 })).contacts[0].id;

  setTransport(null); // back to fetch (gloo-net)
  assert.equal((await client.contacts.get({ contactId: id })).contact.id, id);

  const seen = [];
  setTransport(async (method, url) => {
    seen.push(method);
    throw { kind: 'io', message: 'connection reset after the request was written' };
  });
  await rejects(client.contacts.create({ locationId: sbx.locationId, firstName: 'Once' }), 'TRANSPORT');
  assert.deepEqual(seen, ['POST'], 'a create that may have reached the server is not sent again');
  seen.length = 0;
  await rejects(client.contacts.get({ contactId: id }), 'TRANSPORT');
  assert.equal(seen.length, 3, 'an idempotent GET is retried up to maxAttempts');

  setTransport(async () => [200, ['content-type', 'application/json'], new TextEncoder().encode('{"contact":{"id":')]);
  await rejects(client.contacts.get({ contactId: id }), 'DECODE');
  setTransport(async () => ['two hundred', [], new Uint8Array()]);
  await rejects(client.contacts.get({ contactId: id }), 'TRANSPORT');
  setTransport(async () => [200, [], 'not bytes']);
  await rejects(client.contacts.get({ contactId: id }), 'TRANSPORT');
  setTransport(() => {
    throw new Error('transport exploded');
  });
  await rejects(client.contacts.create({ locationId: sbx.locationId, firstName: 'Never' }), 'TRANSPORT');
  assert.throws(() => setTransport('fetch'), (e) => e.code === 'INVALID_ARGUMENT');
});

test('the Node transport reports a refused connection as TRANSPORT, quickly', async () => {
  const dead = new ContactsClient({
    baseUrl: 'http://127.0.0.1:9',
    credentials: { kind: 'privateIntegrationToken', token: 'x' },
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
  });
  const e = await rejects(dead.contacts.get({ contactId: 'a' }), 'TRANSPORT');
  assert.match(e.message, /ECONNREFUSED/);
});

test('pages() fetches one page at a time', async () => {
  const it = pitClient().pages('contacts.search', { locationId: sbx.locationId, pageLimit: 2 });
  const first = it.next();
  await rejects(it.next(), 'INVALID_ARGUMENT');
  assert.equal((await first).done, false);
  assert.equal((await it.next()).done, false, 'the walk continues after the refusal');
  await it.return();
  assert.equal((await it.next()).done, true);
});

test('exchangeCode refuses bad params and options before sending', async () => {
  await rejects(exchangeCode({ clientId: CLIENT_ID }, { baseUrl: sbx.baseUrl }), 'INVALID_ARGUMENT');
  await rejects(exchangeCode({ clientId: CLIENT_ID, clientSecret: '', code: 'x' }, { baseUrl: sbx.baseUrl }), 'INVALID_ARGUMENT');
  await rejects(exchangeCode({ clientId: CLIENT_ID, clientSecret: 's', code: 'x' }, { baseURL: sbx.baseUrl }), 'INVALID_ARGUMENT');
  await rejects(exchangeCode({ clientId: CLIENT_ID, clientSecret: 's', code: 'x' }, { baseUrl: 'ftp://x' }), 'INVALID_ARGUMENT');
});
