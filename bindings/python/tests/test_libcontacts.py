"""The Python binding against a live sandbox (environment as for the C suite)."""

import json
import os
import re
import time

import pytest

import libcontacts
from libcontacts import CODES, Client, ContactsError, Request, WebhookVerifier

BASE = os.environ["CONTACTS_BASE_URL"]
LOCATION = os.environ["CONTACTS_LOCATION"]


@pytest.fixture(scope="module")
def client():
    with Client({"baseUrl": BASE, "credentials": {"kind": "privateIntegrationToken",
                 "token": os.environ["CONTACTS_PIT"], "locationId": LOCATION}}) as c:
        yield c


def test_version_and_catalog():
    assert libcontacts.version()
    assert any(a["name"] == "contacts.get" for a in libcontacts.catalog()["actions"])
    # The settings Client(config) takes, as JSON Schema for builders.
    settings = libcontacts.catalog()["settings"]
    assert set(settings) == {"client", "build", "verifier", "exchange", "poll", "sync"}
    assert "credentials" in settings["client"]["properties"]


def test_authorize_url():
    url = libcontacts.authorize_url("app-1", "https://example.com/cb", ["contacts.readonly"], "s-1")
    assert "client_id=app-1" in url and "state=s-1" in url
    with pytest.raises(libcontacts.ContactsError) as e:
        libcontacts.authorize_url("app-1", "https://example.com/cb", [], "s-1")
    assert e.value.code == "INVALID_ARGUMENT"


def test_calls_and_errors(client):
    page = client.call("contacts.list", {"locationId": LOCATION, "limit": 2})
    cid = page["contacts"][0]["id"]
    assert client.call("contacts.get", {"contactId": cid})["contact"]["id"] == cid
    with pytest.raises(ContactsError) as e:
        client.call("contacts.get", {"contactId": "missing"})
    assert (e.value.code, e.value.http_status) == ("NOT_FOUND", 404)
    with pytest.raises(ContactsError) as e:
        client.call("contacts.nope", {})
    assert e.value.code == "INVALID_ARGUMENT"
    with pytest.raises(ContactsError) as e:
        client.call("contacts.get", {"contactId": 7})
    assert e.value.code == "INVALID_ARGUMENT"


def test_a_composite_action_by_name(client):
    def make(tags):
        return client.call("contacts.create", {"locationId": LOCATION, "firstName": "Py", "tags": tags})["contact"]["id"]
    src, dst = make(["vip", "webinar"]), make(["webinar"])
    out = client.call("tags.copy", {"fromContactId": src, "toContactId": dst})
    assert out["added"] == ["vip"] and sorted(out["tags"]) == ["vip", "webinar"]
    with pytest.raises(ContactsError) as e:
        client.call("tags.copy", {"fromContactId": src})
    assert e.value.code == "INVALID_ARGUMENT"


def test_the_activity_feed_reads_appointment_times_in_the_calendars_zone(client):
    who = client.call("contacts.create", {"locationId": LOCATION, "firstName": "Feed"})["contact"]["id"]
    client.call("appointments.create", {"calendarId": "cal_sandbox", "locationId": LOCATION,
                                        "contactId": who, "startTime": "2030-07-17T11:00:00-04:00"})
    client.call("notes.create", {"contactId": who, "body": "from Python"})
    feed = client.call("activity.feed", {"contactId": who})
    assert feed["timeZone"] == "America/New_York"
    assert [(i["type"], i["at"]) for i in feed["items"]][0] == ("appointment", "2030-07-17T15:00:00.000Z")
    assert feed["items"][1]["body"] == "from Python"
    with pytest.raises(ContactsError) as e:
        client.call("activity.feed", {"contactId": who, "timeZone": "Mars/Olympus_Mons"})
    assert e.value.code == "INVALID_ARGUMENT"


def test_bad_config_is_a_typed_error():
    with pytest.raises(ContactsError) as e:
        Client({"credentials": {"kind": "pat"}})
    assert e.value.code == "INVALID_ARGUMENT"


