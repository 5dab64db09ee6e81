// libcontacts for C++17: a header-only RAII wrapper over the C ABI
// (include/libcontacts.h). Handles free themselves; errors are exceptions
// (contacts::Error) that carry the code, the HTTP status, the retry-after,
// the trace id and the required scope.
//
// Threads: contacts::Client may be shared across threads (the C client is
// thread-safe); Request, Cursor and results belong to one thread at a time.
#pragma once

#include <libcontacts.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace contacts {

/// Every code of `enum contacts_code`, by name (checked against the header
/// by bindings/check-codes.sh).
enum class Code : uint32_t {
  InvalidArgument = CONTACTS_CODE_INVALID_ARGUMENT,
  NullArgument = CONTACTS_CODE_NULL_ARGUMENT,
  InvalidUtf8 = CONTACTS_CODE_INVALID_UTF8,
  InvalidJson = CONTACTS_CODE_INVALID_JSON,
  Unauthorized = CONTACTS_CODE_UNAUTHORIZED,
  Forbidden = CONTACTS_CODE_FORBIDDEN,
  NotFound = CONTACTS_CODE_NOT_FOUND,
  Validation = CONTACTS_CODE_VALIDATION,
  RateLimited = CONTACTS_CODE_RATE_LIMITED,
  Server = CONTACTS_CODE_SERVER,
  UnexpectedStatus = CONTACTS_CODE_UNEXPECTED_STATUS,
  Decode = CONTACTS_CODE_DECODE,
  WebhookSignature = CONTACTS_CODE_WEBHOOK_SIGNATURE,
  WebhookReplay = CONTACTS_CODE_WEBHOOK_REPLAY,
  Transport = CONTACTS_CODE_TRANSPORT,
  Timeout = CONTACTS_CODE_TIMEOUT,
  Cancelled = CONTACTS_CODE_CANCELLED,
  TokenStore = CONTACTS_CODE_TOKEN_STORE,
  State = CONTACTS_CODE_STATE,
  FleetUnavailable = CONTACTS_CODE_FLEET_UNAVAILABLE,
  ReauthRequired = CONTACTS_CODE_REAUTH_REQUIRED,
  Host = CONTACTS_CODE_HOST,
  Panic = CONTACTS_CODE_PANIC,
};

inline std::string to_string(contacts_str s) { return std::string(s.ptr, s.len); }

/// A libcontacts error as an exception.
class Error : public std::runtime_error {
 public:
  explicit Error(contacts_error *err)
      : std::runtime_error(to_string(contacts_error_message(err))),
        code_(static_cast<Code>(contacts_error_code(err))),
        http_status_(contacts_error_http_status(err)),
        retry_after_ms_(contacts_error_retry_after_ms(err)),
        daily_(contacts_error_daily(err)),
        trace_id_(to_string(contacts_error_trace_id(err))),
        required_scope_(to_string(contacts_error_required_scope(err))) {}

  Code code() const noexcept { return code_; }
  std::string code_name() const { return to_string(contacts_code_name(static_cast<uint32_t>(code_))); }
  uint16_t http_status() const noexcept { return http_status_; }
  uint64_t retry_after_ms() const noexcept { return retry_after_ms_; }
  /// On Code::RateLimited: the daily budget is spent, not the burst window.
  bool daily() const noexcept { return daily_; }
  const std::string &trace_id() const noexcept { return trace_id_; }
  const std::string &required_scope() const noexcept { return required_scope_; }

 private:
  Code code_;
  uint16_t http_status_;
  uint64_t retry_after_ms_;
  bool daily_;
  std::string trace_id_;
  std::string required_scope_;
};

namespace detail {
/// Throws for a non-NULL error, freeing it.
inline void check(contacts_error *err) {
  if (err) {
    Error e(err);
    contacts_error_free(err);
    throw e;
  }
}
/// Takes ownership of a result and returns its JSON text.
inline std::string take_json(contacts_result *r) {
  std::string out = to_string(contacts_result_json(r));
  contacts_result_free(r);
  return out;
}
template <typename T, void (*Free)(T *)>
struct Deleter {
  void operator()(T *p) const noexcept { Free(p); }
};
}  // namespace detail

