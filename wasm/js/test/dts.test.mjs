// The package's types against what the Rust code reads and writes, through
// the package: each settings interface (generated from the catalog's
// `settings` into wasm/src/generated.d.ts) names exactly the fields the
// core's reader accepts (the reader's "unknown field" error lists them), and
// the hand-written Catalog interface (wasm/src/client.d.ts) names every key
// catalog() returns. A field added on one side only fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { authorizeUrl, buildRequest, catalog, ContactsClient, ContactsError, exchangeCode, WebhookVerifier } from 'libcontacts';


const dts =
  readFileSync(new URL('../../src/client.d.ts', import.meta.url), 'utf8') +
  readFileSync(new URL('../../src/generated.d.ts', import.meta.url), 'utf8');

/** The property names of `export interface name { … }` (top level only). */
function interfaceFields(name) {
  const start = dts.indexOf(`export interface ${name} `);
  assert.ok(start >= 0, `the types have no interface ${name}`);
  return fieldsOfBlock(dts.slice(dts.indexOf('{', start)));
}

/** The property names of the `{ … }` object type `text` starts with. */
function fieldsOfBlock(text) {
  const fields = [];
  let depth = 0;
  for (const line of text.split('\n')) {
    const before = depth;
    for (const ch of line.replace(/\/\*.*?\*\//g, '')) {
      if (ch === '{' || ch === '(' || ch === '[') depth += 1;
      if (ch === '}' || ch === ')' || ch === ']') depth -= 1;
    }
    const m = before === 1 && line.match(/^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\??:/);
    if (m) fields.push(m[1]);
    if (depth <= 0 && before > 0) break;
  }
  return fields.sort();
}

/** The fields of an inline `{ a?: …; b: … }` type on one line. */
function inlineFields(text) {
  return [...text.matchAll(/([A-Za-z_$][\w$]*)\??:/g)].map((m) => m[1]).sort();
}

/** What the reader accepts: the list its unknown-field error gives. */
function readerFields(f) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof ContactsError, String(e));
    const m = e.message.match(/unknown field `zzUnknown`, expected one of ([^\n]*)$/);
    assert.ok(m, `not an unknown-field error: ${e.message}`);
    return m[1].split(', ').map((s) => s.replace(/[^\w$].*$/, '')).sort();
  }
  assert.fail('the unknown field was accepted');
}

const pit = { kind: 'privateIntegrationToken', token: 'pit-x' };

test('ClientConfig names exactly what the core reads', () => {
  const read = readerFields(() => new ContactsClient({ credentials: pit, zzUnknown: 1 }));
  assert.deepEqual(interfaceFields('ClientConfig'), read);
  const retry = readerFields(() => new ContactsClient({ credentials: pit, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, zzUnknown: 1 } }));
  assert.deepEqual(interfaceFields('RetryConfig'), retry);
  const rate = readerFields(() => new ContactsClient({ credentials: pit, rateLimits: { burstMax: 1, intervalMs: 1, dailyMax: 1, zzUnknown: 1 } }));
  assert.deepEqual(interfaceFields('RateLimitsConfig'), rate);
  const app = readerFields(() => new ContactsClient({ credentials: pit, oauthClient: { clientId: 'a', clientSecret: 'b', zzUnknown: 1 } }));
  assert.deepEqual(interfaceFields('OAuthClient'), app);
  const tokens = readerFields(() => new ContactsClient({ credentials: { kind: 'oauth', tokens: { accessToken: 'a', zzUnknown: 1 } } }));
  assert.deepEqual(interfaceFields('OAuthTokens'), tokens);
});

test('each Credentials variant names exactly what the core reads', () => {
  const tokens = { accessToken: 'a', refreshToken: 'r', expiresAtMs: 1, userType: 'Location', locationId: 'l' };
  const variants = {
    privateIntegrationToken: { ...pit },
    oauth: { kind: 'oauth', tokens },
    agency: { kind: 'agency', tokens: { ...tokens, userType: 'Company', companyId: 'c' }, locationId: 'l' },
  };
  const start = dts.indexOf('export type Credentials = ');
  const block = dts.slice(start, dts.indexOf('};', start));
  const declared = Object.fromEntries(
    block.split('} | {').map((variant) => [variant.match(/kind: "(\w+)"/)[1], inlineFields(variant.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^[^{]*\{/, ''))]),
  );
  assert.deepEqual(Object.keys(declared).sort(), Object.keys(variants).sort());
  for (const [kind, credentials] of Object.entries(variants)) {
    const read = readerFields(() => new ContactsClient({ credentials: { ...credentials, zzUnknown: 1 } }));
    assert.deepEqual(declared[kind], read, kind);
  }
});

test('the other settings interfaces name exactly what the core reads', () => {
  assert.deepEqual(interfaceFields('WebhookVerifierOptions'), readerFields(() => new WebhookVerifier({ zzUnknown: 1 })));
  const authorize = { clientId: 'a', redirectUri: 'https://x/cb', scopes: ['contacts.readonly'], state: 's' };
  assert.deepEqual(interfaceFields('AuthorizeUrlParams'), readerFields(() => authorizeUrl({ ...authorize, zzUnknown: 1 })));
  assert.deepEqual(interfaceFields('BuildConfig'), readerFields(() => buildRequest('contacts.get', { contactId: 'c' }, { zzUnknown: 1 })));
});

test('exchangeCode params and options name exactly what the core reads', async () => {
  const params = { clientId: 'a', clientSecret: 'b', code: 'c' };
  const catchOf = async (p) => {
    try {
      await p;
    } catch (e) {
      return () => {
        throw e;
      };
    }
    return () => {};
  };
  // The params are an operation's: read by its params schema in the catalog.
  const schema = catalog().actions.find((a) => a.name === 'oauth.exchangeCode').params;
  assert.deepEqual(interfaceFields('ExchangeCodeParams'), Object.keys(schema.properties).sort());
  const refused = await catchOf(exchangeCode({ ...params, zzUnknown: 1 }));
  assert.throws(refused, (e) => e.code === 'INVALID_ARGUMENT' && e.message.includes('zzUnknown'));
  const source = readFileSync(new URL('../../src/sansio.rs', import.meta.url), 'utf8');
  const declared = inlineFields(source.match(/unchecked_optional_param_type = "(\{[^"]*\})"/)[1]).filter((f) => f !== 'signal');
  const read = readerFields(await catchOf(exchangeCode(params, { zzUnknown: 1 })));
  assert.deepEqual(declared, read);
});

