#!/usr/bin/env python3
"""Regenerates webhooks.json: signs payloads with a fixed test Ed25519 key.

Signatures cannot be written by hand, so this script (using the `cryptography`
package, an implementation independent of the Rust one) makes them. Run it only
when changing the webhook vectors: python3 tests/vectors/make_webhooks.py
"""
import base64, json, os
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
raw = lambda k: k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
sign = lambda k, body: base64.b64encode(k.sign(body)).decode()

TS = "2026-11-22T10:00:00.000Z"
NOW = 1_795_341_600_000 + 1_000  # one second after TS
V = []

def delivery(body, now=NOW, key=KEY, tamper=None, headers=None, **expect):
    b = json.dumps(body, separators=(",", ":")).encode() if not isinstance(body, bytes) else body
    sig = sign(key, b)
    if tamper: b = tamper(b)
    h = headers if headers is not None else {"X-GHL-Signature": sig, "Content-Type": "application/json"}
    d = {"headers": h, "body_text": b.decode(), "now_ms": now}
    d.update(expect)
    return d

def vec(name, *deliveries):
    V.append({"name": name, "deliveries": list(deliveries)})

def ev(kind, n, **fields):
    return dict({"type": kind, "locationId": "loc_1", "webhookId": f"wh-{n}", "timestamp": TS}, **fields)

contact = ev("ContactCreate", 1, id="ct_1", firstName="Ada", email="ada@example.com", tags=["vip"], customFields=[{"id": "cf_1", "value": "blue"}], dnd=False)
vec("ContactCreate verifies and is typed", delivery(contact, expect_event={"type": "ContactCreate", "id": "ct_1", "firstName": "Ada", "webhookId": "wh-1"}))
vec("ContactDndUpdate with RCS", delivery(ev("ContactDndUpdate", 2, id="ct_1", dndSettings={"SMS": {"status": "active"}, "RCS": {"status": "inactive"}}), expect_event={"type": "ContactDndUpdate", "dndSettings": {"SMS": {"status": "active"}, "RCS": {"status": "inactive"}}}))
vec("NoteCreate", delivery(ev("NoteCreate", 3, id="n1", body="hello", contactId="ct_1"), expect_event={"type": "NoteCreate", "id": "n1", "contactId": "ct_1"}))
vec("TaskComplete", delivery(ev("TaskComplete", 4, id="t1", title="Call", contactId="ct_1", dueDate="2026-12-01T10:00:00.000Z"), expect_event={"type": "TaskComplete", "id": "t1"}))
vec("TaskCreate without contactId (issue #332)", delivery(ev("TaskCreate", 5, id="t2", title="Call"), expect_event={"type": "TaskCreate", "id": "t2"}))
vec("AppointmentCreate", delivery(ev("AppointmentCreate", 6, appointment={"id": "a1", "calendarId": "cal1", "contactId": "ct_1", "startTime": "2026-12-02T11:00:00Z"}), expect_event={"type": "AppointmentCreate", "appointment": {"id": "a1"}}))
vec("INSTALL", delivery(ev("INSTALL", 7, appId="app-1", companyId="co_1", installType="Location", trial={"onTrial": False}), expect_event={"type": "INSTALL", "appId": "app-1", "trial": {"onTrial": False}}))
vec("UNINSTALL", delivery(ev("UNINSTALL", 8, appId="app-1"), expect_event={"type": "UNINSTALL", "appId": "app-1"}))
vec("an unmodelled type is kept whole", delivery(ev("OpportunityCreate", 9, id="op1", monetaryValue=100), expect_event={"type": "OpportunityCreate", "id": "op1", "monetaryValue": 100}))
vec("header names are case-insensitive", delivery(ev("NoteDelete", 10, id="n1"), headers=None, expect_event={"type": "NoteDelete"}))
V[-1]["deliveries"][0]["headers"] = {"x-ghl-signature": V[-1]["deliveries"][0]["headers"]["X-GHL-Signature"]}
def flip(b):
    i = b.index(b"Ada")
    return b[:i] + b"Bda" + b[i + 3:]
vec("a one-byte change is rejected", delivery(ev("ContactUpdate", 11, id="ct_1", firstName="Ada"), tamper=flip, expect_error={"code": "WEBHOOK_SIGNATURE"}))
vec("a truncated body is rejected", delivery(ev("ContactUpdate", 12, id="ct_1"), tamper=lambda b: b[:-5], expect_error={"code": "WEBHOOK_SIGNATURE"}))
vec("a signature by another key is rejected", delivery(ev("ContactUpdate", 13, id="ct_1"), key=OTHER, expect_error={"code": "WEBHOOK_SIGNATURE"}))
vec("no signature header", delivery(ev("ContactUpdate", 14), headers={"Content-Type": "application/json"}, expect_error={"code": "WEBHOOK_SIGNATURE", "message_contains": "missing"}))
vec("only the retired RSA header", delivery(ev("ContactUpdate", 15), headers={"X-WH-Signature": "AAAA"}, expect_error={"code": "WEBHOOK_SIGNATURE", "message_contains": "X-WH-Signature"}))
vec("signature not base64", delivery(ev("ContactUpdate", 16), headers={"X-GHL-Signature": "***"}, expect_error={"code": "WEBHOOK_SIGNATURE"}))
vec("signature of the wrong length", delivery(ev("ContactUpdate", 17), headers={"X-GHL-Signature": base64.b64encode(b"x" * 63).decode()}, expect_error={"code": "WEBHOOK_SIGNATURE"}))
vec("a stale timestamp is rejected", delivery(ev("ContactUpdate", 18), now=NOW + 6 * 60 * 1000, expect_error={"code": "WEBHOOK_REPLAY"}))
vec("a timestamp from the future is rejected", delivery(ev("ContactUpdate", 19), now=NOW - 5 * 60 * 1000, expect_error={"code": "WEBHOOK_REPLAY"}))
vec("a replayed webhookId is rejected", delivery(ev("ContactUpdate", 20), expect_event={"type": "ContactUpdate"}), delivery(ev("ContactUpdate", 20), now=NOW + 2000, expect_error={"code": "WEBHOOK_REPLAY", "message_contains": "already"}))
vec("a rejected delivery is not remembered", delivery(ev("ContactUpdate", 21), key=OTHER, expect_error={"code": "WEBHOOK_SIGNATURE"}), delivery(ev("ContactUpdate", 21), expect_event={"type": "ContactUpdate"}))
vec("no webhookId", delivery({"type": "ContactUpdate", "timestamp": TS}, expect_error={"code": "WEBHOOK_REPLAY"}))
vec("no timestamp", delivery({"type": "ContactUpdate", "webhookId": "wh-23"}, expect_error={"code": "WEBHOOK_REPLAY"}))
vec("signed but not JSON", delivery(b"hello", expect_error={"code": "DECODE"}))
vec("signed but a field has the wrong type", delivery(ev("ContactCreate", 25, tags="vip"), expect_error={"code": "DECODE"}))

doc = {"description": "Webhook deliveries verified with public_key (a test key; its private half is bytes 0..31). Each vector's deliveries run in order through one verifier. See README.md.",
       "public_key": raw(KEY).hex(), "vectors": V}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "webhooks.json")
json.dump(doc, open(out, "w"), indent=1)
print(len(V), "webhook vectors")