def test_pages(client):
    pages = list(client.pages("contacts.list", {"locationId": LOCATION, "limit": 10}))
    assert len(pages) >= 4
    ids = [c["id"] for p in pages for c in p["contacts"]]
    assert len(ids) == len(set(ids)) >= 30


def test_async_and_cancel(client):
    cid = client.call("contacts.list", {"locationId": LOCATION, "limit": 1})["contacts"][0]["id"]
    f = client.call_async("contacts.get", {"contactId": cid})
    assert f.result(timeout=10)["contact"]["id"] == cid
    f.cancel_call()  # after completion: harmless
    with Client({"baseUrl": os.environ["CONTACTS_SLOW_BASE_URL"], "credentials": {"kind": "privateIntegrationToken",
                 "token": os.environ["CONTACTS_PIT"]}}) as slow:
        start = time.monotonic()
        f = slow.call_async("contacts.list", {"locationId": LOCATION})
        f.cancel_call()
        with pytest.raises(ContactsError) as e:
            f.result(timeout=10)
        assert e.value.code == "CANCELLED"
        assert time.monotonic() - start < 2


def test_sans_io():
    with Request("contacts.get", {"contactId": "a b"}, {"token": "pit-x"}) as r:
        assert (r.method, r.url) == ("GET", "https://services.leadconnectorhq.com/contacts/a%20b")
        assert ("Authorization", "Bearer pit-x") in r.headers
        assert r.body == b""
        assert r.parse(200, [], b'{"contact":{"id":"a b"}}')["contact"]["id"] == "a b"
        with pytest.raises(ContactsError) as e:
            r.parse(403, [], b'{"statusCode":403,"message":"The token does not have access to this location."}')
        assert (e.value.code, e.value.required_scope) == ("FORBIDDEN", "contacts.readonly")


def test_webhooks():
    v = WebhookVerifier(json.loads(os.environ["CONTACTS_WEBHOOK_KEYS"]))
    body = os.environ["CONTACTS_WEBHOOK_BODY"].encode()
    headers = {"X-GHL-Signature": os.environ["CONTACTS_WEBHOOK_SIGNATURE"]}
    now = int(os.environ["CONTACTS_WEBHOOK_NOW_MS"])
    assert v.verify(headers, body, now)["type"] == "ContactCreate"
    with pytest.raises(ContactsError) as e:
        v.verify(headers, body, now)
    assert e.value.code == "WEBHOOK_REPLAY"
    with pytest.raises(ContactsError) as e:
        WebhookVerifier(json.loads(os.environ["CONTACTS_WEBHOOK_KEYS"])).verify(headers, body[:-1] + b" ", now)
    assert e.value.code == "WEBHOOK_SIGNATURE"


def test_sans_io_pages():
    params = {"locationId": "loc", "limit": 2}
    with Request("contacts.list", params) as r:
        page, next_params = r.parse_page(200, [], json.dumps(
            {"contacts": [{"id": "c1"}, {"id": "c2"}], "meta": {"startAfterId": "c2", "startAfter": 5}}).encode())
        assert [c["id"] for c in page["contacts"]] == ["c1", "c2"]
        assert next_params == {**params, "startAfterId": "c2", "startAfter": 5}
        assert r.parse_page(200, [], b'{"contacts": []}')[1] is None


VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "vectors")


def test_malformed_bodies_are_decode():
    """tests/vectors/malformed.json: the kinds the binding reaches (it hands
    over dicts, so there is no host JSON text to refuse)."""
    vectors = json.load(open(os.path.join(VECTORS, "malformed.json")))["vectors"]
    ran = set()
    for v in vectors:
        if v["kind"] == "host_json":
            continue  # the binding serializes dicts itself: no bad JSON text reaches the ABI
        with pytest.raises(ContactsError) as e:
            if v["kind"] == "event_body":
                body = bytes.fromhex(v["body_hex"]) if "body_hex" in v else v["body_text"].encode()
                libcontacts.parse_webhook_event(body)
            elif v["kind"] == "response_body":
                with Request(v["op"], v["params"]) as r:
                    resp = v["response"]
                    body = bytes.fromhex(resp["body_hex"]) if "body_hex" in resp else resp["body_text"].encode()
                    r.parse(resp["status"], [], body)
            else:
                pytest.fail(f"{v['name']}: unknown kind {v['kind']}")
        assert e.value.code == v["expect_code"], (v["name"], e.value)
        ran.add(v["kind"])
    assert ran == {"event_body", "response_body"}


