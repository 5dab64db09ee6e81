// Two-way sync through the runtime module (libcontacts/runtime): a host
// object in memory (as a widget's IndexedDB adapter answers) against a live
// sandbox: a first pass matches and creates, a second changes nothing, an
// edit on each side crosses over, bad records are reported, a host that
// throws stops the pass with HOST, and the main module refuses.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pitConfig, startSandbox } from '../../../tests/support/sandbox.mjs';
import { ContactsClient } from 'libcontacts/runtime';
import { ContactsClient as MainClient } from 'libcontacts';
import { readFileSync } from 'node:fs';

let sbx;
before(async () => {
  sbx = await startSandbox(['--seed', '2', '--threads', '1']);
});
after(() => sbx?.stop());

const template = {
  name: 'js-members', target: 'contact', direction: 'both', region: 'US',
  fields: [
    { from: 'name', to: ['firstName', 'lastName'], transforms: ['trim', 'splitName'] },
    { from: 'email', to: 'email', transforms: ['email'], rules: [{ rule: 'email' }] },
    { from: 'phone', to: 'phone', transforms: ['phone'] },
    { from: 'city', to: 'city' },
  ],
};

/** A host in memory: its records in change order, each write appended. */
const memoryHost = (records) => {
  const log = records.map((r) => ({ ...r }));
  return {
    log,
    live: () => {
      const byId = new Map();
      for (const r of log) byId.set(String(r.id), r);
      return [...byId.values()].filter((r) => !r.deleted);
    },
    async changes(since, limit) {
      const from = Number(since ?? 0);
      const page = log.slice(from, from + limit);
      return { records: page, checkpoint: String(from + page.length), more: page.length === limit };
    },
    upsert(write) {
      const id = write.id ?? `js-${write.key}`;
      const old = this.live().find((r) => String(r.id) === id);
      const record = { id, updatedAt: write.nowMs, fields: { ...(old?.fields ?? {}), ...write.fields } };
      log.push(record);
      return record;
    },
    delete(id) {
      log.push({ id, updatedAt: Date.now(), deleted: true });
    },
  };
};

test('a first pass matches and creates, a second changes nothing, each side’s edit crosses over', async () => {
  const client = new ContactsClient({ ...pitConfig(sbx), state: { memory: true } });
  const listed = (await client.call('contacts.search', { locationId: sbx.locationId, pageLimit: 100 })).contacts;
  const twin = listed.find((c) => c.email);
  const host = memoryHost([
    { id: 1, updatedAt: 1, fields: { name: 'Ada Lovelace', email: ' Ada.JS@Example.com ', phone: '(415) 555-2671', city: 'London' } },
    { id: 2, updatedAt: 1, fields: { name: `${twin.firstName ?? ''} ${twin.lastName ?? ''}`.trim(), email: twin.email.toUpperCase() } },
  ]);
  const phases = [];
  const first = await client.syncPass(template, host, { name: 'js' }, { onProgress: (p) => phases.push(p) });
  assert.equal(first.first, true);
  assert.equal(first.matched, 1, JSON.stringify(first));
  assert.deepEqual(first.created, { highlevel: 1, host: listed.length - 1 }, JSON.stringify(first));
  assert.ok(phases.some((p) => p.phase === 'records' && p.done === p.total), JSON.stringify(phases.slice(-2)));
  const ada = (await client.call('contacts.search', { locationId: sbx.locationId, pageLimit: 10,
    filters: [{ field: 'email', operator: 'eq', value: 'ada.js@example.com' }] })).contacts[0];
  assert.equal(ada.phone, '+14155552671');
  assert.equal(ada.city, 'London');
  assert.equal(host.live().length, listed.length + 1);

  const second = await client.syncPass(template, host, { name: 'js' });
  assert.deepEqual([second.created, second.updated], [{ highlevel: 0, host: 0 }, { highlevel: 0, host: 0 }], JSON.stringify(second));

  host.log.push({ id: 1, updatedAt: Date.now(), fields: { ...host.live().find((r) => String(r.id) === '1').fields, city: 'Paris' } });
  await client.call('contacts.update', { contactId: twin.id, city: 'Reykjavik' });
  const third = await client.syncPass(template, host, { name: 'js' });
  assert.deepEqual(third.updated, { highlevel: 1, host: 1 }, JSON.stringify(third));
  assert.equal(host.live().find((r) => String(r.id) === '2').fields.city, 'Reykjavik');
  const again = await client.call('contacts.get', { contactId: ada.id });
  assert.equal(again.contact.city, 'Paris');
});