test('the Catalog interface names every key catalog() returns', () => {
  const c = catalog();
  // catalog() leaves out what the runtime never reads (language), which
  // only the catalog file has; the interface names the keys of both.
  const file = JSON.parse(readFileSync(new URL('../dist/catalog.json', import.meta.url), 'utf8'));
  assert.deepEqual(interfaceFields('Catalog'), [...new Set([...Object.keys(c), ...Object.keys(file)])].sort());
  const block = dts.slice(dts.indexOf('actions: {', dts.indexOf('export interface Catalog ')) + 'actions: '.length);
  const declared = new Set(fieldsOfBlock(block));
  for (const action of c.actions) {
    for (const key of Object.keys(action)) assert.ok(declared.has(key), `${action.name}: Catalog.actions lacks ${key}`);
  }
  const trigger = dts.match(/triggers: (\{[^}]*\})\[\]/)[1];
  // catalog() has no prose, cost rows or poll scopes; the catalog file has
  // the same shape with them (the last two for polled triggers only).
  const optional = new Set(['summary', 'cost', 'pollScopes']);
  const fields = inlineFields(trigger.replace(/\/\*[\s\S]*?\*\//g, ''));
  const required = fields.filter((f) => !optional.has(f));
  for (const t of c.triggers) assert.deepEqual(required, Object.keys(t).sort(), t.type);
  const docs = JSON.parse(readFileSync(new URL('../dist/catalog.json', import.meta.url), 'utf8'));
  for (const t of docs.triggers) {
    assert.deepEqual(required, Object.keys(t).filter((k) => !optional.has(k)).sort(), t.type);
    for (const k of Object.keys(t)) assert.ok(fields.includes(k), `${t.type}: Catalog.triggers lacks ${k}`);
    assert.equal('cost' in t, t.delivery !== 'webhook', `${t.type}: a cost row exactly when polled`);
  }
  for (const action of docs.actions) {
    for (const key of Object.keys(action)) assert.ok(declared.has(key), `${action.name}: Catalog.actions lacks ${key}`);
  }
});

test('catalog() is libcontacts/catalog.json without its prose, its definitions shared', () => {
  const lean = catalog();
  const docs = JSON.parse(readFileSync(new URL('../dist/catalog.json', import.meta.url), 'utf8'));
  const strip = (v, names = false) => {
    if (Array.isArray(v)) return v.map((x) => strip(x));
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => names || !['description', 'title', 'summary'].includes(k))
        .map(([k, x]) => [k, strip(x, !names && (k === 'properties' || k === '$defs'))]),
    );
  };
  const shared = {};
  const unshare = (schema) => {
    const { $defs, ...rest } = strip(schema);
    Object.assign(shared, $defs ?? {});
    return rest;
  };
  // The facts catalog() leaves to the file: cost rows, poll scopes, and
  // hints that are false.
  const lean_facts = (facts) =>
    Object.fromEntries(Object.entries(facts).filter(([k, v]) => !['cost', 'pollScopes'].includes(k) && !(['readOnly', 'destructive'].includes(k) && v === false)));
  assert.equal(lean.actions.length, docs.actions.length);
  docs.actions.forEach((a, i) => {
    const { params, result, ...all } = strip(a);
    const facts = lean_facts(all);
    const { params: leanParams, result: leanResult, ...leanFacts } = lean.actions[i];
    assert.deepEqual(leanFacts, facts, a.name);
    assert.deepEqual(leanParams, unshare(a.params), `${a.name} params`);
    assert.deepEqual(leanResult, unshare(a.result), `${a.name} result`);
  });
  docs.triggers.forEach((t, i) => {
    const { schema, ...all } = strip(t);
    const { schema: leanSchema, ...leanFacts } = lean.triggers[i];
    assert.deepEqual(leanFacts, lean_facts(all), t.type);
    assert.deepEqual(leanSchema, unshare(t.schema), t.type);
  });
  assert.deepEqual(lean.$defs, shared);
  // A property named like a prose keyword is a field, and stays.
  const create = lean.actions.find((a) => a.name === 'businesses.create');
  assert.equal(lean.$defs.Calendar.properties.description.type.includes('string'), true);
  assert.ok('description' in create.params.properties);
});

test("ContactsEvent's kinds are the catalog's events.kinds, and its levels the catalog's", () => {
  const start = dts.indexOf('export type ContactsEvent');
  const body = dts.slice(start, dts.indexOf(');', start));
  const kinds = [...body.matchAll(/kind: ((?:"[a-z_]+"(?: \| )?)+)/g)]
    .flatMap((m) => m[1].split(' | ').map((k) => k.slice(1, -1)));
  assert.deepEqual([...kinds].sort(), [...catalog().events.kinds].sort());
  const levels = dts.match(/export type EventLevel = ([^;]+);/)[1].split(' | ').map((l) => l.trim().slice(1, -1));
  assert.deepEqual(levels, catalog().events.levels);
});
