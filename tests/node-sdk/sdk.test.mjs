// The official HighLevel Node SDK (@gohighlevel/api-client), unchanged, against
// contacts-sandbox: only its base URL is pointed at the sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startSandbox } from '../support/sandbox.mjs';

const require = createRequire(import.meta.url);
const { HighLevel } = require('@gohighlevel/api-client');

let sbx;
let ghl;
before(async () => {
  sbx = await startSandbox(['--seed', '5']);
  HighLevel.BASE_URL = sbx.baseUrl;
  ghl = new HighLevel({ privateIntegrationToken: sbx.pit, logLevel: 'error' });
});
after(() => sbx?.stop());

test('the official SDK creates, reads, updates and deletes a contact', async () => {
  const created = await ghl.contacts.createContact({
    locationId: sbx.locationId, firstName: 'Ada', lastName: 'Lovelace', email: 'ada.sdk@example.com',
  });
  const id = created.contact.id;
  assert.ok(id);
  const got = await ghl.contacts.getContact({ contactId: id });
  assert.equal(got.contact.firstName, 'Ada');
  const updated = await ghl.contacts.updateContact({ contactId: id }, { lastName: 'Byron' });
  assert.equal(updated.succeded, true);
  assert.equal(updated.contact.lastName, 'Byron');
  const deleted = await ghl.contacts.deleteContact({ contactId: id });
  assert.equal(deleted.succeded, true);
  await assert.rejects(ghl.contacts.getContact({ contactId: id }), (e) => e.statusCode === 404 || e.response?.status === 404 || /404/.test(String(e.message)));
});

test('the official SDK adds tags, creates and completes a task, creates and lists notes', async () => {
  const { contact } = await ghl.contacts.createContact({ locationId: sbx.locationId, firstName: 'Grace', email: 'grace.sdk@example.com' });
  const tags = await ghl.contacts.addTags({ contactId: contact.id }, { tags: ['vip', 'sdk'] });
  assert.deepEqual(tags.tags, ['vip', 'sdk']);

  const { task } = await ghl.contacts.createTask({ contactId: contact.id }, { title: 'Call back', dueDate: '2026-12-01T10:00:00Z', completed: false });
  assert.equal(task.completed, false);
  const done = await ghl.contacts.updateTaskCompleted({ contactId: contact.id, taskId: task.id }, { completed: true });
  assert.equal(done.task.completed, true);
  const tasks = await ghl.contacts.getAllTasks({ contactId: contact.id });
  assert.equal(tasks.tasks.length, 1);

  const { note } = await ghl.contacts.createNote({ contactId: contact.id }, { body: 'Met at the fair' });
  assert.equal(note.body, 'Met at the fair');
  const notes = await ghl.contacts.getAllNotes({ contactId: contact.id });
  assert.deepEqual(notes.notes.map((n) => n.id), [note.id]);
});

test('the official SDK searches and pages seeded contacts', async () => {
  const page = await ghl.contacts.getContacts({ locationId: sbx.locationId, limit: 3 });
  assert.equal(page.contacts.length, 3);
  assert.ok(page.meta.startAfterId);
  const search = await ghl.contacts.searchContactsAdvanced({ locationId: sbx.locationId, pageLimit: 2, page: 1 });
  assert.equal(search.contacts.length, 2);
});

test('the official SDK lists free slots, books an appointment through its calendars service, reads it back and lists users', async () => {
  const { calendars } = await ghl.calendars.getCalendars({ locationId: sbx.locationId });
  const calendarId = calendars[0].id;
  const day = 86_400_000;
  const range = { calendarId, startDate: Date.now() + 2 * day, endDate: Date.now() + 3 * day, timezone: 'America/New_York' };
  const slots = await ghl.calendars.getSlots(range);
  const first = Object.keys(slots).sort()[0];
  const slot = slots[first].slots[0];
  assert.match(slot, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00-0[45]:00$/);

  const { contact } = await ghl.contacts.createContact({ locationId: sbx.locationId, firstName: 'Alan', email: 'alan.sdk@example.com' });
  const booked = await ghl.calendars.createAppointment({
    calendarId, locationId: sbx.locationId, contactId: contact.id, startTime: slot, title: 'SDK demo',
  });
  assert.equal(booked.startTime, slot);
  const read = await ghl.calendars.getAppointment({ eventId: booked.id });
  assert.equal(read.event.id, booked.id);
  assert.equal(read.event.title, 'SDK demo');
  const after = await ghl.calendars.getSlots(range);
  assert.ok(!(after[first]?.slots ?? []).includes(slot), 'the booked slot is no longer free');
  const onContact = await ghl.contacts.getAppointmentsForContact({ contactId: contact.id });
  assert.deepEqual(onContact.events.map((e) => e.id), [booked.id]);

  const { users } = await ghl.users.getUserByLocation({ locationId: sbx.locationId });
  assert.equal(users.length, 3);
  assert.ok(users.every((u) => u.id && u.email));
});
