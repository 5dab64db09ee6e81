// The shared vectors (tests/vectors/, format in its README) through the C++
// wrapper's sans-IO path: Request (build, parse, parse_page) and
// WebhookVerifier, as the C ABI, the JS package and the Python binding run
// them. JSON is read with nlohmann/json. The ABI gives an error's code,
// status, retry delay, trace id, scope and message, not its message list or
// raw body: `messages` are checked as parts of the message, `raw_body` is
// left to the C ABI suite.
//
// Usage: test_vectors DIR (the tests/vectors folder).
#include <libcontacts.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>

using nlohmann::json;

static int passed, failed;

static void expect(bool ok, const std::string &what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    std::fprintf(stderr, "FAIL %s\n", what.c_str());
  }
}

static json load(const std::string &dir, const char *file) {
  std::ifstream in(dir + "/" + file);
  if (!in) {
    std::fprintf(stderr, "cannot read %s/%s\n", dir.c_str(), file);
    std::exit(2);
  }
  return json::parse(in);
}

/// The README's subset match.
static bool subset(const json &expected, const json &actual) {
  if (expected.is_object()) {
    if (!actual.is_object()) return false;
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      if (!actual.contains(it.key()) || !subset(it.value(), actual.at(it.key()))) return false;
    }
    return true;
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) return false;
    for (size_t i = 0; i < expected.size(); i++) {
      if (!subset(expected[i], actual[i])) return false;
    }
    return true;
  }
  return expected == actual;
}

