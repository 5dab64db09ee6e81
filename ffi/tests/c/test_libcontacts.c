/* The C suite of libcontacts, against live sandboxes on loopback.
 *
 * Environment (tests/run.sh sets it): CONTACTS_BASE_URL, CONTACTS_PIT,
 * CONTACTS_LOCATION (a sandbox seeded with 30 contacts), CONTACTS_SLOW_BASE_URL
 * (a sandbox answering after 3 s), CONTACTS_ACCESS_TOKEN and
 * CONTACTS_REFRESH_TOKEN (an expired OAuth token set of the first sandbox).
 * Prints "N passed, M failed" and exits non-zero on any failure. */
#define _POSIX_C_SOURCE 200809L
#include "libcontacts.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;

#define CHECK(cond, ...)                                              \
  do {                                                                \
    if (cond) {                                                       \
      passed++;                                                       \
    } else {                                                          \
      failed++;                                                       \
      fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                   \
      fprintf(stderr, "\n");                                          \
    }                                                                 \
  } while (0)

static const char *env(const char *name) {
  const char *v = getenv(name);
  if (!v) {
    fprintf(stderr, "missing environment variable %s\n", name);
    exit(2);
  }
  return v;
}

/* Frees err and returns its code, or 0 for success. */
static int code_of(contacts_error *err) {
  if (!err) return 0;
  int code = (int)contacts_error_code(err);
  contacts_str m = contacts_error_message(err);
  if (getenv("CONTACTS_VERBOSE")) fprintf(stderr, "  (error %d: %.*s)\n", code, (int)m.len, m.ptr);
  contacts_error_free(err);
  return code;
}

static int contains(contacts_str s, const char *needle) { return s.ptr && strstr(s.ptr, needle) != NULL; }

static contacts_client *new_client(const char *base, const char *pit, const char *location,
                                   const contacts_token_store *store) {
  char cfg[1024];
  snprintf(cfg, sizeof cfg,
           "{\"baseUrl\":\"%s\",\"credentials\":{\"kind\":\"privateIntegrationToken\",\"token\":\"%s\","
           "\"locationId\":\"%s\"}}",
           base, pit, location);
  contacts_client *client = NULL;
  contacts_error *err = contacts_client_new(cfg, strlen(cfg), store, &client);
  CHECK(err == NULL && client != NULL, "client_new");
  code_of(err);
  return client;
}

/* A client whose state is a fresh SQLite file /tmp/libcontacts-c-<what>-<pid>.db
   (its path written to state_out, to remove when done). */
static contacts_client *new_state_client(const char *base, const char *pit, const char *location, const char *what,
                                         char *state_out, size_t state_cap) {
  char cfg[1024];
  snprintf(state_out, state_cap, "/tmp/libcontacts-c-%s-%ld.db", what, (long)getpid());
  remove(state_out);
  snprintf(cfg, sizeof cfg,
           "{\"baseUrl\":\"%s\",\"credentials\":{\"kind\":\"privateIntegrationToken\",\"token\":\"%s\","
           "\"locationId\":\"%s\"},\"state\":{\"sqlite\":\"%s\"}}",
           base, pit, location, state_out);
  contacts_client *c = NULL;
  CHECK(code_of(contacts_client_new(cfg, strlen(cfg), NULL, &c)) == 0, "client with state");
  return c;
}

static contacts_error *call(const contacts_client *c, const char *name, const char *params, contacts_result **out) {
  return contacts_client_call(c, name, strlen(name), params, strlen(params), out);
}

static void test_basics(void) {
  contacts_str v = contacts_version();
  CHECK(v.len > 0 && v.ptr[v.len] == '\0', "version");
  CHECK(contains(contacts_catalog_json(), "\"contacts.get\""), "catalog");
  {
    const char *ok = "{\"clientId\":\"app-1\",\"redirectUri\":\"https://x/cb\",\"scopes\":[\"contacts.readonly\"],\"state\":\"s\"}";
    contacts_result *u = NULL;
    CHECK(contacts_oauth_authorize_url(ok, strlen(ok), &u) == NULL, "authorize url");
    CHECK(u != NULL && contains(contacts_result_json(u), "client_id=app-1"), "authorize url text");
    contacts_result_free(u);
    const char *bad = "{\"clientId\":\"a\",\"redirectUri\":\"r\",\"scopes\":[],\"state\":\"s\"}";
    u = NULL;
    CHECK(code_of(contacts_oauth_authorize_url(bad, strlen(bad), &u)) == CONTACTS_CODE_INVALID_ARGUMENT && u == NULL,
          "authorize url refuses empty scopes");
  }
  contacts_str n = contacts_code_name(CONTACTS_CODE_NOT_FOUND);
  CHECK(strcmp(n.ptr, "NOT_FOUND") == 0, "code name %s", n.ptr);
  CHECK(strcmp(contacts_code_name(12345).ptr, "UNKNOWN") == 0, "unknown code");
  contacts_result *r = NULL;
  CHECK(code_of(call(NULL, "contacts.get", "{}", &r)) == CONTACTS_CODE_NULL_ARGUMENT, "NULL client");
  CHECK(r == NULL, "no output on error");
  contacts_client_free(NULL);
  contacts_error_free(NULL);
  contacts_result_free(NULL);
}

