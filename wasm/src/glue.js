// The few things the Rust side cannot say in wasm-bindgen: an Error
// subclass, timers with AbortSignal, async iterators and plain-object
// shapes. No decisions live here; the engine makes them.

// The main module and the runtime module (libcontacts/runtime) each carry a
// copy of this file; both throw the one class registered first, so
// `instanceof ContactsError` holds whichever module threw.
const ERROR_CLASS = Symbol.for('libcontacts.ContactsError');

/**
 * Every failure of libcontacts: a real `Error` whose `code` is one of the
 * stable names (`NOT_FOUND`, `RATE_LIMITED`, ...), with the HTTP status, the
 * wait the server asked for, its trace id and the scope a 401/403 named.
 */
export const ContactsError =
  globalThis[ERROR_CLASS] ??
  (globalThis[ERROR_CLASS] = class ContactsError extends Error {
  constructor(message, fields) {
    super(message);
    this.name = 'ContactsError';
    this.code = fields.code;
    this.status = fields.status ?? null;
    this.retryAfterMs = fields.retryAfterMs ?? null;
    this.daily = fields.daily ?? false;
    this.traceId = fields.traceId ?? null;
    this.scope = fields.scope ?? null;
    this.messages = fields.messages ?? [];
    if (fields.rawBody !== undefined) this.rawBody = fields.rawBody;
  }
  });

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal && signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal) signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * An AbortController for one request: aborted by the caller's signal or
 * after `timeoutMs`, remembering which. Call `dispose()` when done.
 */
export class RequestAbort {
  constructor(userSignal, timeoutMs) {
    const controller = new AbortController();
    this.signal = controller.signal;
    this.timedOut = false;
    this.cancelled = false;
    this._user = userSignal || null;
    this._onAbort = () => {
      this.cancelled = true;
      controller.abort();
    };
    this._timer = setTimeout(() => {
      this.timedOut = true;
      controller.abort();
    }, timeoutMs);
    if (this._user) {
      if (this._user.aborted) this._onAbort();
      else this._user.addEventListener('abort', this._onAbort, { once: true });
    }
  }
  dispose() {
    clearTimeout(this._timer);
    if (this._user) this._user.removeEventListener('abort', this._onAbort);
  }
}

/** Whether `signal` (an AbortSignal or undefined) has aborted. */
export function isAborted(signal) {
  return !!(signal && signal.aborted);
}

/** An async iterable over `pages.next()` (which resolves `undefined` at the end). */
export function asyncIterable(pages) {
  let finished = false;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (finished) return { done: true, value: undefined };
      const value = await pages.next();
      if (value === undefined) {
        finished = true;
        pages.free();
        return { done: true, value: undefined };
      }
      return { done: false, value };
    },
    async return() {
      if (!finished) {
        finished = true;
        pages.free();
      }
      return { done: true, value: undefined };
    },
  };
}

/**
 * A frozen object of methods, each `call(operation, params, options)`. A
 * dotted method (`v2.get`) goes into a frozen sub-group (`group.v2.get`).
 */
export function makeGroup(call, methods, operations) {
  const group = {};
  methods.forEach((method, i) => {
    const op = operations[i];
    const path = method.split('.');
    let at = group;
    for (const part of path.slice(0, -1)) at = at[part] ??= {};
    at[path[path.length - 1]] = (params, options) => call(op, params, options);
  });
  for (const v of Object.values(group)) if (typeof v === 'object') Object.freeze(v);
  return Object.freeze(group);
}

/**
 * Headers as `[name, value]` pairs, from a `Headers`, a `Map`, an array of
 * pairs, or a plain object such as Node's `req.headers` (array values are
 * joined with ", "). Anything else throws a TypeError.
 */
export function headerPairs(headers) {
  if (headers == null) return [];
  const pairs = [];
  const push = (k, v) => {
    if (Array.isArray(v)) v = v.join(', ');
    if (typeof k !== 'string' || typeof v !== 'string') {
      throw new TypeError('header names and values must be strings');
    }
    pairs.push([k, v]);
  };
  if (typeof headers.forEach === 'function' && !Array.isArray(headers)) {
    // Headers and Map both call back with (value, key).
    headers.forEach((v, k) => push(k, v));
  } else if (Array.isArray(headers)) {
    for (const p of headers) {
      if (!Array.isArray(p) || p.length !== 2) throw new TypeError('header pairs must be [name, value]');
      push(p[0], p[1]);
    }
  } else if (typeof headers === 'object') {
    for (const k of Object.keys(headers)) push(k, headers[k]);
  } else {
    throw new TypeError('headers must be a Headers, Map, array of pairs or object');
  }
  return pairs;
}

/** The raw bytes of a body given as a string, Uint8Array (Buffer), ArrayBuffer or view. */
export function bodyBytes(body) {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('the body must be a string, Uint8Array, Buffer or ArrayBuffer (the raw bytes as received)');
}

/**
 * Whether `Intl` knows IANA time zone `zone`. Intl takes names in any case
 * and answers with its canonical spelling; the API compares them exactly, so
 * a name Intl spells differently only in case is refused. (A link such as
 * `US/Eastern` resolves to another name and is taken as given.)
 */
export function isTimeZone(zone) {
  let resolved;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
}