static std::string body_of(const json &r) {
  if (r.contains("body")) return r["body"].dump();
  if (r.contains("body_hex")) {
    std::string hex = r["body_hex"], out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
  }
  return r.value("body_text", "");
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

static Pairs headers_of(const json &r) {
  Pairs out;
  if (r.contains("headers")) {
    for (auto it = r["headers"].begin(); it != r["headers"].end(); ++it) out.emplace_back(it.key(), it.value());
  }
  return out;
}

static const std::string *header(const Pairs &pairs, const std::string &name) {
  auto lower = [](std::string s) {
    for (auto &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (const auto &p : pairs) {
    if (lower(p.first) == lower(name)) return &p.second;
  }
  return nullptr;
}

static void check_error(const std::string &name, const contacts::Error &e, const json &want) {
  expect(e.code_name() == want["code"].get<std::string>(), name + ": code " + e.code_name() + ": " + e.what());
  if (want.contains("http_status")) expect(e.http_status() == want["http_status"].get<int>(), name + ": status");
  if (want.contains("retry_after_ms")) expect(e.retry_after_ms() == want["retry_after_ms"].get<uint64_t>(), name + ": retry");
  if (want.contains("required_scope")) expect(e.required_scope() == want["required_scope"].get<std::string>(), name + ": scope");
  if (want.contains("trace_id")) expect(e.trace_id() == want["trace_id"].get<std::string>(), name + ": trace id");
  for (const auto &m : want.value("messages", json::array())) {
    expect(std::string(e.what()).find(m.get<std::string>()) != std::string::npos, name + ": message " + m.dump());
  }
  if (want.contains("message_contains")) {
    expect(std::string(e.what()).find(want["message_contains"].get<std::string>()) != std::string::npos,
           name + ": message " + e.what());
  }
}

static const char *CONFIG = R"({"token":"pit-vector-token"})";

/// Runs one operation, error or hostile-id vector; the error code it gave ("" for none).
static std::string run_operation(const json &v) {
  const std::string name = v["name"], op = v["op"], params = v["params"].dump();
  try {
    contacts::Request req(CONFIG, op, params);
    if (v.contains("expect_error") && !v.contains("response")) {
      expect(false, name + ": expected a build error");
      return "";
    }
    if (v.contains("expect_request")) {
      const json &want = v["expect_request"];
      expect(req.method() == want["method"].get<std::string>(), name + ": method");
      expect(req.url() == want["url"].get<std::string>(), name + ": url " + req.url());
      Pairs hs = req.headers();
      const json wanted_headers = want.value("headers", json::object());
      for (auto it = wanted_headers.begin(); it != wanted_headers.end(); ++it) {
        const std::string *got = header(hs, it.key());
        expect(got && *got == it.value().get<std::string>(), name + ": header " + it.key());
      }
      for (const auto &k : want.value("absent_headers", json::array())) expect(!header(hs, k), name + ": header present");
      if (want.contains("body")) expect(json::parse(req.body()) == want["body"], name + ": body " + req.body());
      if (want.contains("body_text")) expect(req.body() == want["body_text"].get<std::string>(), name + ": body");
    }
    if (!v.contains("response")) return "";
    const json &r = v["response"];
    try {
      json out = json::parse(req.parse(r["status"].get<uint16_t>(), headers_of(r), body_of(r)));
      if (v.contains("expect_error")) {
        expect(false, name + ": expected a parse error");
      } else if (v.contains("expect_output")) {
        expect(subset(v["expect_output"], out), name + ": output " + out.dump());
      }
      return "";
    } catch (const contacts::Error &e) {
      if (!v.contains("expect_error")) {
        expect(false, name + ": " + e.what());
        return "";
      }
      check_error(name, e, v["expect_error"]);
      return e.code_name();
    }
  } catch (const contacts::Error &e) {
    if (!v.contains("expect_error") || v.contains("response")) {
      expect(false, name + ": build: " + e.what());
      return "";
    }
    check_error(name, e, v["expect_error"]);
    return e.code_name();
  }
}

/// A load error's code, and whether its message (after `CODE: `) starts
/// with the expected JSON path.
static void expect_load_error(const std::string &name, const contacts::Error &e, const json &expected) {
  const std::string code = expected["code"].get<std::string>();
  const std::string start = code + ": " + expected["message_starts_with"].get<std::string>();
  expect(e.code_name() == code, name + ": " + e.code_name());
  expect(std::string(e.what()).rfind(start, 0) == 0, name + ": " + e.what());
}

/// mapping.json (the dry run's report, or the refusal) and phones.json.
static void run_mapping(const json &mapping, const json &phones) {
  const std::string defs = mapping["customFields"].dump();
  for (const auto &v : mapping["vectors"]) {
    const std::string name = v["name"].get<std::string>();
    const std::string records = v.contains("records") ? v["records"].dump() : "[]";
    const bool reverse = v.contains("reverse") && v["reverse"].get<bool>();
    try {
      const std::string report = contacts::map_records(v["template"].dump(), records,
                                                       v["customFields"] == "file" ? defs : std::string(), reverse);
      expect(v.contains("expect") && json::parse(report) == v["expect"], name + ": " + report);
    } catch (const contacts::Error &e) {
      if (v.contains("expect_error")) expect_load_error(name, e, v["expect_error"]);
      else expect(false, name + ": " + e.what());
    }
  }
  for (const auto &n : phones["numbers"]) {
    const json got = json::parse(contacts::phone_to_e164(n["text"].get<std::string>(), n["region"].get<std::string>()));
    expect(got == n["expect"], n.dump());
  }
}

/// lang.json: conditions, templates and scopes.
static void run_lang(const json &lang) {
  for (const auto &v : lang["conditions"]) {
    const std::string name = v["name"].get<std::string>();
    try {
      contacts::Condition c(v["condition"].dump(), v["scope"].dump());
      expect(!v.contains("expect_error"), name + ": should have been refused");
      if (!v.contains("cases")) continue;
      for (const auto &k : v["cases"]) expect(c.eval(k["data"].dump()) == k["expect"].get<bool>(), name);
    } catch (const contacts::Error &e) {
      if (v.contains("expect_error")) expect_load_error(name, e, v["expect_error"]);
      else expect(false, name + ": " + e.what());
    }
  }
  for (const auto &v : lang["templates"]) {
    const std::string name = v["name"].get<std::string>();
    try {
      contacts::Template t(v["template"].dump(), v["scope"].dump());
      expect(!v.contains("expect_error"), name + ": should have been refused");
      if (!v.contains("cases")) continue;
      for (const auto &k : v["cases"]) expect(json::parse(t.render(k["data"].dump())) == k["expect"], name);
    } catch (const contacts::Error &e) {
      if (v.contains("expect_error")) expect_load_error(name, e, v["expect_error"]);
      else expect(false, name + ": " + e.what());
    }
  }
  for (const auto &v : lang["scopes"]) {
    try {
      contacts::Condition c("{\"all\": []}", v["scope"].dump());
      expect(false, v["name"].get<std::string>() + ": should have been refused");
    } catch (const contacts::Error &e) {
      expect_load_error(v["name"].get<std::string>(), e, v["expect_error"]);
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s tests/vectors\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  json catalog = json::parse(contacts::catalog());

  const json ops = load(dir, "operations.json")["vectors"];
  std::set<std::string> covered;
  for (const auto &v : ops) {
    covered.insert(v["op"].get<std::string>());
    expect(run_operation(v).empty(), v["name"].get<std::string>() + ": no error");
  }
  for (const auto &a : catalog["actions"]) {
    if (a.value("kind", "") != "composite") expect(covered.count(a["name"]) == 1, "no vector for " + a["name"].dump());
  }

  std::set<std::string> codes;
  // Each file is held in a named json: a loop over a temporary's member
  // would outlive the temporary.
  const json errors = load(dir, "errors.json"), hostile = load(dir, "hostile_ids.json"),
             pagination = load(dir, "pagination.json"), malformed = load(dir, "malformed.json");
  for (const auto &v : errors["vectors"]) {
    std::string code = run_operation(v);
    expect(!code.empty(), v["name"].get<std::string>() + ": an error vector must fail");
    codes.insert(code);
  }
  for (const auto &v : hostile["vectors"]) run_operation(v);

  for (const auto &v : pagination["vectors"]) {
    const std::string name = v["name"];
    const json &r = v["response"];
    contacts::Request req(CONFIG, v["op"].get<std::string>(), v["params"].dump());
    try {
      auto [page, next] = req.parse_page(r["status"].get<uint16_t>(), headers_of(r), body_of(r));
      expect(!v.contains("expect_next_error"), name + ": expected an error");
      json want = v.value("expect_next_params", json());
      expect(next.empty() ? want.is_null() : json::parse(next) == want, name + ": next " + next);
    } catch (const contacts::Error &e) {
      if (v.contains("expect_next_error")) check_error(name, e, v["expect_next_error"]);
      else expect(false, name + ": " + e.what());
    }
  }

  json webhooks = load(dir, "webhooks.json");
  const std::string keys = json::array({webhooks["public_key"]}).dump();
  for (const auto &v : webhooks["vectors"]) {
    contacts::WebhookVerifier verifier(keys);
    for (const auto &d : v["deliveries"]) {
      const std::string name = v["name"], body = d["body_text"];
      Pairs hs;
      for (auto it = d["headers"].begin(); it != d["headers"].end(); ++it) hs.emplace_back(it.key(), it.value());
      try {
        json event = json::parse(verifier.verify(hs, body, d["now_ms"].get<uint64_t>()));
        expect(d.contains("expect_event") && subset(d["expect_event"], event), name + ": event " + event.dump());
        expect(json::parse(contacts::parse_webhook_event(body)) == event, name + ": typed without verifying");
      } catch (const contacts::Error &e) {
        if (d.contains("expect_error")) {
          check_error(name, e, d["expect_error"]);
          codes.insert(e.code_name());
        } else {
          expect(false, name + ": " + e.what());
        }
      }
    }
  }

  for (const auto &v : malformed["vectors"]) {
    const std::string name = v["name"], kind = v["kind"];
    if (kind == "host_json") continue;  // std::string_view JSON text goes straight to the ABI, as in the C suite
    try {
      if (kind == "event_body") {
        contacts::parse_webhook_event(body_of(v));
      } else {
        contacts::Request req(CONFIG, v["op"].get<std::string>(), v["params"].dump());
        req.parse(v["response"]["status"].get<uint16_t>(), {}, body_of(v["response"]));
      }
      expect(false, name + ": expected " + v["expect_code"].get<std::string>());
    } catch (const contacts::Error &e) {
      expect(e.code_name() == v["expect_code"].get<std::string>(), name + ": " + e.code_name());
    }
  }

  std::set<std::string> engine_only;
  for (const auto &c : catalog["engineOnlyErrorCodes"]) engine_only.insert(c.get<std::string>());
  for (const auto &c : catalog["errorCodes"]) {
    if (!engine_only.count(c)) expect(codes.count(c) == 1, "no vector produces " + c.get<std::string>());
  }
  const json lang = load(dir, "lang.json");
  run_lang(lang);
  run_mapping(load(dir, "mapping.json"), load(dir, "phones.json"));
  std::printf("vectors (C++): %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