static void test_calls(const contacts_client *c, const char *location, char *id_out, size_t id_cap) {
  char params[512];
  /* A new email each run: the sandbox refuses duplicates, as HighLevel does. */
  snprintf(params, sizeof params, "{\"locationId\":\"%s\",\"firstName\":\"Ada\",\"email\":\"ada.%ld.%ld@example.com\"}",
           location, (long)getpid(), (long)time(NULL));
  contacts_result *r = NULL;
  int code = code_of(call(c, "contacts.create", params, &r));
  CHECK(code == 0 && r, "create: %d", code);
  contacts_str json = contacts_result_json(r);
  const char *idp = strstr(json.ptr, "\"id\":\"");
  CHECK(idp != NULL, "created id in %s", json.ptr);
  if (idp) {
    idp += 6;
    size_t n = strcspn(idp, "\"");
    if (n >= id_cap) n = id_cap - 1;
    memcpy(id_out, idp, n);
    id_out[n] = '\0';
  }
  contacts_result_free(r);
  snprintf(params, sizeof params, "{\"contactId\":\"%s\"}", id_out);
  r = NULL;
  CHECK(code_of(call(c, "contacts.get", params, &r)) == 0 && contains(contacts_result_json(r), "Ada"), "get");
  contacts_result_free(r);

  r = NULL;
  contacts_error *err = call(c, "contacts.get", "{\"contactId\":\"missing\"}", &r);
  CHECK(err && contacts_error_code(err) == CONTACTS_CODE_NOT_FOUND && contacts_error_http_status(err) == 404,
        "not found");
  code_of(err);
  CHECK(code_of(call(c, "contacts.nope", "{}", &r)) == CONTACTS_CODE_INVALID_ARGUMENT, "unknown op");
  CHECK(code_of(call(c, "contacts.get", "{\"contactId\": 7}", &r)) == CONTACTS_CODE_INVALID_ARGUMENT, "wrong type");
  CHECK(code_of(call(c, "contacts.get", "{oops", &r)) == CONTACTS_CODE_INVALID_JSON, "bad json");
  const char bad_utf8[] = {'c', (char)0xff, 0};
  CHECK(code_of(contacts_client_call(c, bad_utf8, 2, "{}", 2, &r)) == CONTACTS_CODE_INVALID_UTF8, "bad utf-8");
}

struct completion {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int calls;
  int code;
  int has_result;
};

static void on_done(void *userdata, contacts_result *result, contacts_error *error) {
  struct completion *d = userdata;
  pthread_mutex_lock(&d->mu);
  d->calls++;
  d->has_result = result != NULL;
  d->code = error ? (int)contacts_error_code(error) : 0;
  pthread_cond_signal(&d->cv);
  pthread_mutex_unlock(&d->mu);
  contacts_result_free(result);
  contacts_error_free(error);
}

static int wait_done(struct completion *d, int seconds) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += seconds;
  pthread_mutex_lock(&d->mu);
  while (d->calls == 0 && pthread_cond_timedwait(&d->cv, &d->mu, &until) == 0) {
  }
  int calls = d->calls;
  pthread_mutex_unlock(&d->mu);
  return calls;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_async_and_cancel(const contacts_client *c, const contacts_client *slow, const char *id,
                                  const char *slow_location) {
  char params[256];
  snprintf(params, sizeof params, "{\"contactId\":\"%s\"}", id);
  struct completion d = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, -1, 0};
  contacts_call *handle = NULL;
  contacts_error *err = contacts_client_call_async(c, "contacts.get", 12, params, strlen(params), on_done, &d, &handle);
  CHECK(err == NULL && handle, "async start");
  code_of(err);
  CHECK(wait_done(&d, 10) == 1 && d.code == 0 && d.has_result, "async completion: calls=%d code=%d", d.calls, d.code);
  contacts_call_cancel(handle); /* after completion: no second callback */
  contacts_call_free(handle);

  struct completion e = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, -1, 0};
  snprintf(params, sizeof params, "{\"locationId\":\"%s\"}", slow_location);
  double start = now_s();
  err = contacts_client_call_async(slow, "contacts.list", 13, params, strlen(params), on_done, &e, &handle);
  CHECK(err == NULL, "slow async start");
  code_of(err);
  contacts_call_cancel(handle);
  contacts_call_cancel(handle);
  contacts_call_free(handle);
  CHECK(wait_done(&e, 10) == 1 && e.code == CONTACTS_CODE_CANCELLED, "cancel: calls=%d code=%d", e.calls, e.code);
  CHECK(now_s() - start < 2.0, "cancel was prompt");
  struct timespec pause = {0, 100 * 1000 * 1000};
  nanosleep(&pause, NULL);
  CHECK(e.calls == 1, "completion ran exactly once (%d)", e.calls);
}

static void test_cursor(const contacts_client *c, const char *location) {
  char params[256];
  snprintf(params, sizeof params, "{\"locationId\":\"%s\",\"limit\":10}", location);
  contacts_cursor *cur = NULL;
  contacts_error *err = contacts_cursor_new(c, "contacts.list", 13, params, strlen(params), &cur);
  CHECK(err == NULL && cur, "cursor");
  code_of(err);
  int pages = 0, contacts = 0;
  for (;;) {
    contacts_result *page = NULL;
    err = contacts_cursor_next(cur, &page);
    if (err) {
      CHECK(0, "cursor_next %d", code_of(err));
      break;
    }
    if (!page) break;
    pages++;
    for (const char *p = contacts_result_json(page).ptr; (p = strstr(p, "\"dateAdded\"")); p++) contacts++;
    contacts_result_free(page);
  }
  contacts_cursor_free(cur);
  /* 30 seeded, plus one per run of this suite against the same sandbox */
  CHECK(pages >= 4 && contacts >= 31, "pages=%d contacts=%d", pages, contacts);
}

static void test_sans_io(void) {
  const char *cfg = "{\"baseUrl\":\"https://services.leadconnectorhq.com\",\"token\":\"pit-c\"}";
  const char *params = "{\"contactId\":\"a/b\"}";
  contacts_request *req = NULL;
  contacts_error *err = contacts_request_build(cfg, strlen(cfg), "contacts.get", 12, params, strlen(params), &req);
  CHECK(err == NULL && req, "build");
  code_of(err);
  CHECK(strcmp(contacts_request_method(req).ptr, "GET") == 0, "method");
  CHECK(strcmp(contacts_request_url(req).ptr, "https://services.leadconnectorhq.com/contacts/a%2Fb") == 0, "url %s",
        contacts_request_url(req).ptr);
  int auth = 0;
  for (size_t i = 0; i < contacts_request_header_count(req); i++) {
    contacts_header h = contacts_request_header(req, i);
    if (strcmp(h.name.ptr, "Authorization") == 0 && strcmp(h.value.ptr, "Bearer pit-c") == 0) auth = 1;
  }
  CHECK(auth, "bearer header");
  CHECK(contacts_request_body(req).len == 0, "no body on GET");

  const char *ok_body = "{\"contact\":{\"id\":\"a/b\",\"firstName\":\"Ada\"}}";
  contacts_header_in ct = {"content-type", 12, "application/json", 16};
  contacts_http_response resp = {200, &ct, 1, (const uint8_t *)ok_body, strlen(ok_body)};
  contacts_result *res = NULL;
  CHECK(code_of(contacts_request_parse_response(req, &resp, &res)) == 0 && contains(contacts_result_json(res), "Ada"),
        "parse ok");
  contacts_result_free(res);
  const char *rl_body = "{\"statusCode\":429,\"message\":\"Too Many Requests\"}";
  contacts_header_in ra = {"Retry-After", 11, "2", 1};
  contacts_http_response limited = {429, &ra, 1, (const uint8_t *)rl_body, strlen(rl_body)};
  err = contacts_request_parse_response(req, &limited, &res);
  CHECK(err && contacts_error_code(err) == CONTACTS_CODE_RATE_LIMITED && contacts_error_retry_after_ms(err) == 2000,
        "429 classified");
  code_of(err);
  contacts_http_response truncated = {200, NULL, 0, (const uint8_t *)ok_body, 10};
  CHECK(code_of(contacts_request_parse_response(req, &truncated, &res)) == CONTACTS_CODE_DECODE, "truncated body");
  contacts_request_free(req);
}

