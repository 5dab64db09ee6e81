// Flows through the runtime module (libcontacts/runtime): every load and
// dispatch of tests/vectors/flows.json against a live sandbox, runFlow, a
// flow's run log in a host store object (what a widget keeps in
// IndexedDB), the phone module loaded only for a flow that maps phones, and
// the main module's refusal.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { pitConfig, root, startSandbox } from '../../../tests/support/sandbox.mjs';
import { ContactsClient, flowDeliveryStatus, runFlow, verifyWebhook } from 'libcontacts/runtime';
import { ContactsClient as MainClient } from 'libcontacts';
import { mapStore } from './map-store.mjs';
import { refused } from './refused.mjs';

const file = JSON.parse(readFileSync(`${root}/tests/vectors/flows.json`, 'utf8'));
const require = createRequire(import.meta.url);
const phoneLoaded = () => Object.keys(require.cache).some((k) => k.includes('/phone/node/'));

let sbx;
before(async () => {
  sbx = await startSandbox(['--seed', '2', '--threads', '1']);
});
after(() => sbx?.stop());

const subset = (expected, actual) => {
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.length === actual.length && expected.every((e, i) => subset(e, actual[i]));
  if (expected && typeof expected === 'object') return actual && typeof actual === 'object' && Object.entries(expected).every(([k, v]) => k in actual && subset(v, actual[k]));
  return expected === actual;
};


test('every flow vector loads, or is refused naming its JSON path', async () => {
  const client = new ContactsClient({ ...pitConfig(sbx), state: { memory: true } });
  for (const v of file.loads) {
    if (v.expect_error) {
      await refused(v.name, client.loadFlow(v.flow), v.expect_error);
    } else {
      const flow = await client.loadFlow(v.flow);
      assert.deepEqual(flow.summary().steps.map((s) => s.name), v.expect_order, v.name);
      if (v.expect_actions) assert.deepEqual(flow.summary().steps.map((s) => s.action), v.expect_actions, v.name);
    }
  }
  assert.equal(phoneLoaded(), false, 'no vector flow maps phones');
});

test('the dispatch vectors run each host event once, the log in a host store', async () => {
  const client = new ContactsClient(pitConfig(sbx));
  const store = mapStore();
  client.setStateStore(store);
  const spec = file.dispatches;
  const flow = await client.loadFlow(spec.flow);
  assert.equal(phoneLoaded(), true, 'a flow that maps phones loads the phone module');
  assert.equal(flow.name, 'vector-member-updated');
  for (const [i, v] of spec.events.entries()) {
    if (v.expect_error) {
      await refused(`event ${i}`, flow.run(v.event), v.expect_error);
      continue;
    }
    const run = await flow.run(v.event);
    assert.ok(subset(v.expect, run), `event ${i}: ${JSON.stringify(run)}`);
    if (v.expect_error_paths) assert.deepEqual(run.errors.map((e) => e.path), v.expect_error_paths);
  }
  const found = await client.call('contacts.search', {
    pageLimit: 10,
    locationId: sbx.locationId,
    filters: [{ field: 'email', operator: 'eq', value: 'ada@example.com' }],
  });
  const tasks = await client.call('tasks.list', { contactId: found.contacts[0].id });
  assert.equal(tasks.tasks.length, spec.expect_tasks);
  const log = await flow.log();
  assert.equal(log.length, 3);
  assert.ok([...store.entries.keys()].some((k) => k.startsWith('flow/vector-member-updated/run/')));
  assert.equal((await flow.log({ runId: log[0].runId })).runId, log[0].runId);
  await assert.rejects(flow.log({ runId: '0000' }), (e) => e.code === 'NOT_FOUND');
  await assert.rejects(flow.log({ limt: 1 }), (e) => e.code === 'INVALID_ARGUMENT' && /limt/.test(e.message));
  assert.deepEqual(await flow.resume(), []);
  await assert.rejects(flow.poll(), (e) => e.code === 'INVALID_ARGUMENT' && /host events/.test(e.message));
});

test('runFlow loads and runs a shipped flow for one event; a replay sends nothing', async () => {
  const client = new ContactsClient({ ...pitConfig(sbx), state: { memory: true } });
  const flow = JSON.parse(readFileSync(`${root}/examples/flows/form-lead-capture.json`, 'utf8'));
  const lead = { type: 'form.submitted', id: 'js-lead-1', data: { full_name: 'Jo Script', email: 'jo@example.com', phone: '+1 415 555 0142' } };
  const run = await runFlow(flow, lead, { client });
  assert.equal(run.state, 'done', JSON.stringify(run));
  assert.equal(run.mapped.phone, '+14155550142');
  const again = await runFlow(flow, lead, { client });
  assert.equal(again.replayed, true);
  await assert.rejects(runFlow(flow, lead, {}), (e) => e.code === 'INVALID_ARGUMENT' && /options.client/.test(e.message));
});

test('a client without a state store, and the main module, refuse flows', async () => {
  await assert.rejects(new ContactsClient(pitConfig(sbx)).loadFlow(file.dispatches.flow), (e) => e.code === 'INVALID_ARGUMENT' && /state store/.test(e.message));
  await assert.rejects(new MainClient(pitConfig(sbx)).loadFlow(file.dispatches.flow), (e) => e.code === 'INVALID_ARGUMENT' && /libcontacts\/runtime/.test(e.message));
});

test('a receiver answers each outcome with the status HighLevel acts on', async () => {
  assert.equal(flowDeliveryStatus(undefined), 200);
  let forged;
  try {
    verifyWebhook({ 'X-GHL-Signature': 'AAAA' }, '{"type":"ContactCreate"}');
  } catch (e) {
    forged = e;
  }
  assert.equal(forged?.code, 'WEBHOOK_SIGNATURE', String(forged));
  assert.equal(flowDeliveryStatus(forged), 401);
  assert.equal(flowDeliveryStatus({ code: 'WEBHOOK_REPLAY' }), 400);
  assert.equal(flowDeliveryStatus({ code: 'TIMEOUT' }), 429);
  assert.equal(flowDeliveryStatus(new Error('not ours')), 429, 'anything else: the run may go on');
});
