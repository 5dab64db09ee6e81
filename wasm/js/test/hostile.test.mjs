// Bad input from JS: every case gets a typed ContactsError (never a trap,
// a plain TypeError or a silent success), and the module keeps working.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorizeUrl, buildRequest, ContactsClient, ContactsError, parseResponse, parseWebhookEvent, verifyWebhook, WebhookVerifier } from 'libcontacts';

const code = (f) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof ContactsError, `not a ContactsError: ${e}`);
    return e.code;
  }
  assert.fail('expected an error');
};

test('invalid UTF-16 / UTF-8 is refused with a code', () => {
  // A lone surrogate cannot be sent as UTF-8.
  assert.equal(code(() => buildRequest('contacts.get', { contactId: 'a\ud800b' })), 'INVALID_ARGUMENT');
  // A response body that is not UTF-8 is not the JSON the operation returns.
  const bad = new Uint8Array([0x7b, 0x22, 0x63, 0x6f, 0x6e, 0x74, 0x61, 0x63, 0x74, 0x22, 0x3a, 0xff, 0xfe, 0x7d]);
  assert.equal(code(() => parseResponse('contacts.get', { contactId: 'a' }, { status: 200, body: bad })), 'DECODE');
  assert.equal(code(() => parseWebhookEvent(new Uint8Array([0xc3, 0x28]))), 'DECODE');
  assert.equal(code(() => verifyWebhook({ 'x-ghl-signature': 'AAAA' }, new Uint8Array([0xff]))), 'WEBHOOK_SIGNATURE');
});

test('wrong shapes are refused with INVALID_ARGUMENT', () => {
  for (const f of [
    () => buildRequest(undefined, {}),
    () => buildRequest('contacts.get', 'contactId=a'),
    () => buildRequest('contacts.get', { contactId: 'a' }, { baseUrl: 'javascript:alert(1)' }),
    () => buildRequest('contacts.get', { contactId: 10n }),
    () => parseResponse('contacts.get', { contactId: 'a' }, null),
    () => parseResponse('contacts.get', { contactId: 'a' }, { status: 'ok' }),
    () => parseResponse('contacts.get', { contactId: 'a' }, { status: 200, headers: 5 }),
    () => parseResponse('contacts.get', { contactId: 'a' }, { status: 200, body: { contact: {} } }),
    () => verifyWebhook(42, '{}'),
    () => verifyWebhook({}, {}),
    () => new WebhookVerifier({ publicKeys: ['not a key'] }),
    () => new WebhookVerifier({ keys: [] }),
    () => new WebhookVerifier({ publicKeys: 'one key' }),
    () => new WebhookVerifier({ maxAgeMs: -1 }),
    () => authorizeUrl({ clientId: 'a', redirectUri: 'r', scopes: ['x'], state: 's', samewindow: true }),
    () => authorizeUrl({ clientId: 'a', redirectUri: 'r', scopes: 'x', state: 's' }),
    () => new ContactsClient({ credentials: { kind: 'privateIntegrationToken', token: 'pit-x' }, retry: { maxAttempts: 2 ** 32, baseDelayMs: 1, maxDelayMs: 1 } }),
    () => new ContactsClient(null),
    () => new ContactsClient({ credentials: { kind: 'oauth', tokens: { accessToken: 5 } } }),
  ]) {
    assert.equal(code(f), 'INVALID_ARGUMENT', f.toString());
  }
});

test('a truncated or empty success body is DECODE, an empty error body keeps its status', () => {
  const p = { contactId: 'a' };
  assert.equal(code(() => parseResponse('contacts.get', p, { status: 200, body: '{"contact":{"id":"a"' })), 'DECODE');
  assert.equal(code(() => parseResponse('contacts.get', p, { status: 200, body: '' })), 'DECODE');
  assert.throws(
    () => parseResponse('contacts.get', p, { status: 502, body: '' }),
    (e) => e instanceof ContactsError && e.code === 'SERVER' && e.status === 502,
  );
  // Still working after all of the above.
  assert.equal(buildRequest('contacts.get', p).url, 'https://services.leadconnectorhq.com/contacts/a');
});

test('time zone names are judged by Intl, in the exact case the API compares', () => {
  const slots = (timezone) =>
    buildRequest('calendars.freeSlots', { calendarId: 'cal_1', startDate: 1920000000000, endDate: 1920086400000, timezone });
  for (const good of ['America/New_York', 'UTC', 'Asia/Kolkata', 'US/Eastern']) {
    assert.ok(slots(good).url.includes('timezone='), good);
  }
  for (const bad of ['america/new_york', 'America/New_Yrok', 'Eastern Time', 'Mars/Olympus_Mons']) {
    assert.throws(() => slots(bad), (e) => e instanceof ContactsError && e.code === 'INVALID_ARGUMENT' && e.message.includes('IANA'), bad);
  }
});