/* A delivery from tests/vectors/webhooks.json (its first vector), passed in by
 * tests/c-suite.sh: the key as a JSON array, the raw body, its signature and
 * the time it is checked at. */
static void test_webhooks(void) {
  const char *key = env("CONTACTS_WEBHOOK_KEYS");
  const char *body = env("CONTACTS_WEBHOOK_BODY");
  const char *signature = env("CONTACTS_WEBHOOK_SIGNATURE");
  uint64_t now = strtoull(env("CONTACTS_WEBHOOK_NOW_MS"), NULL, 10);
  contacts_webhook_verifier *v = NULL;
  CHECK(code_of(contacts_webhook_verifier_new(key, strlen(key), 0, &v)) == 0 && v, "verifier");
  contacts_header_in h = {"X-GHL-Signature", 15, signature, strlen(signature)};
  contacts_result *ev = NULL;
  const char *WH_BODY = body;
  int code = code_of(contacts_webhook_verify(v, &h, 1, (const uint8_t *)WH_BODY, strlen(WH_BODY), now, &ev));
  CHECK(code == 0 && contains(contacts_result_json(ev), "\"type\":\"ContactCreate\""), "verified: %d", code);
  contacts_result_free(ev);
  CHECK(code_of(contacts_webhook_verify(v, &h, 1, (const uint8_t *)WH_BODY, strlen(WH_BODY), now, &ev)) ==
            CONTACTS_CODE_WEBHOOK_REPLAY,
        "replay");
  char forged[4096];
  snprintf(forged, sizeof forged, "%s", WH_BODY);
  forged[strlen(forged) / 2] ^= 1; /* one byte changed */
  CHECK(code_of(contacts_webhook_verify(v, &h, 1, (const uint8_t *)forged, strlen(forged), now, &ev)) ==
            CONTACTS_CODE_WEBHOOK_SIGNATURE,
        "one-byte change");
  CHECK(code_of(contacts_webhook_verify(v, NULL, 0, (const uint8_t *)WH_BODY, strlen(WH_BODY), now, &ev)) ==
            CONTACTS_CODE_WEBHOOK_SIGNATURE,
        "missing signature");
  contacts_webhook_verifier_free(v);
  CHECK(code_of(contacts_webhook_parse_event((const uint8_t *)WH_BODY, strlen(WH_BODY), &ev)) == 0 &&
            contains(contacts_result_json(ev), "ct_1"),
        "parse event");
  contacts_result_free(ev);
}

/* The condition and template language: load once against a scope, run
 * many times; every refusal names its JSON path. */
static void test_lang(void) {
  const char *scope = "{\"contact\":{\"result\":\"contacts.get\",\"at\":\"contact\"}}";
  const char *cond = "{\"all\":[{\"path\":\"contact.tags\",\"op\":\"contains\",\"value\":\"webinar\"},"
                     "{\"path\":\"contact.email\",\"op\":\"matches\",\"value\":\"@acme\\\\.io$\"}]}";
  contacts_condition *c = NULL;
  CHECK(code_of(contacts_condition_new(cond, strlen(cond), scope, strlen(scope), &c)) == 0 && c, "condition loads");
  bool matched = false;
  const char *lead = "{\"contact\":{\"tags\":[\"webinar\"],\"email\":\"ada@acme.io\"}}";
  CHECK(code_of(contacts_condition_eval(c, lead, strlen(lead), &matched)) == 0 && matched, "condition met");
  const char *other = "{\"contact\":{\"tags\":[],\"email\":\"ada@acme.io\"}}";
  CHECK(code_of(contacts_condition_eval(c, other, strlen(other), &matched)) == 0 && !matched, "condition not met");
  CHECK(code_of(contacts_condition_eval(c, "{", 1, &matched)) == CONTACTS_CODE_INVALID_JSON, "data not JSON");
  CHECK(code_of(contacts_condition_eval(c, lead, strlen(lead), NULL)) == CONTACTS_CODE_NULL_ARGUMENT, "NULL out");
  CHECK(code_of(contacts_condition_eval(NULL, lead, strlen(lead), &matched)) == CONTACTS_CODE_NULL_ARGUMENT,
        "NULL condition");
  contacts_condition_free(c);
  contacts_condition_free(NULL);

  const char *typo = "{\"path\":\"contact.emial\",\"op\":\"equals\",\"value\":1}";
  contacts_condition *bad = NULL;
  contacts_error *err = contacts_condition_new(typo, strlen(typo), scope, strlen(scope), &bad);
  CHECK(err && contacts_error_code(err) == CONTACTS_CODE_INVALID_ARGUMENT && bad == NULL, "a typo is refused");
  CHECK(err && contains(contacts_error_message(err), "$.path: contact has no field \"emial\""), "naming its path");
  contacts_error_free(err);
  const char *latin1 = "{\"path\":\"contact.email\",\"op\":\"eq\",\"value\":\"\xe9\"}";
  CHECK(code_of(contacts_condition_new(latin1, strlen(latin1), scope, strlen(scope), &bad)) ==
            CONTACTS_CODE_INVALID_UTF8,
        "invalid UTF-8");
  CHECK(code_of(contacts_condition_new(cond, strlen(cond), scope, strlen(scope), NULL)) ==
            CONTACTS_CODE_NULL_ARGUMENT,
        "NULL condition_out");

  const char *tmpl = "{\"title\":\"Call {{contact.firstName | upper}}\",\"tags\":\"{{contact.tags}}\"}";
  contacts_template *t = NULL;
  CHECK(code_of(contacts_template_new(tmpl, strlen(tmpl), scope, strlen(scope), &t)) == 0 && t, "template loads");
  const char *data = "{\"contact\":{\"firstName\":\"Ada\",\"tags\":[\"vip\"]}}";
  contacts_result *out = NULL;
  CHECK(code_of(contacts_template_render(t, data, strlen(data), &out)) == 0 &&
            contains(contacts_result_json(out), "\"title\":\"Call ADA\"") &&
            contains(contacts_result_json(out), "\"tags\":[\"vip\"]"),
        "template rendered");
  contacts_result_free(out);
  CHECK(code_of(contacts_template_render(t, data, strlen(data), NULL)) == CONTACTS_CODE_NULL_ARGUMENT, "NULL out");
  contacts_template_free(t);
  const char *shout = "\"{{contact.firstName | shout}}\"";
  contacts_template *bad_t = NULL;
  CHECK(code_of(contacts_template_new(shout, strlen(shout), scope, strlen(scope), &bad_t)) ==
                CONTACTS_CODE_INVALID_ARGUMENT && bad_t == NULL,
        "unknown filter");
  contacts_template_free(NULL);
}