/// The library version.
inline std::string version() { return to_string(contacts_version()); }
/// The catalog JSON.
inline std::string catalog() { return to_string(contacts_catalog_json()); }

/// The OAuth consent URL as `{"url": "..."}` JSON, from
/// `{"clientId", "redirectUri", "scopes", "state"}` JSON. Throws Error.
inline std::string authorize_url_json(std::string_view params_json) {
  contacts_result *r = nullptr;
  detail::check(contacts_oauth_authorize_url(params_json.data(), params_json.size(), &r));
  return detail::take_json(r);
}

/// A page walk; `next()` returns false at the end.
class Cursor {
 public:
  explicit Cursor(contacts_cursor *c) : c_(c) {}
  /// Fetches the next page into `json`; false when there are no more.
  bool next(std::string &json) {
    contacts_result *page = nullptr;
    detail::check(contacts_cursor_next(c_.get(), &page));
    if (!page) return false;
    json = detail::take_json(page);
    return true;
  }

 private:
  std::unique_ptr<contacts_cursor, detail::Deleter<contacts_cursor, contacts_cursor_free>> c_;
};

/// A watch of a client's triggers (see `Client::watch`): polls on its own
/// libcontacts thread until cancelled or destroyed. Movable.
class Watch {
 public:
  /// Gets each poll's outcome JSON (`{"events", "checkpoint", "more",
  /// "requests"}`), or an error (then the JSON is empty). Runs on the
  /// watch's thread, one call at a time; store the checkpoint here.
  using Callback = std::function<void(const std::string &result_json, const Error *error)>;

  /// Stops the watch: once this returns, the callback does not run again.
  /// Not from inside the callback.
  void cancel() const noexcept { contacts_watch_cancel(w_.get()); }

 private:
  friend class Client;
  explicit Watch(std::unique_ptr<Callback> cb) : cb_(std::move(cb)) {}

  static void trampoline(void *userdata, const contacts_result *result, const contacts_error *error) {
    auto &cb = *static_cast<Callback *>(userdata);
    try {
      if (error) {
        Error e(const_cast<contacts_error *>(error));
        cb(std::string(), &e);
      } else {
        cb(to_string(contacts_result_json(result)), nullptr);
      }
    } catch (...) {  // never unwind into libcontacts
    }
  }

  // Declared first, destroyed last: the watch stops before its callback goes.
  std::unique_ptr<Callback> cb_;
  std::unique_ptr<contacts_watch, detail::Deleter<contacts_watch, contacts_watch_free>> w_;
};

/// A client: thread-safe, movable, freed on destruction.
/// A host state store: takes one operation as JSON (`{"op", "args"}`, see
/// ffi/README.md, "State stores") and returns its answer as JSON. Called on
/// libcontacts threads, one call at a time; a throw fails the work with
/// `Code::State`.
using StateStore = std::function<std::string(const std::string &request_json)>;

/// A sync's host side: answers one operation's request JSON (`{"op":
/// "changes" | "upsert" | "delete", "args": [...]}`, ffi/README.md "Sync
/// hosts") with its answer's JSON, on the thread that runs the pass. A throw
/// stops the pass with Code::Host.
using SyncHost = std::function<std::string(const std::string &request_json)>;

/// Where a sync pass is: `phase` (`host`, `highlevel`, `records`), `done`,
/// `total` (0 when unknown). Called on the pass's thread.
using SyncProgress = std::function<void(std::string_view phase, uint64_t done, uint64_t total)>;

/// How much an event matters (`CONTACTS_LEVEL_*`).
enum class Level : uint32_t {
  Error = CONTACTS_LEVEL_ERROR,
  Warn = CONTACTS_LEVEL_WARN,
  Info = CONTACTS_LEVEL_INFO,
  Debug = CONTACTS_LEVEL_DEBUG,
};

/// Receives one event: its level and its JSON (borrowed for the call).
using EventCallback = std::function<void(Level level, std::string_view event_json)>;

namespace detail {
/// The C observer over an EventCallback (the userdata).
inline void event_trampoline(void *userdata, uint32_t level, const char *json, size_t len) {
  try {
    (*static_cast<EventCallback *>(userdata))(static_cast<Level>(level), std::string_view(json, len));
  } catch (...) {  // never unwind into libcontacts
  }
}
}  // namespace detail