def test_every_code_is_known():
    header = os.path.join(os.path.dirname(__file__), "..", "..", "..", "include", "libcontacts.h")
    count = int(re.search(r"#define CONTACTS_CODE_COUNT (\d+)", open(header).read()).group(1))
    assert len(CODES) == len(set(CODES.values())) == count


class DictStore:
    """A state store over a dict, as a Python host might write one."""

    def __init__(self):
        self.entries, self.version, self.calls = {}, 0, 0

    def _live(self, key, now):
        e = self.entries.get(key)
        return e if e and (e["expires"] is None or now < e["expires"]) else None

    def _write(self, key, value, ttl, now):
        self.version += 1
        self.entries[key] = {"value": value, "version": self.version, "expires": None if ttl is None else now + ttl}
        return self.version

    def get(self, key, now):
        self.calls += 1
        e = self._live(key, now)
        return {"value": e["value"], "version": e["version"]} if e else None

    def put(self, key, value, ttl, now):
        return self._write(key, value, ttl, now)

    def compare_and_set(self, key, expected, value, ttl, now):
        e = self._live(key, now)
        return self._write(key, value, ttl, now) if (e["version"] if e else None) == expected else None

    def delete(self, key, now):
        return self.entries.pop(key, None) is not None

    def list(self, prefix, limit, now):
        keys = sorted(k for k in self.entries if k.startswith(prefix) and self._live(k, now))[:limit]
        return [{"key": k, "value": self.entries[k]["value"], "version": self.entries[k]["version"]} for k in keys]

    def take(self, key, units, budget, now):
        return {"granted": True, "remaining": 0, "resetsAtMs": now}


def test_capture_journals_in_a_python_state_store():
    store = DictStore()
    cfg = {"baseUrl": BASE, "credentials": {"kind": "privateIntegrationToken",
           "token": os.environ["CONTACTS_PIT"], "locationId": LOCATION}}
    lead = {"idempotencyKey": f"py-{time.time()}", "contact": {"email": f"py-{time.time()}@example.com"},
            "tasks": [{"title": "Call", "dueAfter": "P1D"}], "note": "from Python"}
    with Client(cfg, state_store=store) as c:
        first = c.call("contacts.capture", lead)
        assert first["contact"]["outcome"] == "created"
        assert any(k.startswith("capture/") for k in store.entries)
        assert c.call("contacts.capture", lead)["replayed"] is True

    class Broken(DictStore):
        def get(self, key, now):
            raise OSError("disk gone")

    with Client(cfg, state_store=Broken()) as c:
        with pytest.raises(ContactsError) as e:
            c.call("contacts.capture", {**lead, "idempotencyKey": "py-broken"})
        assert e.value.code == "STATE"
    with pytest.raises(ContactsError) as e:
        Client(cfg, state_store=object())
    assert e.value.code == "INVALID_ARGUMENT"


def test_conditions_and_templates():
    scope = {"contact": {"result": "contacts.get", "at": "contact"}}
    with libcontacts.Condition({"path": "contact.tags", "op": "contains", "value": "vip"}, scope) as c:
        assert c({"contact": {"tags": ["vip"]}}) is True
        assert c({"contact": {}}) is False
    assert libcontacts.Template("Hi {{contact.firstName | upper}}", scope).render({"contact": {"firstName": "ada"}}) == "Hi ADA"
    with pytest.raises(ContactsError) as e:
        libcontacts.Condition({"path": "contact.emial", "op": "exists"}, scope)
    assert e.value.code == "INVALID_ARGUMENT" and "$.path" in e.value.message


def _polling_client(tmp_path):
    return Client({"baseUrl": BASE, "credentials": {"kind": "privateIntegrationToken",
                   "token": os.environ["CONTACTS_PIT"], "locationId": LOCATION},
                   "state": {"sqlite": str(tmp_path / "poll.db")}})


