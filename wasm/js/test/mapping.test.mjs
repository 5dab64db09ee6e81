// Mapping templates through the runtime module (libcontacts/runtime): every
// vector of tests/vectors/mapping.json and every number of
// tests/vectors/phones.json (the same answers as the native reader), the
// phone module loaded only for a template that reads phones, a client
// fetching the definitions from a live sandbox, and bad arguments.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { pitConfig, root, sandboxAdmin, startSandbox } from '../../../tests/support/sandbox.mjs';
import { ContactsClient, mapRecords, phoneToE164 } from 'libcontacts/runtime';
import { ContactsClient as MainClient } from 'libcontacts';
import { refused } from './refused.mjs';

const mapping = JSON.parse(readFileSync(`${root}/tests/vectors/mapping.json`, 'utf8'));
const phones = JSON.parse(readFileSync(`${root}/tests/vectors/phones.json`, 'utf8')).numbers;
const require = createRequire(import.meta.url);
const phoneLoaded = () => Object.keys(require.cache).some((k) => k.includes('/phone/node/'));

let sbx;
before(async () => {
  sbx = await startSandbox(['--seed', '4', '--threads', '1']);
});
after(() => sbx?.stop());


test('a template that reads no phone does not load the phone module', async () => {
  const report = await mapRecords({ target: 'note', fields: [{ from: 'text', to: 'body', required: true }] }, [{ text: 'hi' }, {}]);
  assert.deepEqual([report.valid, report.invalid], [1, 1]);
  assert.equal(phoneLoaded(), false);
});

test('mapping vectors', async () => {
  for (const v of mapping.vectors) {
    const options = { reverse: v.reverse ?? false, customFields: v.customFields === 'file' ? mapping.customFields : undefined };
    const run = mapRecords(v.template, v.records ?? [], options);
    if (v.expect_error) {
      await refused(v.name, run, v.expect_error);
      continue;
    }
    assert.deepEqual(await run, v.expect, v.name);
  }
  assert.equal(phoneLoaded(), true, 'the vectors read phones');
});

test('phone vectors: the same answers as the native reader', async () => {
  assert.ok(phones.length >= 200);
  for (const n of phones) assert.deepEqual(await phoneToE164(n.text, n.region), n.expect, JSON.stringify(n));
});

test('a client fetches the definitions once, and a key written reads back by key', async () => {
  const client = new ContactsClient(pitConfig(sbx));
  await client.call('locationCustomFields.create', { locationId: sbx.locationId, name: 'JS crew', dataType: 'SINGLE_OPTIONS', textBoxListOptions: [{ label: 'north' }, { label: 'south' }] });
  const template = {
    target: 'contact', direction: 'both', region: 'US', collection: 'members',
    fields: [
      { from: 'email', to: 'email', transforms: ['email'] },
      { from: 'mobile', to: 'phone', transforms: ['phone'] },
      { from: 'crew', customField: 'contact.js_crew', transforms: ['lower'] },
    ],
  };
  const stats = async () => (await sandboxAdmin(sbx, 'stats')).apiRequests;
  let before = await stats();
  const report = await mapRecords(template, [{ email: 'JS@Example.com', mobile: '(415) 555-2671', crew: 'North' }, { crew: 'east' }], { client });
  assert.equal(await stats() - before, 1, 'one request for the definitions');
  assert.equal(report.invalid, 1);
  assert.deepEqual(report.records[1].errors.map((e) => e.path), ['members[1].crew']);
  before = await stats();
  await mapRecords(template, [], { client });
  assert.equal(await stats() - before, 0, 'kept for customFieldsTtlMs');

  const params = { ...report.records[0].record, locationId: sbx.locationId };
  const { contact } = await client.call('contacts.upsert', params);
  const got = (await client.call('contacts.get', { contactId: contact.id })).contact;
  const back = await mapRecords(template, [got], { client, reverse: true });
  assert.deepEqual(back.records[0].record, { email: 'js@example.com', mobile: '+14155552671', crew: 'north' });
  client.free();
});

test('bad arguments are typed', async () => {
  const t = { target: 'contact', fields: [{ from: 'e', to: 'email' }] };
  await refused('records not a list', mapRecords(t, {}), { code: 'INVALID_ARGUMENT', message_starts_with: 'records must be an array' });
  await refused('an unknown option', mapRecords(t, [], { revers: true }), { code: 'INVALID_ARGUMENT', message_starts_with: 'options.revers' });
  await refused('a bad template', mapRecords({ target: 'contact', fields: 3 }, []), { code: 'INVALID_ARGUMENT', message_starts_with: '$.fields: must be a list' });
  await refused('a cycle', mapRecords(t, [(() => { const o = {}; o.o = o; return o; })()]), { code: 'INVALID_ARGUMENT', message_starts_with: 'records is not JSON' });
  await refused('a one-way template back', mapRecords(t, [{}], { reverse: true }), { code: 'INVALID_ARGUMENT', message_starts_with: 'the mapping template "mapping" is one-way' });
});

test('contact writes take custom fields by key in the runtime module; the main module says where they run', async () => {
  const client = new ContactsClient(pitConfig(sbx));
  await client.call('locationCustomFields.create', { locationId: sbx.locationId, name: 'JS hours', dataType: 'NUMERICAL' });
  const { contact } = await client.call('contacts.upsert', { locationId: sbx.locationId, email: 'bykey@example.com', customFields: [{ key: 'contact.js_hours', fieldValue: 7 }] });
  const fields = (await client.call('locationCustomFields.list', { locationId: sbx.locationId })).customFields;
  const id = fields.find((f) => f.fieldKey === 'contact.js_hours').id;
  const got = (await client.call('contacts.get', { contactId: contact.id })).contact;
  assert.deepEqual(got.customFields.find((f) => f.id === id)?.value, 7);
  const keyed = (await client.call('contacts.get', { contactId: contact.id, renderKeys: true })).contact;
  assert.equal(keyed.customFieldsByKey['contact.js_hours'], 7);
  await refused('a wrong type', client.call('contacts.update', { contactId: contact.id, customFields: [{ key: 'contact.js_hours', fieldValue: 'seven' }] }),
    { code: 'INVALID_ARGUMENT', message_starts_with: 'contacts.update: customFields[0]: contact.js_hours (NUMERICAL) takes a number' });
  const main = new MainClient(pitConfig(sbx));
  await refused('the main module', main.call('contacts.update', { contactId: contact.id, customFields: [{ key: 'contact.js_hours', fieldValue: 8 }] }),
    { code: 'INVALID_ARGUMENT', message_starts_with: 'contacts.update: custom fields by key need the location\'s definitions, which the runtime resolves' });
  client.free();
  main.free();
});