test('bad records are reported, a host that throws stops the pass with HOST, bad input is refused', async () => {
  const client = new ContactsClient({ ...pitConfig(sbx), state: { memory: true } });
  const host = memoryHost([
    { id: 'bad-phone', updatedAt: 1, fields: { name: 'Bad Phone', email: 'bad-phone@example.com', phone: '12' } },
    { id: '', updatedAt: 1, fields: {} },
    { id: 'no-time', fields: { email: 'no-time@example.com' } },
  ]);
  const report = await client.syncPass(template, host, { name: 'js-bad', dryRun: true });
  assert.equal(report.invalid, 1, JSON.stringify(report));
  assert.equal(report.errors, 2, JSON.stringify(report));
  assert.ok(report.items.some((i) => i.errors?.some((e) => e.path === 'phone' && /not a valid number/.test(e.message))));

  const broken = { ...memoryHost([]), changes: () => { throw new Error('the database is down'); } };
  await assert.rejects(client.syncPass(template, broken, { name: 'js-broken' }), (e) => e.code === 'HOST' && /syncHost\.changes: threw/.test(e.message));
  const lying = { ...memoryHost([]), changes: async () => 'nonsense' };
  await assert.rejects(client.syncPass(template, lying, { name: 'js-broken' }), (e) => e.code === 'HOST');
  await assert.rejects(client.syncPass(template, {}, { name: 'js-broken' }), (e) => e.code === 'INVALID_ARGUMENT' && /changes\(\)/.test(e.message));
  await assert.rejects(client.syncPass(template, host, { name: 'bad name' }), (e) => e.code === 'INVALID_ARGUMENT');
  await assert.rejects(client.syncPass({ ...template, direction: undefined }, host, { name: 'js' }), (e) => e.code === 'INVALID_ARGUMENT' && /two-way/.test(e.message));
  const stateless = new ContactsClient(pitConfig(sbx));
  await assert.rejects(stateless.syncPass(template, host, { name: 'js' }), (e) => e.code === 'INVALID_ARGUMENT' && /state store/.test(e.message));
  await assert.rejects(new MainClient(pitConfig(sbx)).syncPass(template, host, { name: 'js' }), (e) => e.code === 'INVALID_ARGUMENT' && /runtime/.test(e.message));
});

test('notes sync through a second host object, once', async () => {
  const client = new ContactsClient({ ...pitConfig(sbx), state: { memory: true } });
  const members = memoryHost([{ id: 'n1', updatedAt: 1, fields: { name: 'Noa Notes', email: `noa.${Date.now()}@example.com` } }]);
  const notes = memoryHost([
    { id: 'note-1', updatedAt: 1, fields: { member_id: 'n1', body: 'Call after six' } },
    { id: '', updatedAt: 1, fields: { member_id: 'n1', body: 'no id' } },
  ]);
  const first = await client.syncPass(template, members, { name: 'js-notes' }, { notes: { host: notes } });
  assert.deepEqual(first.notes.created.highlevel, 1, JSON.stringify(first.notes));
  assert.ok(first.items.some((i) => i.kind === 'error' && /host id is 1 to 256 bytes/.test(i.message)), 'a note with a bad id is reported');
  const contact = (await client.call('contacts.search', { locationId: sbx.locationId, pageLimit: 10,
    filters: [{ field: 'email', operator: 'eq', value: members.log[0].fields.email }] })).contacts[0];
  const listed = (await client.call('notes.list', { contactId: contact.id })).notes.map((n) => n.body);
  assert.deepEqual(listed, ['Call after six']);
  const again = await client.syncPass(template, members, { name: 'js-notes' }, { notes: { host: notes } });
  assert.deepEqual(again.notes.created, { highlevel: 0, host: 0 }, JSON.stringify(again.notes));
  await assert.rejects(client.syncPass(template, members, { name: 'js-notes' }, { notes: { host: {} } }),
    (e) => e.code === 'INVALID_ARGUMENT' && /notes\.host has no changes\(\)/.test(e.message));
});