def test_poll_reports_a_new_contact_once_and_refuses_a_foreign_checkpoint(tmp_path):
    with _polling_client(tmp_path) as c:
        base = c.poll("ContactCreate,ContactUpdate")
        assert base["events"] == []
        made = c.call("contacts.create", {"locationId": LOCATION, "email": f"py-poll-{time.time_ns()}@example.com"})["contact"]
        out = c.poll("ContactCreate,ContactUpdate", checkpoint=base["checkpoint"])
        assert [(e["type"], e["id"]) for e in out["events"]] == [("ContactCreate", made["id"])]
        assert len(out["events"][0]["dedupeId"]) == 16
        again = c.poll("ContactCreate,ContactUpdate", checkpoint=out["checkpoint"])
        assert again["events"] == []
        for bad in [out["checkpoint"][:-3], "{}"]:
            with pytest.raises(ContactsError) as e:
                c.poll("ContactCreate,ContactUpdate", checkpoint=bad)
            assert e.value.code == "INVALID_ARGUMENT" and "checkpoint" in e.value.message
        with pytest.raises(ContactsError) as e:
            c.poll("ContactCreate", checkpoint=out["checkpoint"])
        assert e.value.code == "INVALID_ARGUMENT"


def test_a_watch_calls_back_until_cancelled(tmp_path):
    with _polling_client(tmp_path) as c:
        base = c.poll("ContactCreate")
        seen = []
        with c.watch("ContactCreate", lambda result, error: seen.append((result, error)),
                     checkpoint=base["checkpoint"], interval_ms=20) as w:
            email = f"py-watch-{time.time_ns()}@example.com"
            c.call("contacts.create", {"locationId": LOCATION, "email": email})
            deadline = time.time() + 10
            while time.time() < deadline and not any(r and r["events"] for r, _ in seen):
                time.sleep(0.01)
            w.cancel()
            count = len(seen)
            time.sleep(0.1)
            assert len(seen) == count, "no callback after cancel returned"
        assert all(error is None for _, error in seen)
        events = [e for r, _ in seen for e in r["events"]]
        assert [e["email"] for e in events] == [email]


def _script_faults(faults):
    """Queues fault lists for the sandbox's next API requests."""
    import urllib.request
    req = urllib.request.Request(f"{BASE}/sandbox/faults", data=json.dumps({"next": faults}).encode(), method="POST")
    with urllib.request.urlopen(req) as r:
        assert json.loads(r.read())["queued"] == len(faults)


def test_events_go_to_the_logging_module_and_usage_counts(caplog):
    import logging
    with Client({"baseUrl": BASE, "credentials": {"kind": "privateIntegrationToken",
                 "token": os.environ["CONTACTS_PIT"], "locationId": LOCATION}}) as c:
        c.log_events(level=logging.DEBUG)
        cid = c.call("contacts.list", {"locationId": LOCATION, "limit": 1})["contacts"][0]["id"]
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="libcontacts"):
            _script_faults(["5xx"])
            c.call("contacts.get", {"contactId": cid})
        records = [r for r in caplog.records if r.name == "libcontacts"]
        kinds = [(r.event["kind"], r.levelname) for r in records]
        assert kinds == [("request", "DEBUG"), ("response", "WARNING"), ("retry", "WARNING"),
                         ("request", "DEBUG"), ("response", "DEBUG"), ("finished", "INFO")], kinds
        assert records[2].event["reason"] == "server" and records[-1].event["attempts"] == 2
        assert all(r.event["location"] == LOCATION for r in records)
        assert os.environ["CONTACTS_PIT"] not in caplog.text
        usage = c.usage()["locations"][0]
        assert (usage["counts"]["requests"], usage["counts"]["retries"]) == (3, 1)
        # The limits are learned from the sandbox's headers.
        assert usage["burst"]["limit"] == usage["lastHeaders"]["max"] > 0
        assert usage["daily"]["remaining"] == usage["lastHeaders"]["dailyRemaining"] - 1  # the 500 counted too
        assert usage["daily"]["reset"]["documented"] is False
        # Warnings only, then off.
        c.log_events(level=logging.WARNING)
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="libcontacts"):
            with pytest.raises(ContactsError):
                c.call("contacts.get", {"contactId": "missing"})
            c.log_events(logger=False)
            with pytest.raises(ContactsError):
                c.call("contacts.get", {"contactId": "missing"})
        assert [(r.event["kind"], r.event["code"]) for r in caplog.records if r.name == "libcontacts"] == [("finished", "NOT_FOUND")]


