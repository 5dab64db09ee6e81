// The shared vectors (tests/vectors/, format in its README) through the JS
// API, the way a host with its own fetch uses it: buildRequest,
// parseResponse, nextPage, WebhookVerifier. Imports the package by name
// (self-reference through its exports map), so the built dist is tested.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildRequest, catalog, ContactsError, nextPage, parseResponse, parseWebhookEvent, WebhookVerifier } from 'libcontacts';

const dir = new URL('../../../tests/vectors/', import.meta.url);
const load = (f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
const config = { token: 'pit-vector-token' };

/** The README's subset match. */
function subset(expected, actual) {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    return (
      actual !== null &&
      typeof actual === 'object' &&
      !Array.isArray(actual) &&
      Object.keys(expected).every((k) => k in actual && subset(expected[k], actual[k]))
    );
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.length === actual.length && expected.every((e, i) => subset(e, actual[i]));
  }
  return expected === actual;
}

const bodyOf = (r) =>
  'body' in r ? JSON.stringify(r.body) : 'body_hex' in r ? Uint8Array.from(Buffer.from(r.body_hex, 'hex')) : (r.body_text ?? '');
const response = (r) => ({ status: r.status, headers: r.headers ?? {}, body: bodyOf(r) });
const header = (pairs, name) => pairs.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

function checkError(name, err, expect) {
  assert.ok(err instanceof ContactsError, `${name}: not a ContactsError: ${err}`);
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'ContactsError');
  assert.equal(err.code, expect.code, `${name}: ${err.message}`);
  if ('http_status' in expect) assert.equal(err.status, expect.http_status, name);
  if ('retry_after_ms' in expect) assert.equal(err.retryAfterMs, expect.retry_after_ms, name);
  if ('required_scope' in expect) assert.equal(err.scope, expect.required_scope, name);
  if ('trace_id' in expect) assert.equal(err.traceId, expect.trace_id, name);
  if ('messages' in expect) assert.deepEqual(err.messages, expect.messages, name);
  if ('raw_body' in expect) assert.equal(err.rawBody ?? null, expect.raw_body, name);
  if ('message_contains' in expect) assert.ok(err.message.includes(expect.message_contains), `${name}: ${err.message}`);
}

function throws(name, f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail(`${name}: expected an error`);
}

/** Runs one operation vector; returns the error code it produced, if any. */
function runOperation(v) {
  const { name, op, params } = v;
  if (!v.response && v.expect_error) {
    const err = throws(name, () => buildRequest(op, params, config));
    checkError(name, err, v.expect_error);
    return err.code;
  }
  const req = buildRequest(op, params, config);
  if (v.expect_request) {
    const want = v.expect_request;
    assert.equal(req.method, want.method, name);
    assert.equal(req.url, want.url, name);
    for (const [k, val] of Object.entries(want.headers ?? {})) assert.equal(header(req.headers, k), val, `${name}: ${k}`);
    for (const k of want.absent_headers ?? []) assert.equal(header(req.headers, k), undefined, `${name}: ${k} present`);
    if ('body' in want) assert.deepEqual(JSON.parse(req.body), want.body, `${name}: body`);
    if ('body_text' in want) assert.equal(req.body ?? '', want.body_text, `${name}: body`);
  }
  if (!v.response) return undefined;
  if (v.expect_error) {
    const err = throws(name, () => parseResponse(op, params, response(v.response)));
    checkError(name, err, v.expect_error);
    return err.code;
  }
  const out = parseResponse(op, params, response(v.response));
  if (v.expect_output) {
    assert.ok(subset(v.expect_output, out), `${name}: ${JSON.stringify(out)} lacks ${JSON.stringify(v.expect_output)}`);
  }
  return undefined;
}

test('operation vectors cover every catalog operation', () => {
  const vs = load('operations.json').vectors;
  const covered = new Set(vs.map((v) => v.op));
  // A composite makes many requests; its cases are the driver's (driver.test.mjs).
  for (const a of catalog().actions.filter((x) => x.kind !== 'composite')) assert.ok(covered.has(a.name), `no vector for ${a.name}`);
  for (const v of vs) assert.equal(runOperation(v), undefined, v.name);
});

test('error vectors give the same ContactsError on JS', () => {
  const codes = new Set();
  for (const v of load('errors.json').vectors) {
    const code = runOperation(v);
    assert.ok(code, `${v.name}: an error vector must fail`);
    codes.add(code);
  }
  // Every code but the engine-only ones comes from build, parse or webhooks.
  for (const v of load('webhooks.json').vectors) {
    for (const d of v.deliveries) if (d.expect_error) codes.add(d.expect_error.code);
  }
  const engineOnly = new Set(catalog().engineOnlyErrorCodes);
  for (const c of catalog().errorCodes) if (!engineOnly.has(c)) assert.ok(codes.has(c), `no vector produces ${c}`);
});

test('hostile ids are encoded or refused', () => {
  for (const v of load('hostile_ids.json').vectors) runOperation(v);
});

test('pagination vectors give the next params', () => {
  for (const v of load('pagination.json').vectors) {
    const page = parseResponse(v.op, v.params, response(v.response));
    if ('expect_next_error' in v) {
      const err = throws(v.name, () => nextPage(v.op, v.params, page));
      checkError(v.name, err, v.expect_next_error);
    } else {
      assert.deepEqual(nextPage(v.op, v.params, page), v.expect_next_params, v.name);
    }
  }
});

test('webhook vectors verify, type and refuse like the core', () => {
  const file = load('webhooks.json');
  for (const v of file.vectors) {
    const verifier = new WebhookVerifier({ publicKeys: [file.public_key] });
    for (const d of v.deliveries) {
      // Both body shapes a host has: the string and the raw bytes.
      const body = v.deliveries.indexOf(d) % 2 ? Buffer.from(d.body_text) : d.body_text;
      if (d.expect_error) {
        const err = throws(v.name, () => verifier.verify(d.headers, body, d.now_ms));
        checkError(v.name, err, d.expect_error);
      } else {
        const event = verifier.verify(d.headers, body, d.now_ms);
        assert.ok(subset(d.expect_event, event), `${v.name}: ${JSON.stringify(event)}`);
        // Typing without verifying gives the same event.
        assert.deepEqual(parseWebhookEvent(body), event, v.name);
      }
    }
  }
});

test('malformed bodies are DECODE, as on every surface', () => {
  const kinds = new Set();
  for (const v of load('malformed.json').vectors) {
    kinds.add(v.kind);
    let err;
    if (v.kind === 'event_body') {
      const body = 'body_hex' in v ? Uint8Array.from(Buffer.from(v.body_hex, 'hex')) : v.body_text;
      err = throws(v.name, () => parseWebhookEvent(body));
    } else if (v.kind === 'response_body') {
      err = throws(v.name, () => parseResponse(v.op, v.params, response(v.response)));
    } else if (v.kind === 'host_json') {
      continue; // JS hands over values, not JSON text: nothing to refuse.
    } else {
      assert.fail(`${v.name}: unknown kind ${v.kind}`);
    }
    checkError(v.name, err, { code: v.expect_code });
  }
  assert.deepEqual([...kinds].sort(), ['event_body', 'host_json', 'response_body']);
});
