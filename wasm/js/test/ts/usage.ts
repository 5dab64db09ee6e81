// Compiled (not run) by types.test.mjs with tsc --strict: every export a
// user touches, typed from the generated declarations.
import {
  authorizeUrl,
  buildRequest,
  catalog,
  ContactsClient,
  ContactsError,
  exchangeCode,
  nextPage,
  parseResponse,
  verifyWebhook,
  WebhookVerifier,
  type ClientUsage,
  type Contact,
  type ContactsErrorCode,
  type ContactsEvent,
  type MappingTemplate,
  type MapReport,
  type OAuthTokens,
  type PollOutcome,
  type PollParams,
  type WebhookEvent,
} from 'libcontacts';
import { Condition, Template, type ConditionJson, type LanguageScope } from 'libcontacts/runtime';
import { loadRuntime } from 'libcontacts';

export async function usage(): Promise<void> {
  const client = new ContactsClient({ credentials: { kind: 'privateIntegrationToken', token: 'pit-x', locationId: 'loc' } });
  client.onTokens((t: OAuthTokens) => void t.refreshToken);
  const got = await client.contacts.get({ contactId: 'c1' });
  const contact: Contact = got.contact;
  const first: string | null | undefined = contact.firstName;
  const viaCall = await client.call('contacts.search', { locationId: 'loc', pageLimit: 10 });
  const total: number | null | undefined = viaCall.total;
  for await (const page of client.pages('contacts.search', { locationId: 'loc', pageLimit: 50 })) void page.contacts?.length;
  await client.search.tasks({ locationId: 'loc' });
  await client.notes.create({ contactId: 'c1', body: 'hi' }, { signal: new AbortController().signal });
  const req = buildRequest('contacts.get', { contactId: 'c1' }, { token: 't' });
  const parsed = parseResponse('contacts.get', { contactId: 'c1' }, { status: 200, headers: req.headers, body: '{}' });
  void parsed.contact;
  const next = nextPage('contacts.list', { locationId: 'loc' }, { contacts: [] });
  void next?.locationId;
  const event: WebhookEvent = verifyWebhook({ 'x-ghl-signature': 's' }, '{}');
  void new WebhookVerifier({ publicKeys: ['k'] }).verify(new Headers(), new Uint8Array(), 1);
  void catalog().actions.map((a) => a.name);
  void authorizeUrl({ clientId: 'c', redirectUri: 'r', scopes: ['contacts.readonly'], state: 's' });
  const tokens: OAuthTokens = await exchangeCode({ clientId: 'c', clientSecret: 's', code: 'x' }, { baseUrl: 'http://127.0.0.1' });
  try {
    await client.contacts.delete({ contactId: 'c1' });
  } catch (e) {
    if (e instanceof ContactsError) {
      const code: ContactsErrorCode = e.code;
      void [code, e.status, e.retryAfterMs, e.traceId, e.scope];
    }
  }
  void [first, total, event, tokens];
}

export async function language(): Promise<boolean> {
  const scope: LanguageScope = { contact: { result: 'contacts.get', at: 'contact' }, event: { event: 'ContactCreate' } };
  const rule: ConditionJson = { all: [{ path: 'contact.tags', op: 'contains', value: 'webinar' }, { not: { path: 'contact.email', op: 'exists' } }] };
  const c = new Condition(rule, scope);
  const rendered = new Template({ title: 'Call {{contact.firstName}}' }, scope).render({ contact: { firstName: 'Ada' } });
  const runtime = await loadRuntime();
  const again = new runtime.Condition({ path: 'contact.email', op: 'matches', value: '@acme' }, scope);
  return c.eval({ contact: {} }) && again.eval(rendered);
}

export async function triggers(): Promise<string> {
  const { ContactsClient: RuntimeClient } = await import('libcontacts/runtime');
  const client = new RuntimeClient({ credentials: { kind: 'privateIntegrationToken', token: 'pit-x', locationId: 'l' }, state: { memory: true } });
  const params: PollParams = { maxRequests: 50, reconcileEveryMs: 0, calendarIds: ['cal_1'] };
  const first: PollOutcome = await client.poll(['ContactCreate', 'TaskOverdue'], params);
  for (const e of first.events) {
    if (e.type === 'TaskOverdue') void [e.dueDate, e.dedupeId];
    if (e.type === 'ContactTagUpdate') void e.tags;
  }
  const ac = new AbortController();
  for await (const outcome of client.watch('ContactCreate,ContactUpdate', { checkpoint: first.checkpoint, intervalMs: 1000, signal: ac.signal })) {
    if (outcome.more) continue;
    ac.abort();
  }
  return first.checkpoint;
}

