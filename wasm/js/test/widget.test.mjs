// The demo widget (wasm/examples/widget) in headless Chromium, driven by
// playwright-core against a sandbox this test starts: look a contact up by
// email, see the feed, add a note and see it appear, complete a task.
// Keeps a screenshot in tests/artifacts/widget.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../examples/widget/serve.mjs';
import { root, startSandbox } from '../../../tests/support/sandbox.mjs';
import { ContactsClient } from 'libcontacts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let sbx, site, browser;

before(async () => {
  sbx = await startSandbox(['--seed', '8', '--threads', '1']);
  site = await serve(0);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});
after(async () => {
  await browser?.close();
  site?.server.close();
  sbx?.stop();
});

test('look up a contact, add a note, complete a task', async () => {
  const api = new ContactsClient({ baseUrl: sbx.baseUrl, credentials: { kind: 'privateIntegrationToken', token: sbx.pit, locationId: sbx.locationId } });
  const email = `widget.${Date.now()}@example.com`;
  const { contact } = await api.contacts.create({ locationId: sbx.locationId, firstName: 'Grace', lastName: 'Hopper', email, tags: ['vip'] });
  await api.notes.create({ contactId: contact.id, body: 'Asked about pricing' });
  // Booked as a chat bot would: the calendar's first free slot tomorrow.
  const { calendars } = await api.calendars.list({ locationId: sbx.locationId });
  const day = 86_400_000;
  const slots = await api.calendars.freeSlots({ calendarId: calendars[0].id, startDate: Date.now() + day, endDate: Date.now() + 2 * day });
  const startTime = Object.values(slots).find((d) => d?.slots?.length).slots[0];
  await api.appointments.create({ calendarId: calendars[0].id, locationId: sbx.locationId, contactId: contact.id, startTime, title: 'Demo call' });
  const { task } = await api.tasks.create({ contactId: contact.id, title: 'Send the quote', dueDate: '2030-01-01T09:00:00Z', completed: false });

  const page = await browser.newPage({ viewport: { width: 420, height: 720 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const url = `${site.url}?api=${encodeURIComponent(sbx.baseUrl)}&token=${encodeURIComponent(sbx.pit)}&location=${sbx.locationId}`;
  await page.goto(url);
  await page.fill('#email', email);
  await page.click('#lookup button');
  await page.waitForSelector('#contact:not([hidden])', { timeout: 10000 });
  assert.equal(await page.textContent('#contact-name'), 'Grace Hopper');
  await page.waitForSelector('#feed li.note');
  assert.match(await page.textContent('#feed'), /Asked about pricing/);
  assert.match(await page.textContent('#feed li.appointment'), /Demo call/);

  await page.fill('#note-body', 'Quote sent by the widget test');
  await page.click('#add-note button');
  await page.waitForSelector('#feed li.note:has-text("Quote sent by the widget test")', { timeout: 10000 });
  // Newest first (activity.feed): the task due in 2030, tomorrow's
  // appointment, then the new note ahead of the older one.
  const kinds = await page.$$eval('#feed li', (items) => items.map((li) => li.className.split(' ')[0]));
  assert.deepEqual(kinds, ['task', 'appointment', 'note', 'note']);
  assert.match(await page.textContent('#feed li:first-child'), /Send the quote/);
  assert.match(await page.$$eval('#feed li.note', (notes) => notes[0].textContent), /Quote sent by the widget test/);

  // Follow up is a flow: a task and a note, once per contact per day, its
  // run log in localStorage (a reload keeps it).
  await page.click('#follow-up');
  await page.waitForFunction(() => document.querySelector('#follow-up-status').textContent === 'follow-up set', null, { timeout: 10000 });
  await page.reload();
  await page.fill('#email', email);
  await page.click('#lookup button');
  await page.waitForSelector('#feed li.note');
  await page.click('#follow-up');
  await page.waitForFunction(() => document.querySelector('#follow-up-status').textContent === 'already followed up today', null, { timeout: 10000 });
  const followUps = (await api.tasks.list({ contactId: contact.id })).tasks.filter((t) => t.title === 'Follow up with Grace Hopper');
  assert.equal(followUps.length, 1, 'the flow ran once');
  assert.ok((await api.notes.list({ contactId: contact.id })).notes.some((n) => n.body.includes(followUps[0].id)));

  await page.click(`#feed li[data-id="${task.id}"] button`);
  await page.waitForSelector(`#feed li.done[data-id="${task.id}"]`, { timeout: 10000 });
  const tasks = await api.tasks.list({ contactId: contact.id });
  assert.equal(tasks.tasks.find((t) => t.id === task.id).completed, true, 'the sandbox saw the completion');
  const notes = await api.notes.list({ contactId: contact.id });
  assert.ok(notes.notes.some((n) => n.body === 'Quote sent by the widget test'));

  mkdirSync(`${root}/tests/artifacts`, { recursive: true });
  await page.screenshot({ path: `${root}/tests/artifacts/widget.png`, fullPage: true });
  assert.deepEqual(errors, []);
  assert.equal(await page.isHidden('#error'), true);
});

test('an unknown email shows a clear message, not a crash', async () => {
  const page = await browser.newPage();
  await page.goto(`${site.url}?api=${encodeURIComponent(sbx.baseUrl)}&token=${encodeURIComponent(sbx.pit)}&location=${sbx.locationId}`);
  await page.fill('#email', 'nobody@example.invalid');
  await page.click('#lookup button');
  await page.waitForSelector('#error:not([hidden])', { timeout: 10000 });
  assert.match(await page.textContent('#error'), /nobody@example.invalid|NOT_FOUND/);
});

test('a sync with an IndexedDB host in Chromium: first pass, nothing twice, each side’s edit', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site.url}?api=${encodeURIComponent(sbx.baseUrl)}&token=${encodeURIComponent(sbx.pit)}&location=${sbx.locationId}`);
  const email = `idb.${Date.now()}@example.com`;
  const outcome = await page.evaluate(async ({ api, pit, location, email }) => {
    const { ContactsClient } = await import('../../js/dist/runtime/web/index.js');
    const { idbHost } = await import('./idb-host.js');
    const { localStore } = await import('./local-store.js');
    const client = new ContactsClient({ baseUrl: api, credentials: { kind: 'privateIntegrationToken', token: pit, locationId: location } });
    client.setStateStore(localStore('idb-sync:'));
    const host = await idbHost(`members-${Date.now()}`);
    await host.save('m1', { name: 'Lin Idb', email, city: 'Oslo' }, 1);
    const template = { name: 'idb-members', target: 'contact', direction: 'both',
      fields: [{ from: 'name', to: ['firstName', 'lastName'], transforms: ['trim', 'splitName'] },
               { from: 'email', to: 'email', transforms: ['email'] }, { from: 'city', to: 'city' }] };
    const settings = { name: 'idb' };
    const first = await client.syncPass(template, host, settings);
    const second = await client.syncPass(template, host, settings);
    const found = (await client.call('contacts.search', { locationId: location, pageLimit: 10,
      filters: [{ field: 'email', operator: 'eq', value: email }] })).contacts;
    await host.save('m1', { city: 'Bergen' });
    const other = (await host.all()).find((r) => r.id !== 'm1' && r.fields.email);
    const otherId = (await client.call('contacts.search', { locationId: location, pageLimit: 10,
      filters: [{ field: 'email', operator: 'eq', value: other.fields.email }] })).contacts[0].id;
    await client.call('contacts.update', { contactId: otherId, city: 'Tromsø' });
    const third = await client.syncPass(template, host, settings);
    const lin = (await client.call('contacts.get', { contactId: found[0].id })).contact;
    return { first, second, third, found: found.length, linCity: lin.city,
      otherCity: (await host.all()).find((r) => r.id === other.id).fields.city, records: (await host.all()).length };
  }, { api: sbx.baseUrl, pit: sbx.pit, location: sbx.locationId, email });
  assert.equal(outcome.first.created.highlevel, 1, JSON.stringify(outcome.first));
  assert.equal(outcome.first.created.host, outcome.records - 1, JSON.stringify(outcome.first));
  assert.equal(outcome.found, 1, 'one contact for the member');
  assert.deepEqual([outcome.second.created, outcome.second.updated], [{ highlevel: 0, host: 0 }, { highlevel: 0, host: 0 }], JSON.stringify(outcome.second));
  assert.deepEqual(outcome.third.updated, { highlevel: 1, host: 1 }, JSON.stringify(outcome.third));
  assert.equal(outcome.linCity, 'Bergen');
  assert.equal(outcome.otherCity, 'Tromsø');
  assert.deepEqual(errors, []);
});
