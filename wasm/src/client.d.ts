/* The shapes wasm-bindgen cannot express: generic signatures and the error
   class. The settings (`ClientConfig`, `Credentials`, `OAuthTokens`,
   `WebhookVerifierOptions`) are generated from the catalog's `settings`.
   Merged into the generated .d.ts; tsc checks them against every export in
   wasm/js/test/types.test.ts. */

/** Options of one call. */
export interface CallOptions {
  /** Aborts the call: it rejects with `ContactsError` `CANCELLED`. */
  signal?: AbortSignal;
}

/**
 * A host's state store for `client.setStateStore` (runtime module): every
 * method may return a promise. Versions grow with every write and are never
 * reused; expired entries are absent; `take` is atomic.
 */
export interface StateStoreObject {
  get(key: string, nowMs: number): MaybePromise<{ value: JsonValue; version: number } | null>;
  put(key: string, value: JsonValue, ttlMs: number | null, nowMs: number): MaybePromise<number>;
  compareAndSet(key: string, expectedVersion: number | null, value: JsonValue, ttlMs: number | null, nowMs: number): MaybePromise<number | null>;
  delete(key: string, nowMs: number): MaybePromise<boolean>;
  list(prefix: string, limit: number, nowMs: number): MaybePromise<{ key: string; value: JsonValue; version: number }[]>;
  take(key: string, units: number, budget: { limit: number; windowMs: number }, nowMs: number): MaybePromise<{ granted: boolean; remaining: number; resetsAtMs: number }>;
}

/**
 * The fleet's store in the runtime module (`config.fleet.store`): every
 * client of the fleet, in any process, is given a store object over the
 * same shared storage (the host's Redis client, a KV), so they share one
 * rate budget and one token refresh per location. Its methods are
 * `StateStoreObject`'s, with the same rules; `compareAndSet` must be atomic
 * across processes. Merged into the generated `FleetConfig`.
 */
export interface FleetConfig {
  store?: StateStoreObject;
}

/** A value, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** A built request (sans-IO): send it with your own fetch. */
export interface BuiltRequest {
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  url: string;
  headers: [string, string][];
  body: string | null;
}

/** An HTTP response to hand to `parseResponse`. */
export interface RawResponse {
  status: number;
  headers?: WebhookHeaders;
  /** The raw body text or bytes. */
  body?: string | Uint8Array | ArrayBuffer | null;
}

/** Headers in any common shape: `Headers`, `Map`, pairs, or Node's `req.headers`. */
export type WebhookHeaders =
  | Headers
  | Map<string, string>
  | [string, string][]
  | Record<string, string | string[] | undefined>;

/** A condition of the shared language (`new Condition(json, scope)`). */
export type ConditionJson =
  | { all: ConditionJson[] }
  | { any: ConditionJson[] }
  | { not: ConditionJson }
  | { path: string; op: ConditionOperator; value?: JsonValue; valuePath?: string; ignoreCase?: boolean };

/**
 * The variables a condition or template may use: each `"any"`, the result
 * of a catalog action (or a field of it), a webhook payload, or nested
 * variables.
 */
export interface LanguageScope {
  [variable: string]:
    | "any"
    | { result: OperationName | string; at?: string }
    | { event: WebhookEventType }
    | { fields: LanguageScope };
}

/** `authorizeUrl(params)`. */
export interface AuthorizeUrlParams {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  /** An unguessable value tied to the admin's session; check it on the callback. */
  state: string;
  authorizeBaseUrl?: string;
  sameWindow?: boolean;
}

/** `exchangeCode(params)`. */
export interface ExchangeCodeParams {
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri?: string;
  userType?: "Location" | "Company";
}