struct shared_calls {
  const contacts_client *client;
  const char *params;
  int failures;
};

static void *worker(void *arg) {
  struct shared_calls *s = arg;
  for (int i = 0; i < 20; i++) {
    contacts_result *r = NULL;
    if (code_of(call(s->client, "contacts.get", s->params, &r)) != 0) s->failures++;
    contacts_result_free(r);
  }
  return NULL;
}

/* The mapping dry run: a client fetches the location's definitions for a
 * key; records map, or give every error with its path; back with the
 * reverse flag. */
static void test_mapping(const contacts_client *c, const char *location) {
  char field[256];
  snprintf(field, sizeof field, "{\"locationId\":\"%s\",\"name\":\"C crew\",\"dataType\":\"TEXT\"}", location);
  contacts_result *r = NULL;
  const char *create = "locationCustomFields.create";
  /* The .so and .a runs share one sandbox: the second finds the field made. */
  contacts_error *made = contacts_client_call(c, create, strlen(create), field, strlen(field), &r);
  CHECK(made == NULL || contains(contacts_error_message(made), "already exists"), "a field");
  contacts_error_free(made);
  contacts_result_free(r);
  const char *tmpl = "{\"target\":\"contact\",\"direction\":\"both\",\"region\":\"US\",\"collection\":\"members\","
                     "\"fields\":[{\"from\":\"mobile\",\"to\":\"phone\",\"transforms\":[\"phone\"]},"
                     "{\"from\":\"crew\",\"customField\":\"contact.c_crew\"}]}";
  const char *records = "[{\"mobile\":\"415 555 2671\",\"crew\":\"north\"},{\"mobile\":\"12\"}]";
  r = NULL;
  CHECK(code_of(contacts_map_records(c, tmpl, strlen(tmpl), records, strlen(records), NULL, 0, 0, &r)) == 0 && r,
        "map records");
  CHECK(r && contains(contacts_result_json(r), "\"phone\":\"+14155552671\"") &&
            contains(contacts_result_json(r), "\"fieldValue\":\"north\"") &&
            contains(contacts_result_json(r), "\"path\":\"members[1].mobile\"") &&
            contains(contacts_result_json(r), "\"invalid\":1"),
        "mapped, and the bad phone named by path");
  contacts_result_free(r);
  const char *contact = "[{\"phone\":\"+14155552671\"}]";
  r = NULL;
  CHECK(code_of(contacts_map_records(NULL, tmpl, strlen(tmpl), contact, strlen(contact), "[]", 2, CONTACTS_MAP_REVERSE,
                                     &r)) == CONTACTS_CODE_INVALID_ARGUMENT,
        "an unknown key with the definitions given");
  const char *one = "{\"target\":\"contact\",\"direction\":\"both\",\"fields\":[{\"from\":\"m\",\"to\":\"phone\"}]}";
  CHECK(code_of(contacts_map_records(NULL, one, strlen(one), contact, strlen(contact), NULL, 0, CONTACTS_MAP_REVERSE,
                                     &r)) == 0 &&
            contains(contacts_result_json(r), "\"m\":\"+14155552671\""),
        "mapped back");
  contacts_result_free(r);
  r = NULL;
  CHECK(code_of(contacts_phone_to_e164("020 7946 0958", 13, "GB", 2, &r)) == 0 &&
            contains(contacts_result_json(r), "+442079460958"),
        "phone to E.164");
  contacts_result_free(r);
  CHECK(code_of(contacts_map_records(NULL, NULL, 3, records, strlen(records), NULL, 0, 0, &r)) ==
            CONTACTS_CODE_NULL_ARGUMENT,
        "NULL template");
}

static void test_threads(const contacts_client *c, const char *id) {
  char params[256];
  snprintf(params, sizeof params, "{\"contactId\":\"%s\"}", id);
  pthread_t threads[8];
  struct shared_calls work[8];
  for (int i = 0; i < 8; i++) {
    work[i] = (struct shared_calls){c, params, 0};
    pthread_create(&threads[i], NULL, worker, &work[i]);
  }
  int failures = 0;
  for (int i = 0; i < 8; i++) {
    pthread_join(threads[i], NULL);
    failures += work[i].failures;
  }
  CHECK(failures == 0, "8 threads x 20 calls on one client: %d failures", failures);
}

static int saves;
static char saved_refresh[256];
static int finalized;

