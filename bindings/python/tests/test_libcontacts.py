"""The Python binding against a live sandbox (environment as for the C suite)."""

import json
import os
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
    assert len(CODES) == len(set(CODES.values())) == 20