/** What `catalog()` returns. */
export interface Catalog {
  name: string;
  apiVersion: string;
  /** The operations, then the composite actions (`kind: "composite"`). */
  actions: {
    name: OperationName;
    /** Prose: in `libcontacts/catalog.json`, not in `catalog()`. */
    summary?: string;
    /** Composite actions only: several calls, run by the core's driver. */
    kind?: "composite";
    /** Its group, for builders (`contacts`, `tasks`, …). */
    category: string;
    /** It only reads. In `catalog()`, absent when false. */
    readOnly?: boolean;
    /** It deletes or removes something. In `catalog()`, absent when false. */
    destructive?: boolean;
    /** Every scope the entry's requests need (an operation's one, or a composite's calls'). */
    scopes: string[];
    /** Operations only, as are the fields down to `successStatus`. */
    operationId?: string;
    method?: string;
    path?: string;
    scope?: string | null;
    version?: string;
    deprecated?: boolean;
    successStatus?: number;
    /** The token class the endpoint takes (`agency`-only calls are refused with a location token). */
    token?: "any" | "location" | "agency";
    /** Former names that still work (`customFields.list`). */
    aliases?: string[];
    /** Body fields the operation always sends (`appointments.cancel`). */
    fixed?: { [field: string]: string };
    idempotent: boolean;
    pagination: string;
    params: JsonValue;
    result: JsonValue;
  }[];
  /** Each trigger type once, however it arrives. */
  triggers: {
    type: WebhookEventType | PolledTriggerType;
    summary?: string;
    /** Its group, for builders. */
    category: string;
    /** How it arrives: by webhook, by poll, or both. */
    delivery: "webhook" | "poll" | "both";
    scope: string | null;
    /** Polled triggers: what a poll costs (in `libcontacts/catalog.json`, not in `catalog()`). */
    cost?: string;
    /** Polled triggers: the scopes a poll needs (in `libcontacts/catalog.json`, not in `catalog()`). */
    pollScopes?: string[];
    schema: JsonValue;
  }[];
  errorCodes: ContactsErrorCode[];
  /** The codes only a running call produces (never `buildRequest` or `parseResponse`). */
  engineOnlyErrorCodes: ContactsErrorCode[];
  /** The event stream's kinds and levels (`ContactsEvent`). */
  events: { kinds: ContactsEvent["kind"][]; levels: EventLevel[] };
  /**
   * The condition and template language: its JSON Schemas, operators,
   * filters and limits (in `libcontacts/catalog.json`, not in `catalog()`).
   */
  language?: {
    condition: JsonValue;
    template: JsonValue;
    operators: { name: ConditionOperator; summary?: string }[];
    filters: { name: TemplateFilter; summary?: string }[];
    limits: { maxDepth: number; regexMaxBytes: number };
  };
  /**
   * Mapping templates: the template's JSON Schema (`MappingTemplate`), the
   * transforms with their inverses, the rules, and what each target kind
   * writes (in `libcontacts/catalog.json`, not in `catalog()`).
   */
  mapping?: {
    template: JsonValue;
    transforms: { name: string; summary?: string; inverse: "identity" | "exact" | "none" }[];
    rules: { name: string; appliesTo: "field" | "record"; summary?: string }[];
    targets: { name: "contact" | "task" | "note"; action: OperationName }[];
  };
  /**
   * Flows: a flow's JSON Schema (`FlowDefinition`; in
   * `libcontacts/catalog.json`, not in `catalog()`).
   */
  flow?: JsonValue;
  /** One run of a flow: its JSON Schema (`FlowRun`; in `libcontacts/catalog.json`). */
  flowRun?: JsonValue;
  /**
   * The JSON Schemas of the settings (`ClientConfig`, `BuildConfig`,
   * `WebhookVerifierOptions`, `ExchangeConfig`), for builders that render
   * them (in `libcontacts/catalog.json`, not in `catalog()`).
   */
  settings?: { client: JsonValue; build: JsonValue; verifier: JsonValue; exchange: JsonValue };
  /**
   * The definitions the schemas' `$ref`s name, once for all (in
   * `catalog()`; in `libcontacts/catalog.json` each schema holds its own).
   */
  $defs?: { [name: string]: JsonValue };
}