class Client {
 public:
  /// Creates a client from a JSON config (see ffi/README.md).
  explicit Client(std::string_view config_json) {
    contacts_client *c = nullptr;
    detail::check(contacts_client_new(config_json.data(), config_json.size(), nullptr, &c));
    c_.reset(c);
  }

  /// Creates a client whose journaling composites (`contacts.capture`) keep
  /// state in `store`, which the client owns from here on.
  Client(std::string_view config_json, StateStore store) {
    contacts_state_store s{new StateStore(std::move(store)), &Client::state_call, &Client::state_finalize};
    contacts_client *c = nullptr;
    // libcontacts finalizes the store (deletes it) even if this fails.
    detail::check(contacts_client_new_with_state(config_json.data(), config_json.size(), nullptr, &s, &c));
    c_.reset(c);
  }

  /// Calls operation `name` with JSON params, blocking; returns the JSON result.
  std::string call(std::string_view name, std::string_view params_json = "{}") const {
    contacts_result *r = nullptr;
    detail::check(contacts_client_call(c_.get(), name.data(), name.size(), params_json.data(), params_json.size(), &r));
    return detail::take_json(r);
  }

  /// Polls `triggers` ("ContactCreate,ContactUpdate") with JSON params
  /// from `checkpoint` (empty: the baseline, which reports nothing),
  /// blocking; returns `{"events", "checkpoint", "more", "requests"}` JSON.
  /// The client needs a state store ("state" in its config).
  std::string poll(std::string_view triggers, std::string_view params_json = "{}",
                   std::string_view checkpoint = {}) const {
    contacts_result *r = nullptr;
    const char *k = checkpoint.empty() ? nullptr : checkpoint.data();
    detail::check(contacts_client_poll(c_.get(), triggers.data(), triggers.size(), params_json.data(),
                                       params_json.size(), k, checkpoint.size(), &r));
    return detail::take_json(r);
  }

  /// Polls `triggers` every `interval_ms` on a libcontacts thread until the
  /// returned Watch is cancelled or destroyed, passing each outcome to `cb`.
  Watch watch(std::string_view triggers, Watch::Callback cb, std::string_view params_json = "{}",
              std::string_view checkpoint = {}, uint64_t interval_ms = 60000) const {
    Watch w(std::make_unique<Watch::Callback>(std::move(cb)));
    contacts_watch *raw = nullptr;
    const char *k = checkpoint.empty() ? nullptr : checkpoint.data();
    detail::check(contacts_watch_new(c_.get(), triggers.data(), triggers.size(), params_json.data(),
                                     params_json.size(), k, checkpoint.size(), interval_ms, &Watch::trampoline,
                                     w.cb_.get(), &raw));
    w.w_.reset(raw);
    return w;
  }

  /// Sends the client's events at least as severe as `min_level` to `cb`,
  /// replacing the callback set before (see ffi/README.md, "Events and
  /// usage"). `cb` runs on the calling thread or a libcontacts thread, one
  /// event at a time, and must not call back into the client; a throw is
  /// swallowed. `contact_data` lets events hold ids, queries and error
  /// messages; tokens and secrets are never in them.
  void on_event(EventCallback cb, Level min_level = Level::Info, bool contact_data = false) {
    auto box = std::make_unique<EventCallback>(std::move(cb));
    uint32_t flags = static_cast<uint32_t>(min_level) | (contact_data ? CONTACTS_OBSERVE_CONTACT_DATA : 0u);
    detail::check(contacts_client_set_observer(c_.get(), &detail::event_trampoline, box.get(), flags));
    observer_ = std::move(box);  // the old one is no longer called
  }

  /// Turns events off.
  void clear_events() {
    detail::check(contacts_client_set_observer(c_.get(), nullptr, nullptr, CONTACTS_LEVEL_ERROR));
    observer_.reset();
  }

  /// The rate budget and counts of the client's location now, as JSON:
  /// `{"locations": [{"location", "burst", "daily", "lastHeaders", "counts"}]}`.
  std::string usage() const {
    contacts_result *r = nullptr;
    detail::check(contacts_client_usage(c_.get(), &r));
    return detail::take_json(r);
  }