export async function events(): Promise<number> {
  const { ContactsClient: RuntimeClient, WebhookVerifier: RuntimeVerifier } = await import('libcontacts/runtime');
  const client = new RuntimeClient({ credentials: { kind: 'privateIntegrationToken', token: 'pit-x', locationId: 'l' } });
  const seen: string[] = [];
  const listener = (e: ContactsEvent) => {
    if (e.kind === 'finished') seen.push(`${e.code} ${e.attempts} ${e.durationMs}`);
    if (e.kind === 'retry') seen.push(`${e.reason} ${e.delayMs}`);
    if (e.kind === 'response' && e.rateLimit?.dailyRemaining !== undefined) seen.push(String(e.traceId));
  };
  client.on('event', listener, { level: 'debug', contactData: false });
  client.off('event', listener);
  new RuntimeVerifier().on('event', (e) => seen.push(e.kind), { level: 'warn' });
  const usage: ClientUsage = await client.usage();
  const me = usage.locations[0];
  return me.burst.remaining + (me.daily.remaining ?? 0) + me.counts.waitMs + seen.length;
}

export async function mapping(): Promise<number> {
  const { ContactsClient: RuntimeClient, mapRecords, phoneToE164 } = await import('libcontacts/runtime');
  const client = new RuntimeClient({ credentials: { kind: 'privateIntegrationToken', token: 'pit-x', locationId: 'l' }, customFieldsTtlMs: 60_000 });
  const template: MappingTemplate = {
    target: 'contact', direction: 'both', region: 'US',
    fields: [
      { from: 'name', to: ['firstName', 'lastName'], transforms: ['trim', 'splitName'], required: true },
      { from: 'mobile', to: 'phone', transforms: ['phone'] },
      { from: 'when', to: 'dateOfBirth', transforms: [{ fn: 'date', from: '%m/%d/%Y', to: 'date' }] },
      { from: 'size', customField: 'contact.shirt_size' },
    ],
    rules: [{ rule: 'anyPresent', paths: ['email', 'phone'] }],
  };
  const report: MapReport = await mapRecords(template, [{ name: 'Ada' }], { client, reverse: false });
  for (const r of report.records) if ('errors' in r) void r.errors.map((e) => `${e.path}: ${e.message}`);
  const answer = await phoneToE164('415 555 2671', 'US');
  await client.call('contacts.upsert', { locationId: 'l', email: 'a@b.co', customFields: [{ key: 'contact.shirt_size', fieldValue: 'M' }, { id: 'f1', fieldValue: 2 }] });
  return report.valid + ('e164' in answer ? 1 : 0);
}

export async function sync(): Promise<number> {
  const { ContactsClient: RuntimeClient } = await import('libcontacts/runtime');
  const client = new RuntimeClient({ credentials: { kind: 'privateIntegrationToken', token: 'pit-x', locationId: 'l' }, state: { memory: true } });
  const template: MappingTemplate = { name: 'members', target: 'contact', direction: 'both', fields: [{ from: 'email', to: 'email' }] };
  const rows = new Map<string, { [k: string]: unknown }>();
  const report = await client.syncPass(template, {
    changes: async (since, limit) => ({ records: [...rows.entries()].slice(Number(since ?? 0), limit).map(([id]) => ({ id, updatedAt: 1 })), checkpoint: String(rows.size) }),
    upsert: (w) => { const id = w.id ?? w.key; rows.set(id, w.fields); return { id, updatedAt: w.nowMs, fields: w.fields }; },
    delete: (id) => rows.delete(id),
  }, { name: 'members', fields: { email: 'host' }, deletes: { fromHighLevel: 'propagate' } }, {
    onProgress: (p) => void `${p.phase} ${p.done}/${p.total ?? '?'}`,
  });
  for (const item of report.items) void `${item.kind} ${item.hostId ?? ''}: ${item.message}`;
  return report.created.highlevel + report.updated.host + report.conflicts;
}
