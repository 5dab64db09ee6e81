// The C++ wrapper against a live sandbox (environment as for the C suite).
#include <libcontacts.hpp>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <vector>
#include <algorithm>

static int passed, failed;
#define CHECK(cond, what)                                              \
  do {                                                                 \
    if (cond) passed++;                                                \
    else {                                                             \
      failed++;                                                        \
      std::fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, what); \
    }                                                                  \
  } while (0)

static std::string env(const char *name) {
  const char *v = std::getenv(name);
  if (!v) {
    std::fprintf(stderr, "missing %s\n", name);
    std::exit(2);
  }
  return v;
}

int main() {
  CHECK(!contacts::version().empty(), "version");
  CHECK(contacts::catalog().find("contacts.get") != std::string::npos, "catalog");
  CHECK(contacts::catalog().find("\"settings\":{\"build\"") != std::string::npos, "the settings' schemas");
  CHECK(contacts::authorize_url_json(R"({"clientId":"app-1","redirectUri":"https://x/cb","scopes":["contacts.readonly"],"state":"s"})")
                .find("client_id=app-1") != std::string::npos,
        "authorize url");
  try {
    contacts::authorize_url_json(R"({"clientId":"app-1","redirectUri":"r","scopes":[],"state":"s"})");
    CHECK(false, "empty scopes refused");
  } catch (const contacts::Error &e) {
    CHECK(e.code() == contacts::Code::InvalidArgument, "empty scopes code");
  }
  std::string cfg = "{\"baseUrl\":\"" + env("CONTACTS_BASE_URL") +
                    "\",\"credentials\":{\"kind\":\"privateIntegrationToken\",\"token\":\"" + env("CONTACTS_PIT") +
                    "\",\"locationId\":\"" + env("CONTACTS_LOCATION") + "\"}}";
  try {
    contacts::Client bad("{\"credentials\": 1}");
    CHECK(false, "a bad config throws");
  } catch (const contacts::Error &e) {
    CHECK(e.code() == contacts::Code::InvalidArgument, "bad config code");
  }
  contacts::Client client(cfg);
  // A fresh contact with no custom fields, so the first "id" is its own.
  std::string email = "cpp." + std::to_string(std::time(nullptr)) + "@example.com";
  std::string page = client.call("contacts.create", "{\"locationId\":\"" + env("CONTACTS_LOCATION") +
                                                        "\",\"firstName\":\"Cee\",\"email\":\"" + email + "\"}");
  auto at = page.find("\"id\":\"");
  CHECK(at != std::string::npos, "create");
  std::string id = page.substr(at + 6, page.find('"', at + 6) - at - 6);
  CHECK(client.call("contacts.get", "{\"contactId\":\"" + id + "\"}").find(id) != std::string::npos, "get");
  // Events, to a std::function; usage as JSON.
  {
    contacts::Client watched(cfg);
    std::vector<std::pair<contacts::Level, nlohmann::json>> events;
    watched.on_event([&](contacts::Level level, std::string_view json) { events.emplace_back(level, nlohmann::json::parse(json)); },
                     contacts::Level::Debug);
    watched.call("contacts.get", "{\"contactId\":\"" + id + "\"}");
    CHECK(events.size() == 3 && events[0].second["kind"] == "request" && events[2].second["kind"] == "finished",
          "request, response, finished");
    CHECK(events[0].first == contacts::Level::Debug && events[2].first == contacts::Level::Info, "their levels");
    CHECK(events[2].second["location"] == env("CONTACTS_LOCATION"), "the location");
    watched.on_event([&](contacts::Level level, std::string_view json) { events.emplace_back(level, nlohmann::json::parse(json)); },
                     contacts::Level::Warn);
    try {
      watched.call("contacts.get", "{\"contactId\":\"missing\"}");
    } catch (const contacts::Error &) {
    }
    CHECK(events.size() == 4 && events[3].first == contacts::Level::Error && events[3].second["code"] == "NOT_FOUND",
          "a failed call at warn");
    watched.clear_events();
    watched.call("contacts.get", "{\"contactId\":\"" + id + "\"}");
    CHECK(events.size() == 4, "no event once cleared");
    auto usage = nlohmann::json::parse(watched.usage());
    CHECK(usage["locations"][0]["counts"]["requests"] == 3, "usage counts the requests");
  }
  // Custom fields by key: written, read back by key, and the mapping dry run through the client.
  {
    const std::string loc = env("CONTACTS_LOCATION");
    try {
      client.call("locationCustomFields.create",
                  "{\"locationId\":\"" + loc + "\",\"name\":\"Cpp note\",\"dataType\":\"TEXT\"}");
    } catch (const contacts::Error &) {  // the .so and .a runs share one sandbox
    }
    auto made = nlohmann::json::parse(client.call(
        "contacts.upsert", "{\"locationId\":\"" + loc +
                               "\",\"email\":\"cpp-key@example.com\",\"customFields\":[{\"key\":\"contact.cpp_note\",\"fieldValue\":\"hi\"}]}"));
    std::string cid = made["contact"]["id"].get<std::string>();
    auto keyed = nlohmann::json::parse(client.call("contacts.get", "{\"contactId\":\"" + cid + "\",\"renderKeys\":true}"));
    CHECK(keyed["contact"]["customFieldsByKey"]["contact.cpp_note"] == "hi", "a key reads back by key");
    const std::string tmpl = "{\"target\":\"contact\",\"direction\":\"both\",\"fields\":[{\"from\":\"n\",\"customField\":\"contact.cpp_note\"}]}";
    auto back = nlohmann::json::parse(client.map_records(tmpl, "[" + keyed["contact"].dump() + "]", true));
    CHECK(back["records"][0]["record"]["n"] == "hi", "mapped back by key");
  }
  // A composite action, by name like any operation.
  std::string tagged = client.call("contacts.create", "{\"locationId\":\"" + env("CONTACTS_LOCATION") +
                                                          "\",\"firstName\":\"Tag\",\"tags\":[\"vip\"]}");
  auto tat = tagged.find("\"id\":\"");
  std::string tagged_id = tagged.substr(tat + 6, tagged.find('"', tat + 6) - tat - 6);
  std::string copied = client.call("tags.copy", "{\"fromContactId\":\"" + tagged_id + "\",\"toContactId\":\"" + id + "\"}");
  CHECK(copied.find("\"added\":[\"vip\"]") != std::string::npos, "tags.copy");
  client.call("appointments.create", "{\"calendarId\":\"cal_sandbox\",\"locationId\":\"" + env("CONTACTS_LOCATION") +
                                         "\",\"contactId\":\"" + id + "\",\"startTime\":\"2030-07-16T11:00:00-04:00\"}");
  auto feed = nlohmann::json::parse(client.call("activity.feed", "{\"contactId\":\"" + id + "\"}"));
  CHECK(feed["items"][0]["at"] == "2030-07-16T15:00:00.000Z", "activity.feed reads the appointment in New York time");
  // A host state store: a map, answering the JSON protocol of ffi/README.md.
  {
    struct Entry {
      nlohmann::json value;
      uint64_t version;
    };
    auto entries = std::make_shared<std::map<std::string, Entry>>();
    auto last = std::make_shared<uint64_t>(0);
    auto calls = std::make_shared<int>(0);
    contacts::StateStore store = [entries, last, calls](const std::string &request) {
      ++*calls;
      auto req = nlohmann::json::parse(request);
      const auto &a = req["args"];
      const std::string op = req["op"];
      auto write = [&](const std::string &key, const nlohmann::json &value) {
        (*entries)[key] = Entry{value, ++*last};
        return nlohmann::json(*last);
      };
      if (op == "get") {
        auto it = entries->find(a[0]);
        return (it == entries->end() ? nlohmann::json(nullptr)
                                     : nlohmann::json{{"value", it->second.value}, {"version", it->second.version}})
            .dump();
      }
      if (op == "put") return write(a[0], a[1]).dump();
      if (op == "compareAndSet") {
        auto it = entries->find(a[0]);
        nlohmann::json have = it == entries->end() ? nlohmann::json(nullptr) : nlohmann::json(it->second.version);
        return (have == a[1] ? write(a[0], a[2]) : nlohmann::json(nullptr)).dump();
      }
      throw std::runtime_error("not needed here: " + op);
    };
    contacts::Client journaled(cfg, store);
    std::string lead = "{\"idempotencyKey\":\"cpp-" + email + "\",\"contact\":{\"email\":\"" + email + "\"}}";
    CHECK(journaled.call("contacts.capture", lead).find("\"replayed\":false") != std::string::npos, "capture");
    CHECK(journaled.call("contacts.capture", lead).find("\"replayed\":true") != std::string::npos, "replayed");
    CHECK(*calls >= 3 && !entries->empty(), "the journal went through the C++ store");
    contacts::Client broken(cfg, [](const std::string &) -> std::string { throw std::runtime_error("disk gone"); });
    try {
      broken.call("contacts.capture", lead);
      CHECK(false, "a throwing store fails the work");
    } catch (const contacts::Error &e) {
      CHECK(e.code() == contacts::Code::State, "a throwing store is STATE");
    }
  }
  try {
    client.call("contacts.get", "{\"contactId\":\"missing\"}");
    CHECK(false, "404 throws");
  } catch (const contacts::Error &e) {
    CHECK(e.code() == contacts::Code::NotFound && e.http_status() == 404 && e.code_name() == "NOT_FOUND", "404 error");
  }
  contacts::Cursor cursor = client.pages("contacts.list", "{\"locationId\":\"" + env("CONTACTS_LOCATION") + "\",\"limit\":10}");
  int pages = 0;
  std::string json;
  while (cursor.next(json)) pages++;
  CHECK(pages >= 4, "cursor pages");

  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  bool ok = false;
  client.call_async("contacts.get", "{\"contactId\":\"" + id + "\"}", [&](const std::string &r, const contacts::Error *e) {
    std::lock_guard<std::mutex> lock(mu);
    ok = !e && r.find(id) != std::string::npos;
    done++;
    cv.notify_one();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, std::chrono::seconds(10), [&] { return done > 0; });
  }
  CHECK(done == 1 && ok, "async");

  // Polling triggers, with their state in a SQLite file, and a watch.
  {
    std::string state = "/tmp/libcontacts-cpp-poll-" + std::to_string(std::time(nullptr)) + ".db";
    std::string poll_cfg = cfg.substr(0, cfg.size() - 1) + ",\"state\":{\"sqlite\":\"" + state + "\"}}";
    contacts::Client poller(poll_cfg);
    auto base = nlohmann::json::parse(poller.poll("ContactCreate"));
    CHECK(base["events"].empty(), "the baseline reports nothing");
    std::string created = poller.call("contacts.create", "{\"locationId\":\"" + env("CONTACTS_LOCATION") +
                                                              "\",\"email\":\"cpp-poll-" + std::to_string(std::time(nullptr)) + "@example.com\"}");
    auto out = nlohmann::json::parse(poller.poll("ContactCreate", "{}", base["checkpoint"].get<std::string>()));
    CHECK(out["events"].size() == 1 && out["events"][0]["email"].get<std::string>().rfind("cpp-poll-", 0) == 0, "poll");
    try {
      poller.poll("ContactCreate", "{}", "{\"v\":1}");
      CHECK(false, "a corrupt checkpoint throws");
    } catch (const contacts::Error &e) {
      CHECK(e.code() == contacts::Code::InvalidArgument, "corrupt checkpoint code");
    }
    std::mutex wmu;
    std::condition_variable wcv;
    std::vector<nlohmann::json> polls;
    int errors = 0;
    {
      auto watch = poller.watch(
          "ContactCreate",
          [&](const std::string &json, const contacts::Error *err) {
            std::lock_guard<std::mutex> lock(wmu);
            if (err) errors++;
            else polls.push_back(nlohmann::json::parse(json));
            wcv.notify_all();
          },
          "{}", out["checkpoint"].get<std::string>(), 20);
      poller.call("contacts.create", "{\"locationId\":\"" + env("CONTACTS_LOCATION") +
                                         "\",\"email\":\"cpp-watch-" + std::to_string(std::time(nullptr)) + "@example.com\"}");
      std::unique_lock<std::mutex> lock(wmu);
      wcv.wait_for(lock, std::chrono::seconds(10), [&] {
        for (auto &p : polls)
          if (!p["events"].empty()) return true;
        return false;
      });
      lock.unlock();
      watch.cancel();
    }
    size_t seen = 0;
    for (auto &p : polls) seen += p["events"].size();
    CHECK(errors == 0 && seen == 1, "watch");
    std::remove(state.c_str());
  }

  // A sync with a host in C++ that has no records: every contact becomes
  // one of its records (nothing is written to the shared sandbox), a second
  // pass creates nothing, and a host that throws stops the pass with Host.
  {
    std::string state = "/tmp/libcontacts-cpp-sync-" + std::to_string(std::time(nullptr)) + ".db";
    std::remove(state.c_str());
    contacts::Client syncer(cfg.substr(0, cfg.size() - 1) + ",\"state\":{\"sqlite\":\"" + state + "\"}}");
    const char *tmpl = R"({"name": "cpp-members", "target": "contact", "direction": "both",
      "fields": [{"from": "email", "to": "email", "transforms": ["email"]}]})";
    int made = 0;
    contacts::SyncHost host = [&made](const std::string &request) {
      auto req = nlohmann::json::parse(request);
      if (req["op"] == "changes") return std::string(R"({"records": [], "checkpoint": "0"})");
      if (req["op"] == "upsert") {
        nlohmann::json record = {{"id", "cpp" + std::to_string(++made)}, {"updatedAt", req["args"][0]["nowMs"]},
                                 {"fields", req["args"][0]["fields"]}};
        return record.dump();
      }
      return std::string("null");
    };
    uint64_t last_total = 0;
    auto first = nlohmann::json::parse(syncer.sync_pass(tmpl, host, R"({"name": "cpp-sync"})",
                                                        [&](std::string_view, uint64_t, uint64_t total) {
                                                          if (total) last_total = total;
                                                        }));
    CHECK(made > 0 && first["created"]["host"] == made && first["created"]["highlevel"] == 0, "sync");
    CHECK(last_total == static_cast<uint64_t>(made), "sync progress");
    auto second = nlohmann::json::parse(syncer.sync_pass(tmpl, host, R"({"name": "cpp-sync"})"));
    CHECK(second["created"]["host"] == 0 && second["updated"]["highlevel"] == 0, "second sync pass");
    // A notes host with no notes of its own: it is sent none to create in
    // HighLevel (others' notes on the shared sandbox may come to it).
    int notes_made = 0;
    contacts::SyncHost notes = [&notes_made](const std::string &request) {
      auto req = nlohmann::json::parse(request);
      if (req["op"] == "changes") return std::string(R"({"records": [], "checkpoint": "0"})");
      if (req["op"] == "upsert") {
        nlohmann::json record = {{"id", "cppn" + std::to_string(++notes_made)}, {"updatedAt", req["args"][0]["nowMs"]},
                                 {"fields", req["args"][0]["fields"]}};
        return record.dump();
      }
      return std::string("null");
    };
    auto with_notes =
        nlohmann::json::parse(syncer.sync_pass_with(tmpl, host, notes, nullptr, R"({"name": "cpp-sync"})"));
    CHECK(with_notes["notes"]["created"]["highlevel"] == 0 && with_notes["notes"]["created"]["host"] == notes_made,
          "a notes host");
    // An appointments host: HighLevel's appointments of linked contacts
    // come to it under their ids, and a second pass writes none again.
    std::vector<std::string> visit_keys;
    contacts::SyncHost visits = [&visit_keys](const std::string &request) {
      auto req = nlohmann::json::parse(request);
      if (req["op"] == "upsert") {
        visit_keys.push_back(req["args"][0]["key"]);
        nlohmann::json record = {{"id", req["args"][0]["key"]}, {"updatedAt", req["args"][0]["nowMs"]},
                                 {"fields", req["args"][0]["fields"]}};
        return record.dump();
      }
      return std::string("null");
    };
    auto someone = nlohmann::json::parse(syncer.call(
        "contacts.search", "{\"locationId\":\"" + env("CONTACTS_LOCATION") + "\",\"pageLimit\":1}"))["contacts"][0]["id"];
    auto now = static_cast<int64_t>(std::time(nullptr)) * 1000;
    auto slots = nlohmann::json::parse(syncer.call(
        "calendars.freeSlots", nlohmann::json{{"calendarId", "cal_sandbox"}, {"startDate", now + 86400000},
                                              {"endDate", now + 3 * 86400000}}.dump()));
    std::string slot;
    for (auto &[day, d] : slots.items())
      if (slot.empty() && d.is_object() && d.contains("slots") && !d["slots"].empty()) slot = d["slots"][0];
    auto booked = nlohmann::json::parse(syncer.call(
        "appointments.create", nlohmann::json{{"calendarId", "cal_sandbox"}, {"locationId", env("CONTACTS_LOCATION")},
                                              {"contactId", someone}, {"startTime", slot}, {"title", "cpp visit"}}
                                   .dump()));
    auto settings = R"({"name": "cpp-sync", "appointments": {"calendarIds": ["cal_sandbox"]}})";
    auto first_visits = nlohmann::json::parse(syncer.sync_pass_with(tmpl, host, nullptr, visits, settings));
    CHECK(first_visits["appointments"]["created"] == visit_keys.size(), "an appointments host");
    CHECK(std::find(visit_keys.begin(), visit_keys.end(), booked["id"]) != visit_keys.end(),
          "the booked appointment reached the host");
    auto again_visits = nlohmann::json::parse(syncer.sync_pass_with(tmpl, host, nullptr, visits, settings));
    CHECK(again_visits["appointments"]["created"] == 0 && again_visits["appointments"]["updated"] == 0,
          "appointments written once");
    try {
      syncer.sync_pass_with(tmpl, host, nullptr, visits, settings, R"({"appointments": 1})");
      CHECK(false, "bad record fields are refused");
    } catch (const contacts::Error &e) {
      CHECK(e.code() == contacts::Code::InvalidArgument, "bad record fields: INVALID_ARGUMENT");
    }
    try {
      syncer.sync_pass(tmpl, [](const std::string &) -> std::string { throw std::runtime_error("down"); },
                       R"({"name": "cpp-sync"})");
      CHECK(false, "a throwing host stops the pass");
    } catch (const contacts::Error &e) {
      CHECK(e.code() == contacts::Code::Host, "a throwing host: HOST");
    }
    try {
      syncer.sync_pass_sqlite(tmpl, "/tmp/libcontacts-cpp-nothing.db", "members", R"({"name": "cpp-sync"})");
      CHECK(false, "a missing table");
    } catch (const contacts::Error &e) {
      CHECK(e.code() == contacts::Code::InvalidArgument, "a missing table: INVALID_ARGUMENT");
    }
    try {
      contacts::Client::sync_install_triggers("/tmp/libcontacts-cpp-nothing.db", "members");
      CHECK(false, "no change triggers for a missing table");
    } catch (const contacts::Error &e) {
      CHECK(e.code() == contacts::Code::InvalidArgument, "change triggers on a missing table: INVALID_ARGUMENT");
    }
    std::remove("/tmp/libcontacts-cpp-nothing.db");
    std::remove(state.c_str());
  }

  // A flow (the shipped form-lead flow's shape): each host event runs once; bad ones are typed.
  {
    std::string state = "/tmp/libcontacts-cpp-flow-" + std::to_string(std::time(nullptr)) + ".db";
    std::remove(state.c_str());
    contacts::Client runner(cfg.substr(0, cfg.size() - 1) + ",\"state\":{\"sqlite\":\"" + state + "\"}}");
    contacts::Flow flow(runner, R"({"name": "cpp-lead", "trigger": {"hostEvent": "form.submitted"},
      "mapping": {"template": {"target": "contact", "fields": [{"from": "email", "to": "email", "transforms": ["email"], "rules": [{"rule": "email"}]}]}},
      "steps": [{"name": "capture", "action": "contacts.capture", "params": {"idempotencyKey": "{{event.id}}", "contact": "{{mapped}}", "tags": ["cpp"]}}]})");
    CHECK(flow.name() == "cpp-lead", "flow name");
    CHECK(nlohmann::json::parse(flow.summary())["steps"][0]["recovery"] == "resend", "summary");
    std::string stamp = std::to_string(std::time(nullptr));
    std::string event = "{\"type\":\"form.submitted\",\"id\":\"cpp-" + stamp + "\",\"data\":{\"email\":\"CPP-" + stamp + "@Example.com\"}}";
    auto run = nlohmann::json::parse(flow.dispatch(event));
    CHECK(run["state"] == "done" && run["replayed"] == false, "flow run");
    CHECK(nlohmann::json::parse(flow.dispatch(event))["replayed"] == true, "flow replay");
    auto invalid = nlohmann::json::parse(flow.dispatch(R"({"type":"form.submitted","id":"cpp-bad","data":{"email":"nope"}})"));
    CHECK(invalid["state"] == "invalid" && invalid["errors"][0]["path"] == "event.data.email", "invalid event");
    auto log = nlohmann::json::parse(flow.log());
    CHECK(log.size() == 2, "flow log");
    CHECK(nlohmann::json::parse(flow.log(5, log[0]["runId"].get<std::string>()))["runId"] == log[0]["runId"], "one run");
    CHECK(nlohmann::json::parse(flow.resume()).empty(), "nothing to resume");
    try {
      flow.poll();
      CHECK(false, "a host-event flow does not poll");
    } catch (const contacts::Error &e) {
      CHECK(e.code() == contacts::Code::InvalidArgument, "poll of a host-event flow");
      CHECK(contacts::flow_delivery_status(&e) == 400 && contacts::flow_delivery_status() == 200,
            "a receiver's answer");
    }
    try {
      contacts::Flow bad(runner, R"({"name": "b", "trigger": {"hostEvent": "x"}, "steps": [{"name": "a", "action": "nope.nope"}]})");
      CHECK(false, "a bad flow throws");
    } catch (const contacts::Error &e) {
      CHECK(e.code() == contacts::Code::InvalidArgument && std::string(e.what()).find("$.steps[0].action") != std::string::npos,
            "a bad flow names its path");
    }
    std::remove(state.c_str());
  }

  contacts::Request req("{\"token\":\"pit-x\"}", "contacts.get", "{\"contactId\":\"c1\"}");
  CHECK(req.method() == "GET" && req.url() == "https://services.leadconnectorhq.com/contacts/c1", "sans-io build");
  CHECK(req.parse(200, {}, "{\"contact\":{\"id\":\"c1\"}}").find("c1") != std::string::npos, "sans-io parse");
  try {
    req.parse(429, {{"Retry-After", "3"}}, "");
    CHECK(false, "429 throws");
  } catch (const contacts::Error &e) {
    CHECK(e.code() == contacts::Code::RateLimited && e.retry_after_ms() == 3000, "429 error");
  }
  contacts::WebhookVerifier verifier(env("CONTACTS_WEBHOOK_KEYS"));
  std::vector<std::string> verdicts;
  verifier.on_event([&](contacts::Level, std::string_view json) {
    verdicts.push_back(nlohmann::json::parse(json)["kind"].get<std::string>());
  });
  uint64_t now_ms = std::strtoull(env("CONTACTS_WEBHOOK_NOW_MS").c_str(), nullptr, 10);
  std::string event =
      verifier.verify({{"X-GHL-Signature", env("CONTACTS_WEBHOOK_SIGNATURE")}}, env("CONTACTS_WEBHOOK_BODY"), now_ms);
  CHECK(event.find("ContactCreate") != std::string::npos, "webhook");
  try {
    verifier.verify({{"X-GHL-Signature", env("CONTACTS_WEBHOOK_SIGNATURE")}}, env("CONTACTS_WEBHOOK_BODY"), now_ms);
    CHECK(false, "a replay throws");
  } catch (const contacts::Error &e) {
    CHECK(e.code() == contacts::Code::WebhookReplay, "replay code");
  }
  CHECK(verdicts == (std::vector<std::string>{"webhook_accepted", "webhook_refused"}), "the verifier's events");
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