static int32_t save_tokens(void *userdata, const char *json, size_t len) {
  (void)userdata;
  saves++;
  const char *p = strstr(json, "\"refreshToken\":\"");
  if (p && (size_t)(p - json) < len) {
    p += 16;
    size_t n = strcspn(p, "\"");
    if (n >= sizeof saved_refresh) n = sizeof saved_refresh - 1;
    memcpy(saved_refresh, p, n);
    saved_refresh[n] = '\0';
  }
  return 0;
}

static void finalize_store(void *userdata) {
  (void)userdata;
  finalized++;
}

static void test_token_rotation(const char *base, const char *location, const char *id) {
  char cfg[2048];
  snprintf(cfg, sizeof cfg,
           "{\"baseUrl\":\"%s\",\"credentials\":{\"kind\":\"oauth\",\"tokens\":{\"accessToken\":\"%s\","
           "\"refreshToken\":\"%s\",\"expiresAtMs\":1,\"userType\":\"Location\",\"locationId\":\"%s\"}},"
           "\"oauthClient\":{\"clientId\":\"sandbox-client\",\"clientSecret\":\"sandbox-secret\"}}",
           base, env("CONTACTS_ACCESS_TOKEN"), env("CONTACTS_REFRESH_TOKEN"), location);
  contacts_token_store store = {NULL, save_tokens, finalize_store};
  contacts_client *client = NULL;
  CHECK(code_of(contacts_client_new(cfg, strlen(cfg), &store, &client)) == 0, "oauth client");
  char params[256];
  snprintf(params, sizeof params, "{\"contactId\":\"%s\"}", id);
  contacts_result *r = NULL;
  CHECK(code_of(call(client, "contacts.get", params, &r)) == 0, "call after refresh");
  contacts_result_free(r);
  CHECK(saves == 1 && strlen(saved_refresh) > 0 && strcmp(saved_refresh, env("CONTACTS_REFRESH_TOKEN")) != 0,
        "the rotated refresh token was stored (saves=%d)", saves);
  contacts_client_free(client);
  CHECK(finalized == 1, "finalizer ran once");
}

/* Every macro and constant of the header, used: the code list initializes an
 * array whose every code has a distinct name; a length past
 * CONTACTS_MAX_INPUT is refused before anything is read. */
static void test_header_constants(const contacts_client *c) {
  const contacts_code all[] = CONTACTS_CODE_ALL;
  CHECK(sizeof all / sizeof all[0] == CONTACTS_CODE_COUNT, "CONTACTS_CODE_COUNT");
  for (size_t i = 0; i < CONTACTS_CODE_COUNT; i++) {
    contacts_str name = contacts_code_name(all[i]);
    CHECK(name.len > 0 && strcmp(name.ptr, "UNKNOWN") != 0, "code %d has a name", (int)all[i]);
    for (size_t j = 0; j < i; j++) CHECK(all[j] != all[i], "code %d listed once", (int)all[i]);
  }
  contacts_result *r = NULL;
  CHECK(code_of(contacts_client_call(c, "contacts.get", (size_t)CONTACTS_MAX_INPUT + 1, "{}", 2, &r)) ==
            CONTACTS_CODE_INVALID_ARGUMENT && r == NULL,
        "a name longer than CONTACTS_MAX_INPUT");
}

struct watched {
  pthread_mutex_t mu;
  int polls, errors, events;
};

static void on_poll(void *userdata, const contacts_result *result, const contacts_error *error) {
  struct watched *w = userdata;
  pthread_mutex_lock(&w->mu);
  w->polls++;
  if (error) w->errors++;
  /* Each event carries a dedupeId; count them in the borrowed JSON. */
  for (const char *at = result ? contacts_result_json(result).ptr : NULL; at && (at = strstr(at, "\"dedupeId\"")); at++)
    w->events++;
  pthread_mutex_unlock(&w->mu);
}

/* Polling triggers with their state in a SQLite file; a watch that stops. */
static void test_poll_and_watch(const char *base, const char *pit, const char *location) {
  char state[128];
  contacts_client *c = new_state_client(base, pit, location, "poll", state, sizeof state);
  const char *triggers = "ContactCreate";
  contacts_result *r = NULL;
  CHECK(code_of(contacts_client_poll(c, triggers, strlen(triggers), "{}", 2, NULL, 0, &r)) == 0, "baseline poll");
  const char *json = contacts_result_json(r).ptr;
  const char *k = strstr(json, "\"checkpoint\":\"");
  CHECK(k != NULL, "a checkpoint");
  /* The checkpoint is JSON text inside a JSON string: read it back through
     a poll's own answer is simplest, so keep it as the raw escaped text. */
  char checkpoint[4200] = {0};
  size_t n = 0;
  for (const char *p = k + 14; *p && !(p[0] == '"' && p[-1] != '\\') && n + 1 < sizeof checkpoint; p++)
    if (!(p[0] == '\\' && p[1] == '"')) checkpoint[n++] = *p;
  contacts_result_free(r);
  CHECK(code_of(contacts_client_poll(c, triggers, strlen(triggers), "{}", 2, "{\"v\":1}", 7, &r)) ==
            CONTACTS_CODE_INVALID_ARGUMENT,
        "a corrupt checkpoint");
  CHECK(code_of(contacts_client_poll(c, "Nope", 4, "{}", 2, NULL, 0, &r)) == CONTACTS_CODE_INVALID_ARGUMENT,
        "an unknown trigger");
  CHECK(code_of(contacts_client_poll(c, triggers, strlen(triggers), NULL, 2, NULL, 0, &r)) ==
            CONTACTS_CODE_NULL_ARGUMENT,
        "NULL params with a length");
  struct watched w = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0};
  contacts_watch *watch = NULL;
  CHECK(code_of(contacts_watch_new(c, triggers, strlen(triggers), "{}", 2, checkpoint, n, 20, on_poll, &w, &watch)) == 0,
        "watch");
  contacts_result *made = NULL;
  char create[256];
  /* Each run of the suite (shared, static, sanitizers) makes its own contact. */
  snprintf(create, sizeof create, "{\"locationId\":\"%s\",\"email\":\"c-watch-%ld-%ld@example.com\"}", location,
           (long)getpid(), (long)time(NULL));
  CHECK(code_of(call(c, "contacts.create", create, &made)) == 0, "create");
  contacts_result_free(made);
  for (int i = 0; i < 500; i++) {
    pthread_mutex_lock(&w.mu);
    int events = w.events;
    pthread_mutex_unlock(&w.mu);
    if (events) break;
    struct timespec ms20 = {0, 20 * 1000 * 1000};
    nanosleep(&ms20, NULL);
  }
  contacts_watch_cancel(watch);
  pthread_mutex_lock(&w.mu);
  int polls = w.polls;
  pthread_mutex_unlock(&w.mu);
  struct timespec ms100 = {0, 100 * 1000 * 1000};
  nanosleep(&ms100, NULL);
  CHECK(w.polls == polls, "no callback after cancel returned");
  CHECK(w.events == 1 && w.errors == 0, "the watch saw the new contact once (%d events, %d errors)", w.events, w.errors);
  contacts_watch_free(watch);
  contacts_client_free(c);
  remove(state);
}