def test_a_verifier_logs_what_it_accepted_and_refused(caplog):
    import logging
    v = WebhookVerifier(json.loads(os.environ["CONTACTS_WEBHOOK_KEYS"]))
    v.log_events()
    body = os.environ["CONTACTS_WEBHOOK_BODY"].encode()
    headers = {"X-GHL-Signature": os.environ["CONTACTS_WEBHOOK_SIGNATURE"]}
    now = int(os.environ["CONTACTS_WEBHOOK_NOW_MS"])
    with caplog.at_level(logging.DEBUG, logger="libcontacts"):
        v.verify(headers, body, now)
        with pytest.raises(ContactsError):
            v.verify(headers, body, now)  # a replay
    got = [(r.levelname, r.event["kind"], r.event.get("code")) for r in caplog.records if r.name == "libcontacts"]
    assert got == [("INFO", "webhook_accepted", None), ("WARNING", "webhook_refused", "WEBHOOK_REPLAY")], got
    assert os.environ["CONTACTS_WEBHOOK_SIGNATURE"] not in caplog.text


def test_custom_fields_by_key_and_the_mapping_dry_run(client):
    try:
        client.call("locationCustomFields.create", {"locationId": LOCATION, "name": "Py tier", "dataType": "SINGLE_OPTIONS",
                                                     "textBoxListOptions": [{"label": "gold"}, {"label": "silver"}]})
    except ContactsError as e:  # the .so and .a runs share one sandbox
        assert "already exists" in e.message
    made = client.call("contacts.upsert", {"locationId": LOCATION, "email": "py-key@example.com",
                                           "customFields": [{"key": "contact.py_tier", "fieldValue": "gold"}]})
    got = client.call("contacts.get", {"contactId": made["contact"]["id"], "renderKeys": True})
    assert got["contact"]["customFieldsByKey"] == {"contact.py_tier": "gold"}
    with pytest.raises(ContactsError) as e:
        client.call("contacts.update", {"contactId": made["contact"]["id"],
                                        "customFields": [{"key": "contact.py_tier", "fieldValue": "bronze"}]})
    assert e.value.code == "INVALID_ARGUMENT" and "must be one of gold, silver" in e.value.message
    template = {"target": "contact", "direction": "both", "collection": "members",
                "fields": [{"from": "tier", "customField": "contact.py_tier", "transforms": ["lower"]}]}
    report = client.map_records(template, [{"tier": "SILVER"}, {"tier": "Platinum"}])
    assert report["records"][0]["record"]["customFields"][0]["fieldValue"] == "silver"
    assert report["records"][1]["errors"][0]["path"] == "members[1].tier"
    back = client.map_records(template, [got["contact"]], reverse=True)
    assert back["records"][0]["record"] == {"tier": "gold"}