  /// The dry run of a mapping template over `records_json` (a JSON array),
  /// this client fetching the location's custom-field definitions when the
  /// template names keys: the report as JSON (`contacts_map_records`).
  std::string map_records(std::string_view template_json, std::string_view records_json, bool reverse = false) const {
    contacts_result *r = nullptr;
    detail::check(contacts_map_records(c_.get(), template_json.data(), template_json.size(), records_json.data(),
                                       records_json.size(), nullptr, 0, reverse ? CONTACTS_MAP_REVERSE : 0, &r));
    return detail::take_json(r);
  }

  /// One pass of a two-way sync between `host` and this client's location
  /// (`contacts_sync_pass`), blocking: the report as JSON. `template_json`
  /// is a two-way contact mapping template, `settings_json` the sync's
  /// settings. The client needs a state store.
  std::string sync_pass(std::string_view template_json, SyncHost host, std::string_view settings_json,
                        SyncProgress progress = nullptr) const {
    contacts_sync_host h{&host, &Client::state_call};
    contacts_result *r = nullptr;
    detail::check(contacts_sync_pass(c_.get(), template_json.data(), template_json.size(), settings_json.data(),
                                     settings_json.size(), &h, progress ? &Client::progress_call : nullptr,
                                     &progress, &r));
    return detail::take_json(r);
  }

  /// `sync_pass` over more hosts (`contacts_sync_pass_with`): `notes` (both
  /// ways) and `appointments` (HighLevel's, one way, under their ids), each
  /// skipped when empty; `fields_json` names the fields that tie them to
  /// their host contact (`{"notes": {"contactField": "member_id",
  /// "bodyField": "body"}, "appointments": {"contactField": "member_id"}}`,
  /// those by default).
  std::string sync_pass_with(std::string_view template_json, SyncHost host, SyncHost notes, SyncHost appointments,
                             std::string_view settings_json, std::string_view fields_json = "{}",
                             SyncProgress progress = nullptr) const {
    contacts_sync_host h{&host, &Client::state_call};
    contacts_sync_host n{&notes, &Client::state_call};
    contacts_sync_host a{&appointments, &Client::state_call};
    contacts_sync_hosts hosts{&h, notes ? &n : nullptr, appointments ? &a : nullptr};
    contacts_result *r = nullptr;
    detail::check(contacts_sync_pass_with(c_.get(), template_json.data(), template_json.size(), settings_json.data(),
                                          settings_json.size(), &hosts, fields_json.data(), fields_json.size(),
                                          progress ? &Client::progress_call : nullptr, &progress, &r));
    return detail::take_json(r);
  }

  /// Keeps `updated_at` and `deleted_at` for `table` of the SQLite file
  /// `db_path`, which has an `id` but not those, so `sync_pass_sqlite` can
  /// sync it (`contacts_sync_install_triggers`).
  static void sync_install_triggers(std::string_view db_path, std::string_view table) {
    detail::check(contacts_sync_install_triggers(db_path.data(), db_path.size(), table.data(), table.size()));
  }

  /// `sync_pass` with the bundled host: `table` of the SQLite file `db_path`
  /// (`contacts_sync_pass_sqlite`).
  std::string sync_pass_sqlite(std::string_view template_json, std::string_view db_path, std::string_view table,
                               std::string_view settings_json, SyncProgress progress = nullptr) const {
    contacts_result *r = nullptr;
    detail::check(contacts_sync_pass_sqlite(c_.get(), template_json.data(), template_json.size(),
                                            settings_json.data(), settings_json.size(), db_path.data(),
                                            db_path.size(), table.data(), table.size(),
                                            progress ? &Client::progress_call : nullptr, &progress, &r));
    return detail::take_json(r);
  }

  /// Starts a page walk of a paginated operation.
  Cursor pages(std::string_view name, std::string_view params_json) const {
    contacts_cursor *cur = nullptr;
    detail::check(contacts_cursor_new(c_.get(), name.data(), name.size(), params_json.data(), params_json.size(), &cur));
    return Cursor(cur);
  }

  /// Starts an async call; `done(json, error)` runs exactly once on a
  /// libcontacts thread (error is nullptr on success).
  void call_async(std::string_view name, std::string_view params_json,
                  std::function<void(const std::string &, const Error *)> done) const {
    auto *box = new std::function<void(const std::string &, const Error *)>(std::move(done));
    contacts_error *err = contacts_client_call_async(
        c_.get(), name.data(), name.size(), params_json.data(), params_json.size(), &Client::trampoline, box, nullptr);
    if (err) {
      delete box;
      detail::check(err);
    }
  }