/** Every failure of libcontacts. */
export declare class ContactsError extends Error {
  readonly name: "ContactsError";
  /** The stable code: branch on this. */
  readonly code: ContactsErrorCode;
  /** The HTTP status, when a response caused it. */
  readonly status: number | null;
  /** How long the server asked to wait (429), in ms. */
  readonly retryAfterMs: number | null;
  /** On RATE_LIMITED: the daily budget is spent (not the burst window); `retryAfterMs` is when the next probe may go. */
  readonly daily: boolean;
  /** HighLevel's trace id: quote it to their support. */
  readonly traceId: string | null;
  /** The scope a 401/403 said is missing. */
  readonly scope: string | null;
  /** Every message the server gave (validation errors list several). */
  readonly messages: string[];
  /** The response body, when kept (never for token responses). */
  readonly rawBody?: string;
}

/** What one poll found. */
export interface PollOutcome {
  /** The events, each with `type` and `dedupeId` (the webhook's of the same change). */
  events: PolledEvent[];
  /** Give it to the next poll, once the events are handled (a poll from the old one reports them again). */
  checkpoint: string;
  /** The request bound cut the poll short: poll again soon. */
  more: boolean;
  /** Requests the poll sent. */
  requests: number;
}

/** `client.watch`'s options. */
export interface WatchOptions {
  /** The polls' params. */
  params?: PollParams | null;
  /** Where to start (absent: the baseline, which reports nothing). */
  checkpoint?: string | null;
  /** The wait between polls (default 60000; none after a poll cut short). */
  intervalMs?: number;
  /** Ends the watch: the iterator finishes. */
  signal?: AbortSignal;
}

/** One polled trigger, or several (an array, or names joined by commas). */
export type Triggers = PolledTriggerType | PolledTriggerType[] | string;

export interface ContactsClient extends ContactsClientGroups {
  /** Runs any catalog operation by name with its params. */
  call<N extends OperationName>(name: N, params: OperationParams<N>, options?: CallOptions): Promise<OperationResult<N>>;
  /** The pages of a paginated operation, one engine call per page. */
  pages<N extends PaginatedOperationName>(name: N, params: OperationParams<N>, options?: CallOptions): AsyncIterableIterator<OperationResult<N>>;
  /** Polls triggers from a checkpoint (`null`: the baseline). Runtime module, with a state store. */
  poll(triggers: Triggers, params?: PollParams | null, checkpoint?: string | null, options?: CallOptions): Promise<PollOutcome>;
  /** Polls on an interval: each outcome when the loop asks for it. Runtime module, with a state store. */
  watch(triggers: Triggers, options?: WatchOptions): AsyncIterableIterator<PollOutcome>;
}

/** Builds (does not send) the request for an operation. */
export declare function buildRequest<N extends OperationName>(
  name: N,
  params: OperationParams<N>,
  config?: BuildConfig | null,
): BuiltRequest;
/** Parses a response to an operation; throws the `ContactsError` it means. */
export declare function parseResponse<N extends OperationName>(name: N, params: OperationParams<N>, response: RawResponse): OperationResult<N>;
/** The params of the next page, or `null` after the last. */
export declare function nextPage<N extends PaginatedOperationName>(name: N, params: OperationParams<N>, result: OperationResult<N>): OperationParams<N> | null;

/** Options of `client.on('event', listener, options)`. */
export interface EventOptions {
  /** The least severe level the listener gets (default `'info'`). */
  level?: EventLevel;
  /** Let events hold ids, queries and error messages (default false). */
  contactData?: boolean;
}

/** How much an event matters. */
export type EventLevel = "error" | "warn" | "info" | "debug";

/** The `X-RateLimit-*` headers of a response, where present. */
export interface RateLimitHeaders {
  max?: number;
  remaining?: number;
  intervalMs?: number;
  dailyLimit?: number;
  dailyRemaining?: number;
}

/**
 * One event of a client's stream, the same on every surface (the C ABI's
 * callback gets the same JSON). Never holds a token, secret, header value
 * or body.
 */
