// Polling triggers through the npm package's runtime module against a live
// contacts-sandbox: the baseline reports nothing, a poll reports each change
// once with the webhook's dedupe id, a bad checkpoint is refused and changes
// nothing, a watch yields until its signal aborts, and the main module says
// where polling runs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pitConfig, sandboxAdmin, startSandbox } from '../../../tests/support/sandbox.mjs';
import { ContactsClient } from 'libcontacts';
import { ContactsClient as RuntimeClient } from 'libcontacts/runtime';

let sbx;
before(async () => {
  sbx = await startSandbox(['--seed', '6', '--threads', '1']);
});
after(() => sbx?.stop());

const polling = () => new RuntimeClient({ ...pitConfig(sbx), state: { memory: true } });
const create = (c, email) => c.contacts.create({ locationId: sbx.locationId, email }).then((r) => r.contact.id);

test('a poll reports a new contact once, and the next nothing', async () => {
  const client = polling();
  const base = await client.poll('ContactCreate,ContactUpdate');
  assert.deepEqual(base.events, []);
  assert.equal(base.requests, 1);
  const before = (await sandboxAdmin(sbx, 'stats')).apiRequests;
  const idle = await client.poll(['ContactCreate', 'ContactUpdate'], {}, base.checkpoint);
  assert.deepEqual(idle.events, []);
  assert.equal((await sandboxAdmin(sbx, 'stats')).apiRequests - before, 1, 'an idle poll is one request');
  const id = await create(client, `js-poll-${Date.now()}@example.com`);
  const out = await client.poll('ContactCreate,ContactUpdate', null, idle.checkpoint);
  assert.deepEqual(out.events.map((e) => [e.type, e.id]), [['ContactCreate', id]]);
  assert.match(out.events[0].dedupeId, /^[0-9a-f]{16}$/);
  const next = await client.poll('ContactCreate,ContactUpdate', null, out.checkpoint);
  assert.deepEqual(next.events, []);
});

test('bad triggers, params and checkpoints are refused, and the checkpoint still works', async () => {
  const client = polling();
  const base = await client.poll('ContactCreate');
  const refused = (p, re) => assert.rejects(p, (e) => e.code === 'INVALID_ARGUMENT' && re.test(e.message), String(re));
  await refused(client.poll('ContactExplode'), /unknown trigger/);
  await refused(client.poll('TaskDelete'), /only by webhook/);
  await refused(client.poll('ContactCreate', { maxRequests: 0 }), /maxRequests/);
  await refused(client.poll('ContactCreate', {}, base.checkpoint.slice(0, -2)), /corrupt/);
  await refused(client.poll('ContactCreate', {}, 'x'.repeat(5000)), /4096/);
  await refused(client.poll('ContactUpdate', {}, base.checkpoint), /triggers/);
  await refused(client.poll(7), /trigger name/);
  const ok = await client.poll('ContactCreate', {}, base.checkpoint);
  assert.deepEqual(ok.events, []);
  await assert.rejects(new ContactsClient(pitConfig(sbx)).poll('ContactCreate'), (e) => e.code === 'INVALID_ARGUMENT' && /libcontacts\/runtime/.test(e.message));
  await assert.rejects(new RuntimeClient(pitConfig(sbx)).poll('ContactCreate'), (e) => e.code === 'STATE' || /state/.test(e.message));
});

test('a watch yields each outcome, and ends when its signal aborts', async () => {
  const client = polling();
  const base = await client.poll('ContactCreate');
  const ac = new AbortController();
  const seen = [];
  const email = `js-watch-${Date.now()}@example.com`;
  let made = false;
  for await (const outcome of client.watch('ContactCreate', { checkpoint: base.checkpoint, intervalMs: 20, signal: ac.signal })) {
    seen.push(...outcome.events);
    if (!made) {
      made = true;
      await create(client, email);
    }
    if (seen.length > 0) ac.abort();
  }
  assert.deepEqual(seen.map((e) => e.email), [email]);
  assert.throws(() => client.watch('ContactCreate', { intervalMs: 0 }), (e) => e.code === 'INVALID_ARGUMENT');
});