 private:
  static int32_t state_call(void *userdata, const char *request, size_t len, contacts_state_reply *reply) {
    try {
      std::string answer = (*static_cast<StateStore *>(userdata))(std::string(request, len));
      contacts_error *err = contacts_state_reply_set(reply, answer.data(), answer.size());
      if (err) {
        contacts_error_free(err);
        return 2;
      }
      return 0;
    } catch (...) {  // never unwind into libcontacts
      return 1;
    }
  }

  static void state_finalize(void *userdata) { delete static_cast<StateStore *>(userdata); }

  static void progress_call(void *userdata, const char *phase, uint64_t done, uint64_t total) {
    try {
      (*static_cast<SyncProgress *>(userdata))(phase, done, total);
    } catch (...) {  // never unwind into libcontacts
    }
  }


  static void trampoline(void *userdata, contacts_result *result, contacts_error *error) {
    std::unique_ptr<std::function<void(const std::string &, const Error *)>> done(
        static_cast<std::function<void(const std::string &, const Error *)> *>(userdata));
    if (error) {
      Error e(error);
      contacts_error_free(error);
      (*done)(std::string(), &e);
    } else {
      (*done)(detail::take_json(result), nullptr);
    }
  }

  // Declared first, destroyed last: the client is freed before its callback.
  std::unique_ptr<EventCallback> observer_;
  std::unique_ptr<contacts_client, detail::Deleter<contacts_client, contacts_client_free>> c_;

  friend class Flow;
};

/// The HTTP status a webhook receiver answers a delivery with: `error`
/// is what verifying or dispatching it threw (nullptr: a run). 200, 401
/// forged, 400 stale or malformed, 429 when the run can go on.
inline uint16_t flow_delivery_status(const Error *error = nullptr) noexcept {
  return contacts_flow_delivery_status(error ? static_cast<uint32_t>(error->code()) : 0);
}

/// A flow (see ffi/README.md, "Flows") bound to a client and its state
/// store: thread-safe, movable, freed on destruction; it holds what it needs
/// of the client. Each event runs once however often it is dispatched.
class Flow {
 public:
  /// Loads `flow_json` for `client`, whose state store (its config's
  /// `"state"`) keeps the run log. Throws Error (`InvalidArgument`, the
  /// message naming the flow's JSON path) for a bad flow.
  Flow(const Client &client, std::string_view flow_json) {
    contacts_flow *f = nullptr;
    detail::check(contacts_flow_new(client.c_.get(), flow_json.data(), flow_json.size(), nullptr, &f));
    f_.reset(f);
  }

  /// The flow's name.
  std::string name() const { return to_string(contacts_flow_name(f_.get())); }

  /// `{name, fingerprint, trigger, steps: [{name, action, recovery}]}` JSON.
  std::string summary() const {
    contacts_result *r = nullptr;
    detail::check(contacts_flow_summary(f_.get(), &r));
    return detail::take_json(r);
  }

  /// Runs the flow for `event_json` (a HighLevel event or a host event
  /// `{type, id, data}`), blocking: the run's JSON (`state`, `steps`,
  /// `replayed`). A failed step or an invalid event is a run, not a throw.
  std::string dispatch(std::string_view event_json) const {
    contacts_result *r = nullptr;
    detail::check(contacts_flow_dispatch_blocking(f_.get(), event_json.data(), event_json.size(), &r));
    return detail::take_json(r);
  }

  /// Polls the trigger once and dispatches each event: `{runs, more, requests}` JSON.
  std::string poll(std::string_view params_json = "{}") const {
    contacts_result *r = nullptr;
    detail::check(contacts_flow_poll(f_.get(), params_json.data(), params_json.size(), &r));
    return detail::take_json(r);
  }

  /// Goes on with the runs a stopped runner left: their JSON list.
  std::string resume() const {
    contacts_result *r = nullptr;
    detail::check(contacts_flow_resume(f_.get(), &r));
    return detail::take_json(r);
  }