struct dispatched {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done, replayed;
  int code;
};

static void on_dispatched(void *userdata, contacts_result *result, contacts_error *error) {
  struct dispatched *d = userdata;
  pthread_mutex_lock(&d->mu);
  if (result) {
    d->replayed = contains(contacts_result_json(result), "\"replayed\":true");
    contacts_result_free(result);
  }
  d->code = code_of(error);
  d->done = 1;
  pthread_cond_signal(&d->cv);
  pthread_mutex_unlock(&d->mu);
}

/* A host-event flow (the busybusy guide's shape): mapped, written, followed
   up; each event once, blocking or async; bad input typed. */
static void test_flows(const char *base, const char *pit, const char *location) {
  char state[128];
  contacts_client *c = new_state_client(base, pit, location, "flows", state, sizeof state);
  const char *flow_json =
      "{\"name\":\"c-member-updated\",\"trigger\":{\"hostEvent\":\"member.updated\"},"
      "\"mapping\":{\"template\":{\"target\":\"contact\",\"region\":\"US\",\"fields\":["
      "{\"from\":\"name\",\"to\":[\"firstName\",\"lastName\"],\"transforms\":[\"trim\",\"splitName\"],\"required\":true},"
      "{\"from\":\"email\",\"to\":\"email\",\"transforms\":[\"email\"]},"
      "{\"from\":\"phone\",\"to\":\"phone\",\"transforms\":[\"phone\"]}]}},"
      "\"steps\":[{\"name\":\"contact\",\"action\":\"contacts.upsert\",\"params\":\"{{mapped}}\"},"
      "{\"name\":\"task\",\"action\":\"tasks.create\",\"params\":{\"contactId\":\"{{steps.contact.result.contact.id}}\","
      "\"title\":\"Review {{mapped.firstName}}\",\"dueDate\":\"{{now | after:P1D}}\"}}]}";
  contacts_flow *flow = NULL;
  CHECK(code_of(contacts_flow_new(c, flow_json, strlen(flow_json), NULL, &flow)) == 0 && flow, "flow_new");
  contacts_result *r = NULL;
  CHECK(code_of(contacts_flow_summary(flow, &r)) == 0 && contains(contacts_result_json(r), "\"recovery\":\"marker\""),
        "summary");
  contacts_result_free(r);
  contacts_str name = contacts_flow_name(flow);
  CHECK(name.len == strlen("c-member-updated") && strcmp(name.ptr, "c-member-updated") == 0, "name");
  CHECK(contacts_flow_name(NULL).len == 0, "the name of NULL");
  CHECK(contacts_flow_delivery_status(0) == 200 &&
            contacts_flow_delivery_status(CONTACTS_CODE_WEBHOOK_SIGNATURE) == 401 &&
            contacts_flow_delivery_status(CONTACTS_CODE_WEBHOOK_REPLAY) == 400 &&
            contacts_flow_delivery_status(CONTACTS_CODE_TIMEOUT) == 429,
        "a receiver's answer to each outcome");

  char event[512];
  snprintf(event, sizeof event,
           "{\"type\":\"member.updated\",\"id\":\"c-%ld-%ld\",\"data\":{\"name\":\"Cee Lang\","
           "\"email\":\"c-flow-%ld-%ld@example.com\",\"phone\":\"415 555 2671\"}}",
           (long)getpid(), (long)time(NULL), (long)getpid(), (long)time(NULL));
  CHECK(code_of(contacts_flow_dispatch_blocking(flow, event, strlen(event), &r)) == 0 &&
            contains(contacts_result_json(r), "\"state\":\"done\"") &&
            contains(contacts_result_json(r), "\"replayed\":false"),
        "dispatch: %s", r ? contacts_result_json(r).ptr : "");
  contacts_result_free(r);

  struct dispatched d = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, -1};
  contacts_call *call_handle = NULL;
  CHECK(code_of(contacts_flow_dispatch(flow, event, strlen(event), on_dispatched, &d, &call_handle)) == 0,
        "async dispatch");
  pthread_mutex_lock(&d.mu);
  while (!d.done) pthread_cond_wait(&d.cv, &d.mu);
  pthread_mutex_unlock(&d.mu);
  CHECK(d.code == 0 && d.replayed, "the same event again is replayed");
  contacts_call_free(call_handle);

  const char *bad = "{\"type\":\"member.updated\",\"id\":\"c-bad\",\"data\":{\"name\":\"\",\"phone\":\"12\"}}";
  CHECK(code_of(contacts_flow_dispatch_blocking(flow, bad, strlen(bad), &r)) == 0 &&
            contains(contacts_result_json(r), "\"state\":\"invalid\"") &&
            contains(contacts_result_json(r), "event.data.phone"),
        "invalid: %s", r ? contacts_result_json(r).ptr : "");
  contacts_result_free(r);
  const char *no_id = "{\"type\":\"member.updated\",\"data\":{}}";
  CHECK(code_of(contacts_flow_dispatch_blocking(flow, no_id, strlen(no_id), &r)) == CONTACTS_CODE_INVALID_ARGUMENT,
        "a host event without an id");
  CHECK(code_of(contacts_flow_log(flow, NULL, 0, 10, &r)) == 0 && contains(contacts_result_json(r), "\"invalid\""),
        "log");
  contacts_result_free(r);
  CHECK(code_of(contacts_flow_resume(flow, &r)) == 0, "resume");
  contacts_result_free(r);
  CHECK(code_of(contacts_flow_poll(flow, NULL, 0, &r)) == CONTACTS_CODE_INVALID_ARGUMENT, "a host-event flow polls");
  const char *cycle =
      "{\"name\":\"x\",\"trigger\":{\"hostEvent\":\"x\"},\"steps\":["
      "{\"name\":\"a\",\"action\":\"contacts.get\",\"params\":{\"contactId\":\"{{steps.b.result.contact.id}}\"}},"
      "{\"name\":\"b\",\"action\":\"contacts.get\",\"params\":{\"contactId\":\"{{steps.a.result.contact.id}}\"}}]}";
  contacts_flow *none = NULL;
  contacts_error *err = contacts_flow_new(c, cycle, strlen(cycle), NULL, &none);
  CHECK(err && contacts_error_code(err) == CONTACTS_CODE_INVALID_ARGUMENT &&
            contains(contacts_error_message(err), "in a cycle") && none == NULL,
        "a cycle is refused on load");
  code_of(err);
  CHECK(code_of(contacts_flow_new(c, NULL, 5, NULL, &none)) == CONTACTS_CODE_NULL_ARGUMENT, "NULL flow text");
  contacts_flow_free(flow);
  contacts_flow_free(NULL);
  contacts_client_free(c);
  remove(state);
}