test('appointments reach a third host object, one way and once', async () => {
  const client = new ContactsClient({ ...pitConfig(sbx), state: { memory: true } });
  const email = `ava.${Date.now()}@example.com`;
  const members = memoryHost([{ id: 'a1', updatedAt: 1, fields: { name: 'Ava Visits', email } }]);
  const visits = memoryHost([]);
  const settings = { name: 'js-visits', appointments: { calendarIds: ['cal_sandbox'] } };
  const options = { appointments: { host: visits, contactField: 'member' } };
  await client.syncPass(template, members, settings, options);
  const contact = (await client.call('contacts.search', { locationId: sbx.locationId, pageLimit: 10,
    filters: [{ field: 'email', operator: 'eq', value: email }] })).contacts[0];
  const now = Date.now();
  const slots = await client.call('calendars.freeSlots', { calendarId: 'cal_sandbox', startDate: now + 86_400_000, endDate: now + 3 * 86_400_000 });
  const slot = Object.values(slots).find((d) => d?.slots?.length).slots[0];
  const booked = await client.call('appointments.create', { calendarId: 'cal_sandbox', locationId: sbx.locationId,
    contactId: contact.id, startTime: slot, title: 'Site visit' });
  const report = await client.syncPass(template, members, settings, options);
  assert.equal(report.appointments.created, 1, JSON.stringify(report.appointments));
  const written = visits.live();
  assert.equal(written.length, 1, JSON.stringify(written));
  assert.equal(written[0].id, `js-${booked.id}`, 'written under the appointment id (the host keys on write.key)');
  assert.equal(written[0].fields.member, 'a1');
  assert.equal(written[0].fields.title, 'Site visit');
  const again = await client.syncPass(template, members, settings, options);
  assert.deepEqual([again.appointments.created, again.appointments.updated], [0, 0], JSON.stringify(again.appointments));
  await assert.rejects(client.syncPass(template, members, settings, { appointments: { host: visits, contactFeld: 'x' } }),
    (e) => e.code === 'INVALID_ARGUMENT' && /"contactFeld" is not a member/.test(e.message));
  const lying = { ...memoryHost([]), upsert: () => 'nonsense' };
  await assert.rejects(client.syncPass(template, members, { ...settings, name: 'js-visits-lying' }, { appointments: { host: lying } }),
    (e) => e.code === 'HOST' && /upsert answered what it may not/.test(e.message));
  await assert.rejects(client.syncPass(template, members, settings, { appointments: { host: {} } }),
    (e) => e.code === 'INVALID_ARGUMENT' && /appointments\.host has no changes\(\)/.test(e.message));
});

test('the SyncReport type names every member a report has, no more', async () => {
  const client = new ContactsClient({ ...pitConfig(sbx), state: { memory: true } });
  const report = await client.syncPass(template, memoryHost([]), { name: 'js-shape', dryRun: true });
  const types = readFileSync(new URL('../dist/runtime.d.ts', import.meta.url), 'utf8');
  const body = types.match(/export interface SyncReport \{([\s\S]*?)\n\}/)[1];
  // Top-level members only: a nested object's braces are skipped.
  let flat = body;
  for (let i = 0; i < 5 && /[{}]/.test(flat); i++) flat = flat.replace(/\{[^{}]*\}/g, '()');
  const declared = [...flat.matchAll(/(\w+)\??:/g)].map((m) => m[1]).sort();
  assert.deepEqual(declared, Object.keys(report).sort());
  assert.deepEqual(Object.keys(report.appointments).sort(), ['created', 'deleted', 'read', 'unlinked', 'updated']);
});