  /// The run log, latest first (at most `limit` runs), or one run by id
  /// (throws Error `NotFound` for an unknown one).
  std::string log(size_t limit = 20, std::string_view run_id = {}) const {
    contacts_result *r = nullptr;
    const char *id = run_id.empty() ? nullptr : run_id.data();
    detail::check(contacts_flow_log(f_.get(), id, run_id.size(), limit, &r));
    return detail::take_json(r);
  }

 private:
  std::unique_ptr<contacts_flow, detail::Deleter<contacts_flow, contacts_flow_free>> f_;
};

/// A request built for a host's own HTTP stack (the sans-IO path).
class Request {
 public:
  Request(std::string_view config_json, std::string_view name, std::string_view params_json) {
    contacts_request *r = nullptr;
    detail::check(contacts_request_build(config_json.data(), config_json.size(), name.data(), name.size(),
                                         params_json.data(), params_json.size(), &r));
    r_.reset(r);
  }
  std::string method() const { return to_string(contacts_request_method(r_.get())); }
  std::string url() const { return to_string(contacts_request_url(r_.get())); }
  std::vector<std::pair<std::string, std::string>> headers() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (size_t i = 0; i < contacts_request_header_count(r_.get()); i++) {
      contacts_header h = contacts_request_header(r_.get(), i);
      out.emplace_back(to_string(h.name), to_string(h.value));
    }
    return out;
  }
  std::string body() const {
    contacts_bytes b = contacts_request_body(r_.get());
    return b.len ? std::string(reinterpret_cast<const char *>(b.ptr), b.len) : std::string();
  }
  /// Parses the response the host received; throws Error for error statuses.
  std::string parse(uint16_t status, const std::vector<std::pair<std::string, std::string>> &headers,
                    std::string_view body) const {
    return detail::take_json(parse_result(status, headers, body));
  }

  /// Parses a page of a paginated operation: the page's JSON, and the next
  /// page's params as JSON (empty at the end: build the next Request from
  /// them). Throws Error for error statuses and for a walk that cannot go on.
  std::pair<std::string, std::string> parse_page(uint16_t status,
                                                 const std::vector<std::pair<std::string, std::string>> &headers,
                                                 std::string_view body) const {
    contacts_result *page = parse_result(status, headers, body);
    contacts_result *next = nullptr;
    contacts_error *err = contacts_request_next_page(r_.get(), page, &next);
    std::string page_json = detail::take_json(page);
    detail::check(err);
    return {page_json, next ? detail::take_json(next) : std::string()};
  }

 private:
  contacts_result *parse_result(uint16_t status, const std::vector<std::pair<std::string, std::string>> &headers,
                                std::string_view body) const {
    std::vector<contacts_header_in> hs;
    for (const auto &h : headers) hs.push_back({h.first.data(), h.first.size(), h.second.data(), h.second.size()});
    contacts_http_response resp{status, hs.data(), hs.size(), reinterpret_cast<const uint8_t *>(body.data()), body.size()};
    contacts_result *r = nullptr;
    detail::check(contacts_request_parse_response(r_.get(), &resp, &r));
    return r;
  }

 private:
  std::unique_ptr<contacts_request, detail::Deleter<contacts_request, contacts_request_free>> r_;
};

/// Types an event body **without verifying it** (for hosts that verify
/// elsewhere): its JSON with `type`. Throws Error (`Decode`) for a body that
/// is not JSON or has a field of the wrong type.
inline std::string parse_webhook_event(std::string_view raw_body) {
  contacts_result *r = nullptr;
  detail::check(contacts_webhook_parse_event(reinterpret_cast<const uint8_t *>(raw_body.data()), raw_body.size(), &r));
  return detail::take_json(r);
}