struct events {
  pthread_mutex_t lock;
  int count, errors, max_level;
  char last[2048];
};

static void on_event(void *userdata, uint32_t level, const char *json, size_t len) {
  struct events *e = userdata;
  pthread_mutex_lock(&e->lock);
  e->count++;
  if (level == CONTACTS_LEVEL_ERROR) e->errors++;
  if ((int)level > e->max_level) e->max_level = (int)level;
  if (json[len] == '\0' && len < sizeof e->last) memcpy(e->last, json, len + 1);
  pthread_mutex_unlock(&e->lock);
}

static void test_events_and_usage(const char *base, const char *pit, const char *location, const char *id) {
  contacts_client *c = new_client(base, pit, location, NULL);
  struct events e = {.lock = PTHREAD_MUTEX_INITIALIZER};
  CHECK(code_of(contacts_client_set_observer(c, on_event, &e, 9)) == CONTACTS_CODE_INVALID_ARGUMENT, "bad level");
  CHECK(code_of(contacts_client_set_observer(c, on_event, &e, CONTACTS_LEVEL_DEBUG)) == 0, "observer at debug");
  char params[128];
  snprintf(params, sizeof params, "{\"contactId\":\"%s\"}", id);
  contacts_result *r = NULL;
  CHECK(code_of(call(c, "contacts.get", params, &r)) == 0, "observed get");
  contacts_result_free(r);
  CHECK(e.count == 3 && e.max_level == CONTACTS_LEVEL_DEBUG, "request, response, finished: %d", e.count);
  CHECK(strstr(e.last, "\"kind\":\"finished\"") && !strstr(e.last, pit), "finished event: %s", e.last);
  CHECK(code_of(contacts_client_set_observer(c, on_event, &e, CONTACTS_LEVEL_WARN)) == 0, "observer at warn");
  CHECK(code_of(call(c, "contacts.get", "{\"contactId\":\"missing\"}", &r)) == CONTACTS_CODE_NOT_FOUND, "404");
  CHECK(e.count == 4 && e.errors == 1 && !strstr(e.last, "\"message\""), "one error event: %s", e.last);
  CHECK(code_of(contacts_client_set_observer(c, on_event, &e, CONTACTS_LEVEL_INFO | CONTACTS_OBSERVE_CONTACT_DATA)) ==
            0,
        "observer at info with contact data");
  CHECK(code_of(call(c, "contacts.get", "{\"contactId\":\"missing\"}", &r)) == CONTACTS_CODE_NOT_FOUND, "404");
  CHECK(e.count == 5 && strstr(e.last, "\"message\""), "with its message: %s", e.last);
  CHECK(code_of(contacts_client_set_observer(c, NULL, NULL, CONTACTS_LEVEL_ERROR)) == 0, "observer off");
  CHECK(code_of(call(c, "contacts.get", params, &r)) == 0, "unobserved get");
  contacts_result_free(r);
  CHECK(e.count == 5, "no event once off");
  CHECK(code_of(contacts_client_usage(c, &r)) == 0 && r, "usage");
  CHECK(contains(contacts_result_json(r), "\"requests\":4") && contains(contacts_result_json(r), location), "usage: %s",
        contacts_result_json(r).ptr);
  contacts_result_free(r);
  CHECK(code_of(contacts_client_usage(NULL, &r)) == CONTACTS_CODE_NULL_ARGUMENT, "usage of NULL");
  contacts_client_free(c);
}

/* A sync host in C: it has no records of its own, so a first pass makes
   one for each contact (nothing is written to the shared sandbox). */
static int sync_upserts, sync_progress_calls;
static int32_t sync_host_call(void *userdata, const char *request, size_t len, contacts_state_reply *reply) {
  if (userdata) return 5; /* the failing host */
  /* The request is (ptr, len), not NUL-terminated: read it from a copy. */
  char req[4096];
  size_t n = len < sizeof req - 1 ? len : sizeof req - 1;
  memcpy(req, request, n);
  req[n] = '\0';
  char answer[128];
  if (strstr(req, "\"op\":\"changes\"")) {
    snprintf(answer, sizeof answer, "{\"records\":[],\"checkpoint\":\"0\"}");
  } else if (strstr(req, "\"op\":\"upsert\"")) {
    snprintf(answer, sizeof answer, "{\"id\":\"c%d\",\"updatedAt\":1,\"fields\":{}}", ++sync_upserts);
  } else {
    snprintf(answer, sizeof answer, "null");
  }
  return code_of(contacts_state_reply_set(reply, answer, strlen(answer))) == 0 ? 0 : 1;
}