export type ContactsEvent = {
  /** Unix ms. */
  at: number;
  level: EventLevel;
  /** The engine's number for the call (0: no call's). */
  callId: number;
  /** The catalog name, e.g. `contacts.get`; `oauth.refreshToken` for a refresh. */
  op: string;
  location?: string;
} & (
  | { kind: "request"; method: string; path: string; attempt: number; url?: string }
  | { kind: "response"; status: number; durationMs: number; traceId?: string; rateLimit?: RateLimitHeaders }
  | { kind: "transport_error"; durationMs: number; mayHaveArrived: boolean }
  | { kind: "retry"; reason: "rate_limited" | "server" | "transport" | "unauthorized"; delayMs: number; attempt: number }
  | { kind: "rate_wait"; waitMs: number; limit: "burst" | "background"; lane: "interactive" | "background" }
  | { kind: "refresh_started" | "refresh_succeeded"; work: "refresh_location" | "refresh_agency" | "mint_location" }
  | { kind: "refresh_failed"; work: "refresh_location" | "refresh_agency" | "mint_location"; code: ContactsErrorCode }
  | { kind: "tokens_stored" | "tokens_store_failed" }
  | { kind: "webhook_accepted"; eventType?: string }
  | { kind: "webhook_refused"; code: ContactsErrorCode }
  | { kind: "finished"; code: ContactsErrorCode | "OK"; status?: number; durationMs: number; attempts: number; traceId?: string; message?: string }
);

/** `mapRecords(template, records, options)`. */
export interface MapOptions {
  /** Map HighLevel records (as `contacts.get` gives a contact) back to host records: a two-way template. */
  reverse?: boolean;
  /** The location's contact custom-field definitions (`locationCustomFields.list`'s result); needed for keys without a client. */
  customFields?: JsonValue;
  /** A client that fetches the definitions (one request, kept for `customFieldsTtlMs`). */
  client?: ContactsClient;
}

/** One error of one record: its path in the record read (`members[3].phone`), the field it maps to, and what is wrong. */
export interface MapError {
  path: string;
  target?: string;
  message: string;
}

/** The dry run's report: every record mapped, or every error of it. */
export interface MapReport {
  valid: number;
  invalid: number;
  records: ({ index: number; record: JsonValue } | { index: number; errors: MapError[] })[];
}

/** A flow as loaded (\`flow.summary()\`): its steps in run order, each with how an unlogged outcome is settled. */
export interface FlowSummary {
  name: string;
  fingerprint: string;
  trigger: { event: string } | { hostEvent: string };
  steps: { name: string; action: string; recovery: "marker" | "resend" | "unknown" }[];
}

/** One polled dispatch of a flow (\`flow.poll(params)\`). */
export interface FlowPoll {
  runs: FlowRun[];
  more: boolean;
  requests: number;
}

/** \`flow.log(options)\`: the latest runs, or one. */
export interface FlowLogOptions {
  limit?: number;
  runId?: string;
}

/** A run as the log keeps it (a \`FlowRun\` without \`replayed\`). */
export type FlowRecord = Omit<FlowRun, "replayed">;

/** The phone reader's answer for one number. */
export type PhoneAnswer = { e164: string } | { error: "unparseable" | "invalid" | "unknownRegion" };

/** `client.usage()`: the budget and counts of the client's location. */
export interface ClientUsage {
  locations: {
    location: string | null;
    at: number;
    /** Whose count what is left comes from: this client's, or (in a fleet) the fleet's shared store. */
    budget: "local" | "fleet";
    burst: { limit: number; remaining: number; intervalMs: number };
    daily: {
      limit: number;
      /** `null` until a response said. */
      remaining: number | null;
      /** HighLevel documents no reset: a spent day is probed every `probeEveryMs`. */
      reset?: { documented: false; probeEveryMs: number; nextProbeAt?: number };
    };
    lastHeaders: (RateLimitHeaders & { at: number }) | null;
    counts: { requests: number; rateLimited: number; retries: number; waits: number; waitMs: number; refreshes: number };
  }[];
}