/// Verifies webhook deliveries (thread-safe; share one per endpoint).
class WebhookVerifier {
 public:
  /// `keys_json` is a JSON array of public keys; empty for HighLevel's key.
  explicit WebhookVerifier(std::string_view keys_json = {}, uint64_t max_age_ms = 0) {
    contacts_webhook_verifier *v = nullptr;
    detail::check(contacts_webhook_verifier_new(keys_json.data(), keys_json.size(), max_age_ms, &v));
    v_.reset(v);
  }
  /// The verified event as JSON; throws Error for a forged or replayed delivery.
  std::string verify(const std::vector<std::pair<std::string, std::string>> &headers, std::string_view raw_body,
                     uint64_t now_ms) const {
    std::vector<contacts_header_in> hs;
    for (const auto &h : headers) hs.push_back({h.first.data(), h.first.size(), h.second.data(), h.second.size()});
    contacts_result *r = nullptr;
    detail::check(contacts_webhook_verify(v_.get(), hs.data(), hs.size(),
                                          reinterpret_cast<const uint8_t *>(raw_body.data()), raw_body.size(), now_ms, &r));
    return detail::take_json(r);
  }

  /// Sends an event per delivery checked (`webhook_accepted` at Info,
  /// `webhook_refused` at Warn) to `cb`, on the thread that verifies;
  /// never the signature or the body. A throw is swallowed.
  void on_event(EventCallback cb, Level min_level = Level::Info) {
    auto box = std::make_unique<EventCallback>(std::move(cb));
    detail::check(contacts_webhook_verifier_set_observer(v_.get(), &detail::event_trampoline, box.get(),
                                                         static_cast<uint32_t>(min_level)));
    observer_ = std::move(box);
  }

 private:
  // Declared first, destroyed last: the verifier is freed before its callback.
  std::unique_ptr<EventCallback> observer_;
  std::unique_ptr<contacts_webhook_verifier, detail::Deleter<contacts_webhook_verifier, contacts_webhook_verifier_free>>
      v_;
};

/// A condition of the shared language, loaded once against a scope (JSON,
/// see ffi/README.md) and evaluated any number of times. Thread-safe.
/// Throws Error (INVALID_ARGUMENT, naming the JSON path) for a bad one.
class Condition {
 public:
  Condition(std::string_view condition_json, std::string_view scope_json) {
    contacts_condition *c = nullptr;
    detail::check(contacts_condition_new(condition_json.data(), condition_json.size(), scope_json.data(),
                                         scope_json.size(), &c));
    c_.reset(c);
  }
  /// Whether `data_json` (an object of the scope's variables) meets it.
  bool eval(std::string_view data_json) const {
    bool matched = false;
    detail::check(contacts_condition_eval(c_.get(), data_json.data(), data_json.size(), &matched));
    return matched;
  }

 private:
  std::unique_ptr<contacts_condition, detail::Deleter<contacts_condition, contacts_condition_free>> c_;
};

/// A template of the shared language (`{{path | filter}}` in any JSON),
/// loaded once and rendered any number of times. Thread-safe.
class Template {
 public:
  Template(std::string_view template_json, std::string_view scope_json) {
    contacts_template *t = nullptr;
    detail::check(contacts_template_new(template_json.data(), template_json.size(), scope_json.data(),
                                        scope_json.size(), &t));
    t_.reset(t);
  }
  /// The template filled from `data_json`, as JSON.
  std::string render(std::string_view data_json) const {
    contacts_result *r = nullptr;
    detail::check(contacts_template_render(t_.get(), data_json.data(), data_json.size(), &r));
    return detail::take_json(r);
  }

 private:
  std::unique_ptr<contacts_template, detail::Deleter<contacts_template, contacts_template_free>> t_;
};

/// The dry run of a mapping template over `records_json` (a JSON array),
/// with the location's custom-field definitions given (empty when the
/// template names no key): the report as JSON. Sends nothing.
inline std::string map_records(std::string_view template_json, std::string_view records_json,
                               std::string_view custom_fields_json = {}, bool reverse = false) {
  contacts_result *r = nullptr;
  detail::check(contacts_map_records(nullptr, template_json.data(), template_json.size(), records_json.data(),
                                     records_json.size(), custom_fields_json.empty() ? nullptr : custom_fields_json.data(),
                                     custom_fields_json.size(), reverse ? CONTACTS_MAP_REVERSE : 0, &r));
  return detail::take_json(r);
}

/// The mapping's phone reader for one number, as JSON: `{"e164"}` or `{"error"}`.
inline std::string phone_to_e164(std::string_view text, std::string_view region) {
  contacts_result *r = nullptr;
  detail::check(contacts_phone_to_e164(text.data(), text.size(), region.data(), region.size(), &r));
  return detail::take_json(r);
}

}  // namespace contacts