static uint64_t sync_contacts_read;
static void sync_progress(void *userdata, const char *phase, uint64_t done, uint64_t total) {
  (void)userdata;
  if (strcmp(phase, "highlevel") == 0 && done <= total) sync_contacts_read = done;
  if (strcmp(phase, "records") == 0 && done == total) sync_progress_calls++;
}

static void test_sync(const char *base, const char *pit, const char *location) {
  char state[128];
  contacts_client *c = new_state_client(base, pit, location, "sync", state, sizeof state);
  const char *tpl =
      "{\"name\":\"c-members\",\"target\":\"contact\",\"direction\":\"both\","
      "\"fields\":[{\"from\":\"email\",\"to\":\"email\",\"transforms\":[\"email\"]}]}";
  const char *settings = "{\"name\":\"c-sync\"}";
  contacts_sync_host host = {NULL, sync_host_call};
  contacts_result *r = NULL;
  CHECK(code_of(contacts_sync_pass(c, tpl, strlen(tpl), settings, strlen(settings), &host, sync_progress, NULL, &r)) ==
                0 &&
            r,
        "sync_pass");
  char created[64];
  snprintf(created, sizeof created, "\"created\":{\"highlevel\":0,\"host\":%d}", sync_upserts);
  CHECK(sync_upserts > 0 && contains(contacts_result_json(r), created), "every contact became a host record: %s",
        r ? contacts_result_json(r).ptr : "");
  CHECK(sync_contacts_read == (uint64_t)sync_upserts && sync_progress_calls == 1,
        "progress: %d contacts read of %d, the records phase ended once (%d)", (int)sync_contacts_read, sync_upserts,
        sync_progress_calls);
  contacts_result_free(r);
  r = NULL;
  int before = sync_upserts;
  CHECK(code_of(contacts_sync_pass(c, tpl, strlen(tpl), settings, strlen(settings), &host, NULL, NULL, &r)) == 0 &&
            sync_upserts == before && contains(contacts_result_json(r), "\"created\":{\"highlevel\":0,\"host\":0}"),
        "a second pass creates nothing");
  contacts_result_free(r);

  /* Every adapter at once: no notes, appointments to the same host. */
  contacts_sync_hosts hosts = {&host, NULL, &host};
  const char *with = "{\"name\":\"c-sync\",\"appointments\":{\"calendarIds\":[\"cal_sandbox\"]}}";
  const char *fields = "{\"appointments\":{\"contactField\":\"member\"}}";
  r = NULL;
  CHECK(code_of(contacts_sync_pass_with(c, tpl, strlen(tpl), with, strlen(with), &hosts, fields, strlen(fields), NULL,
                                        NULL, &r)) == 0 &&
            contains(contacts_result_json(r), "\"appointments\":{\"created\":"),
        "sync_pass_with: %s", r ? contacts_result_json(r).ptr : "");
  contacts_result_free(r);
  contacts_sync_hosts no_contacts = {NULL, NULL, &host};
  CHECK(code_of(contacts_sync_pass_with(c, tpl, strlen(tpl), with, strlen(with), &no_contacts, NULL, 0, NULL, NULL,
                                        &r)) == CONTACTS_CODE_NULL_ARGUMENT,
        "sync_pass_with needs a contacts host");
  CHECK(code_of(contacts_sync_pass_with(c, tpl, strlen(tpl), with, strlen(with), &hosts, "{\"x\":1}", 7, NULL, NULL,
                                        &r)) == CONTACTS_CODE_INVALID_ARGUMENT,
        "sync_pass_with refuses unknown record fields");

  contacts_sync_host failing = {(void *)1, sync_host_call};
  CHECK(code_of(contacts_sync_pass(c, tpl, strlen(tpl), settings, strlen(settings), &failing, NULL, NULL, &r)) ==
            CONTACTS_CODE_HOST,
        "a failing host stops the pass with HOST");
  contacts_sync_host no_call = {NULL, NULL};
  CHECK(code_of(contacts_sync_pass(c, tpl, strlen(tpl), settings, strlen(settings), &no_call, NULL, NULL, &r)) ==
            CONTACTS_CODE_NULL_ARGUMENT,
        "a host without call");
  CHECK(code_of(contacts_sync_pass(c, tpl, strlen(tpl), settings, strlen(settings), NULL, NULL, NULL, &r)) ==
            CONTACTS_CODE_NULL_ARGUMENT,
        "no host");
  CHECK(code_of(contacts_sync_install_triggers(NULL, 5, "members", 7)) == CONTACTS_CODE_NULL_ARGUMENT,
        "install_triggers needs a path");
  const char *missing = "/tmp/libcontacts-c-sync-triggers.db";
  CHECK(code_of(contacts_sync_install_triggers(missing, strlen(missing), "members", 7)) ==
            CONTACTS_CODE_INVALID_ARGUMENT,
        "install_triggers on a table that does not exist");
  remove(missing);
  const char *db = "/tmp/libcontacts-c-sync-nothing.db";
  CHECK(code_of(contacts_sync_pass_sqlite(c, tpl, strlen(tpl), settings, strlen(settings), db, strlen(db), "members",
                                          7, NULL, NULL, &r)) == CONTACTS_CODE_INVALID_ARGUMENT,
        "a table that does not exist");
  remove(db);
  contacts_client_free(c);
  remove(state);
}

int main(void) {
  const char *base = env("CONTACTS_BASE_URL");
  const char *pit = env("CONTACTS_PIT");
  const char *location = env("CONTACTS_LOCATION");
  const char *slow_base = env("CONTACTS_SLOW_BASE_URL");
  char id[64] = {0};

  test_basics();
  contacts_client *client = new_client(base, pit, location, NULL);
  contacts_client *slow = new_client(slow_base, pit, location, NULL);
  test_header_constants(client);
  test_calls(client, location, id, sizeof id);
  test_async_and_cancel(client, slow, id, location);
  test_cursor(client, location);
  test_threads(client, id);
  test_sans_io();
  test_webhooks();
  test_lang();
  test_mapping(client, location);
  test_token_rotation(base, location, id);
  test_poll_and_watch(base, pit, location);
  test_flows(base, pit, location);
  test_sync(base, pit, location);
  test_events_and_usage(base, pit, location, id);
  contacts_client_free(slow);
  contacts_client_free(client);

  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