def _vectors(name):
    path = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "vectors", name)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _subset(expected, actual):
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and _subset(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(
            _subset(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    return expected == actual


def test_the_flow_vectors(tmp_path):
    """tests/vectors/flows.json: every load, then the dispatches (the suite's
    sandbox is shared by the C, C++ and Python runs, so the task count is
    left to the runners that own theirs)."""
    file = _vectors("flows.json")
    with _polling_client(tmp_path) as c:
        for v in file["loads"]:
            if "expect_error" in v:
                with pytest.raises(ContactsError) as e:
                    c.flow(v["flow"])
                assert e.value.code == v["expect_error"]["code"], v["name"]
                start = v["expect_error"]["code"] + ": " + v["expect_error"]["message_starts_with"]
                assert e.value.message.startswith(start), (v["name"], e.value.message)
            else:
                with c.flow(v["flow"]) as flow:
                    assert [s["name"] for s in flow.summary()["steps"]] == v["expect_order"], v["name"]
        spec = file["dispatches"]
        with c.flow(spec["flow"]) as flow:
            assert flow.name == "vector-member-updated"
            for i, v in enumerate(spec["events"]):
                if "expect_error" in v:
                    with pytest.raises(ContactsError) as e:
                        flow.dispatch(v["event"])
                    assert e.value.code == v["expect_error"]["code"], i
                    start = v["expect_error"]["code"] + ": " + v["expect_error"]["message_starts_with"]
                    assert e.value.message.startswith(start), (i, e.value.message)
                    continue
                run = flow.dispatch(v["event"])
                assert _subset(v["expect"], run), (i, run)
                if "expect_error_paths" in v:
                    assert [e["path"] for e in run["errors"]] == v["expect_error_paths"]
            log = flow.log()
            assert len(log) == 3
            assert flow.log(run_id=log[0]["runId"])["runId"] == log[0]["runId"]
            with pytest.raises(ContactsError) as e:
                flow.log(run_id="0000")
            assert e.value.code == "NOT_FOUND"
            assert flow.resume() == []
            again = flow.dispatch_async(spec["events"][0]["event"]).result(timeout=30)
            assert again["replayed"] is True
            with pytest.raises(ContactsError) as e:
                flow.poll()
            assert e.value.code == "INVALID_ARGUMENT"
            assert libcontacts.flow_delivery_status(e.value) == 400
            assert libcontacts.flow_delivery_status() == 200
            assert libcontacts.flow_delivery_status(ContactsError("TIMEOUT", "x")) == 429


_SYNC_TEMPLATE = {"name": "py-members", "target": "contact", "direction": "both",
                  "fields": [{"from": "email", "to": "email", "transforms": ["email"]},
                             {"from": "first", "to": "firstName"}]}


class _MemoryHost:
    """A sync host in memory: records as the host keeps them."""

    def __init__(self, records):
        self.records = list(records)

    def changes(self, since, limit):
        done = int(since or 0)
        page = self.records[done:done + limit]
        return {"records": page, "checkpoint": str(done + len(page)), "more": len(page) == limit}

    def upsert(self, write):
        record = {"id": write["id"] or "py-" + write["key"], "updatedAt": write["nowMs"], "fields": write["fields"]}
        self.records.append(record)
        return record

    def delete(self, record_id):
        return None


def test_a_sync_host_object_and_a_sqlite_table_sync_and_bad_hosts_stop_with_host(tmp_path):
    """The suite's sandbox is shared, so the hosts mirror contacts that are
    there: every record matches, nothing is written to HighLevel."""
    with _polling_client(tmp_path) as c:
        listed = c.call("contacts.search", {"locationId": LOCATION, "pageLimit": 500})["contacts"]
        with_email = [x for x in listed if x.get("email")][:3]
        host = _MemoryHost([{"id": f"m{i}", "updatedAt": 1, "fields": {"email": x["email"], "first": x.get("firstName")}}
                            for i, x in enumerate(with_email)])
        phases = []
        report = c.sync_pass(_SYNC_TEMPLATE, host, {"name": "py-object"},
                             progress=lambda phase, done, total: phases.append((phase, done, total)))
        assert report["matched"] == len(with_email), report
        assert report["created"]["highlevel"] == 0, report
        assert report["created"]["host"] == len(listed) - len(with_email), report
        assert phases[-1][0] == "records" and phases[-1][1] == (phases[-1][2] or 0), phases[-1]
        walked = [p for p in phases if p[0] == "highlevel"][-1]
        assert walked[1] == walked[2] == len(listed), walked
        again = c.sync_pass(_SYNC_TEMPLATE, host, {"name": "py-object"})
        assert again["created"] == {"highlevel": 0, "host": 0} and again["updated"] == {"highlevel": 0, "host": 0}, again

        import sqlite3
        db = tmp_path / "app.db"
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT, first TEXT, updated_at INTEGER NOT NULL, deleted_at INTEGER)")
        conn.execute("INSERT INTO members (email, first, updated_at) VALUES (?, ?, 1)", (with_email[0]["email"], with_email[0].get("firstName")))
        conn.commit()
        report = c.sync_pass_sqlite(_SYNC_TEMPLATE, db, "members", {"name": "py-sqlite"})
        assert report["matched"] == 1 and report["created"]["highlevel"] == 0, report
        assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == len(listed)
        with pytest.raises(ContactsError) as e:
            c.sync_pass_sqlite(_SYNC_TEMPLATE, db, "nothing", {"name": "py-sqlite"})
        assert e.value.code == "INVALID_ARGUMENT" and "does not exist" in e.value.message
        # A plain table (an id and its fields) through the change triggers.
        conn.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, email TEXT, first TEXT)")
        conn.execute("INSERT INTO plain (email, first) VALUES (?, ?)", (with_email[1]["email"], with_email[1].get("firstName")))
        conn.commit()
        with pytest.raises(ContactsError) as e:
            c.sync_pass_sqlite(_SYNC_TEMPLATE, db, "plain", {"name": "py-plain"})
        assert "--install-triggers" in e.value.message
        Client.sync_install_triggers(db, "plain")
        report = c.sync_pass_sqlite(_SYNC_TEMPLATE, db, "plain", {"name": "py-plain"})
        assert report["matched"] == 1, report
        with pytest.raises(ContactsError) as e:
            Client.sync_install_triggers(db, "members")
        assert e.value.code == "INVALID_ARGUMENT" and "needs no change triggers" in e.value.message

        class Broken(_MemoryHost):
            def changes(self, since, limit):
                raise RuntimeError("the host's database is down")

        with pytest.raises(ContactsError) as e:
            c.sync_pass(_SYNC_TEMPLATE, Broken([]), {"name": "py-broken"})
        assert e.value.code == "HOST", e.value.message
        with pytest.raises(ContactsError) as e:
            c.sync_pass(_SYNC_TEMPLATE, object(), {"name": "py-broken"})
        assert e.value.code == "INVALID_ARGUMENT" and "changes()" in e.value.message
        with pytest.raises(ContactsError) as e:
            c.sync_pass(_SYNC_TEMPLATE, host, {"name": "bad name"})
        assert e.value.code == "INVALID_ARGUMENT"

        # Notes through a second host: a note on a mirrored member, whose
        # contact is shared, so the test only counts what it made.
        notes = _MemoryHost([{"id": "pn1", "updatedAt": 1, "fields": {"member_id": "m0", "body": f"py note {time.time_ns()}"}}])
        report = c.sync_pass(_SYNC_TEMPLATE, host, {"name": "py-object"}, notes=notes)
        assert report["notes"]["created"]["highlevel"] == 1, report
        bodies = [n["body"] for n in c.call("notes.list", {"contactId": with_email[0]["id"]})["notes"]]
        assert notes.records[0]["fields"]["body"] in bodies

        # Appointments through a third host, one way, under HighLevel's ids.
        visits = _MemoryHost([])
        now = int(time.time() * 1000)
        slots = c.call("calendars.freeSlots", {"calendarId": "cal_sandbox", "startDate": now + 86_400_000,
                                               "endDate": now + 3 * 86_400_000})
        slot = next(d["slots"][0] for d in slots.values() if isinstance(d, dict) and d.get("slots"))
        booked = c.call("appointments.create", {"calendarId": "cal_sandbox", "locationId": LOCATION,
                                                "contactId": with_email[0]["id"], "startTime": slot, "title": "py visit"})
        settings = {"name": "py-object", "appointments": {"calendarIds": ["cal_sandbox"]}}
        fields = {"appointments": {"contactField": "member"}}
        report = c.sync_pass(_SYNC_TEMPLATE, host, settings, appointments=visits, fields=fields)
        assert report["appointments"]["created"] >= 1, report
        mine = [r for r in visits.records if r["id"] == "py-" + booked["id"]]
        assert len(mine) == 1 and mine[0]["fields"]["member"] == "m0", visits.records
        assert mine[0]["fields"]["title"] == "py visit", mine
        with pytest.raises(ContactsError) as e:
            c.sync_pass(_SYNC_TEMPLATE, host, settings, appointments=visits, fields={"appointment": {}})
        assert e.value.code == "INVALID_ARGUMENT" and "expected one of notes, appointments" in e.value.message
