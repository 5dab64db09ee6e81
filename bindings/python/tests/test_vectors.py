"""The shared vectors (tests/vectors/, format in its README) through the
Python binding's sans-IO path: Request (build, parse, parse_page) and
WebhookVerifier, as the C ABI, the JS package and the C++ binding run them.

The ABI gives an error's code, HTTP status, retry delay, trace id, scope and
message, not its message list or raw body: ``messages`` are checked as parts
of the message, ``raw_body`` is not checked here (the C ABI suite does)."""

import json
import os

import pytest

import libcontacts
from libcontacts import ContactsError, Request, WebhookVerifier

VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "vectors")
CONFIG = {"token": "pit-vector-token"}


def load(name):
    with open(os.path.join(VECTORS, name), encoding="utf-8") as f:
        return json.load(f)["vectors"]


def subset(expected, actual):
    """The README's subset match."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and subset(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(
            subset(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    return expected == actual


def body_of(r):
    if "body" in r:
        return json.dumps(r["body"], separators=(",", ":")).encode()
    if "body_hex" in r:
        return bytes.fromhex(r["body_hex"])
    return r.get("body_text", "").encode()


def respond(req, r):
    return req.parse(r["status"], list(r.get("headers", {}).items()), body_of(r))


def check_error(name, err, expect):
    assert err.code == expect["code"], (name, err.code, err.message)
    if "http_status" in expect:
        assert err.http_status == expect["http_status"], name
    if "retry_after_ms" in expect:
        assert err.retry_after_ms == expect["retry_after_ms"], name
    if "required_scope" in expect:
        assert err.required_scope == expect["required_scope"], name
    if "trace_id" in expect:
        assert err.trace_id == expect["trace_id"], name
    for m in expect.get("messages", []):
        assert m in err.message, (name, m, err.message)
    if "message_contains" in expect:
        assert expect["message_contains"] in err.message, (name, err.message)


def header(pairs, name):
    return next((v for k, v in pairs if k.lower() == name.lower()), None)


def run_operation(v):
    """Runs one operation, error or hostile-id vector; the error code it gave, if any."""
    name, op, params = v["name"], v["op"], v["params"]
    if "response" not in v and "expect_error" in v:
        with pytest.raises(ContactsError) as e:
            Request(op, params, CONFIG).close()
        check_error(name, e.value, v["expect_error"])
        return e.value.code
    with Request(op, params, CONFIG) as req:
        want = v.get("expect_request")
        if want:
            assert (req.method, req.url) == (want["method"], want["url"]), name
            headers = req.headers
            for k, val in want.get("headers", {}).items():
                assert header(headers, k) == val, (name, k)
            for k in want.get("absent_headers", []):
                assert header(headers, k) is None, (name, k)
            if "body" in want:
                assert json.loads(req.body) == want["body"], (name, req.body)
            if "body_text" in want:
                assert req.body == want["body_text"].encode(), (name, req.body)
        if "response" not in v:
            return None
        if "expect_error" in v:
            with pytest.raises(ContactsError) as e:
                respond(req, v["response"])
            check_error(name, e.value, v["expect_error"])
            return e.value.code
        out = respond(req, v["response"])
        if "expect_output" in v:
            assert subset(v["expect_output"], out), (name, out)
    return None


def test_operation_vectors_cover_every_catalog_operation():
    vectors = load("operations.json")
    covered = {v["op"] for v in vectors}
    for action in libcontacts.catalog()["actions"]:
        if action.get("kind") != "composite":
            assert action["name"] in covered, f"no vector for {action['name']}"
    for v in vectors:
        assert run_operation(v) is None, v["name"]


def test_error_vectors_give_the_same_codes():
    codes = {run_operation(v) for v in load("errors.json")}
    assert None not in codes, "an error vector must fail"
    for v in load("webhooks.json"):
        codes |= {d["expect_error"]["code"] for d in v["deliveries"] if "expect_error" in d}
    engine_only = set(libcontacts.catalog()["engineOnlyErrorCodes"])
    missing = set(libcontacts.catalog()["errorCodes"]) - engine_only - codes
    assert not missing, f"no vector produces {missing}"


def test_hostile_ids_are_encoded_or_refused():
    for v in load("hostile_ids.json"):
        run_operation(v)


def test_pagination_vectors_give_the_next_params():
    for v in load("pagination.json"):
        r = v["response"]
        with Request(v["op"], v["params"], CONFIG) as req:
            if "expect_next_error" in v:
                with pytest.raises(ContactsError) as e:
                    req.parse_page(r["status"], list(r.get("headers", {}).items()), body_of(r))
                check_error(v["name"], e.value, v["expect_next_error"])
            else:
                _, next_params = req.parse_page(r["status"], list(r.get("headers", {}).items()), body_of(r))
                assert next_params == v["expect_next_params"], (v["name"], next_params)


def test_webhook_vectors_verify_type_and_refuse():
    with open(os.path.join(VECTORS, "webhooks.json"), encoding="utf-8") as f:
        public_key = json.load(f)["public_key"]
    for v in load("webhooks.json"):
        with WebhookVerifier([public_key]) as verifier:
            for d in v["deliveries"]:
                body = d["body_text"].encode()
                if "expect_error" in d:
                    with pytest.raises(ContactsError) as e:
                        verifier.verify(d["headers"], body, d["now_ms"])
                    check_error(v["name"], e.value, d["expect_error"])
                else:
                    event = verifier.verify(d["headers"], body, d["now_ms"])
                    assert subset(d["expect_event"], event), (v["name"], event)
                    assert libcontacts.parse_webhook_event(body) == event, v["name"]


def _expect_load_error(name, err, expected):
    assert err.code == expected["code"], (name, err)
    start = expected["code"] + ": " + expected["message_starts_with"]
    assert err.message.startswith(start), (name, err.message)


def test_lang_vectors_give_the_same_answers():
    with open(os.path.join(VECTORS, "lang.json"), encoding="utf-8") as f:
        lang = json.load(f)
    for v in lang["conditions"]:
        if "expect_error" in v:
            with pytest.raises(libcontacts.ContactsError) as e:
                libcontacts.Condition(v["condition"], v["scope"])
            _expect_load_error(v["name"], e.value, v["expect_error"])
            continue
        with libcontacts.Condition(v["condition"], v["scope"]) as c:
            for case in v["cases"]:
                assert c(case["data"]) is case["expect"], (v["name"], case["data"])
    for v in lang["templates"]:
        if "expect_error" in v:
            with pytest.raises(libcontacts.ContactsError) as e:
                libcontacts.Template(v["template"], v["scope"])
            _expect_load_error(v["name"], e.value, v["expect_error"])
            continue
        t = libcontacts.Template(v["template"], v["scope"])
        for case in v["cases"]:
            assert t.render(case["data"]) == case["expect"], v["name"]
    for v in lang["scopes"]:
        with pytest.raises(libcontacts.ContactsError) as e:
            libcontacts.Condition({"all": []}, v["scope"])
        _expect_load_error(v["name"], e.value, v["expect_error"])


def test_mapping_vectors():
    with open(os.path.join(VECTORS, "mapping.json"), encoding="utf-8") as f:
        mapping = json.load(f)
    for v in mapping["vectors"]:
        defs = mapping["customFields"] if v["customFields"] == "file" else None
        run = lambda: libcontacts.map_records(v["template"], v.get("records", []), custom_fields=defs,  # noqa: E731
                                              reverse=v.get("reverse", False))
        if "expect_error" in v:
            with pytest.raises(libcontacts.ContactsError) as e:
                run()
            _expect_load_error(v["name"], e.value, v["expect_error"])
            continue
        assert run() == v["expect"], v["name"]


def test_phone_vectors():
    with open(os.path.join(VECTORS, "phones.json"), encoding="utf-8") as f:
        numbers = json.load(f)["numbers"]
    for n in numbers:
        assert libcontacts.phone_to_e164(n["text"], n["region"]) == n["expect"], n
