#!/usr/bin/env python3
"""Regenerates webhooks.json: signs payloads with a fixed test Ed25519 key.

Signatures cannot be written by hand, so this script (using the `cryptography`
package, an implementation independent of the Rust one) makes them. Run it only
when changing the webhook vectors: python3 tests/vectors/make_webhooks.py
"""
import base64, datetime, json, os
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

# The dedupe id, restated from its rule (core/src/webhooks/dedupe.rs) so the
# Rust code is checked against an independent reading: FNV-1a (64 bits) over
# the type, the record id and each canonical field's value, in 16 hex digits.
CANONICAL = {
    "ContactUpdate": ["firstName", "lastName", "email", "phone", "companyName", "address1", "city", "state", "country", "postalCode", "website", "source", "assignedTo", "dnd"],
    "ContactTagUpdate": ["tags"], "NoteUpdate": ["body"], "TaskOverdue": ["dueDate"],
    "ContactDndUpdate": ["dnd", "dndSettings"],
    "OpportunityUpdate": ["name", "status", "pipelineId", "pipelineStageId", "monetaryValue", "assignedTo"],
    "OpportunityStageUpdate": ["pipelineId", "pipelineStageId"], "OpportunityStatusUpdate": ["status"],
    "OpportunityAssignedToUpdate": ["assignedTo"], "OpportunityMonetaryValueUpdate": ["monetaryValue"],
    "ConversationUnreadUpdate": ["unreadCount", "inbox", "starred", "deleted"],
    "AssociationUpdate": ["firstObjectLabel", "secondObjectLabel"], "CampaignStatusUpdate": ["status", "templateId"],
    "LocationUpdate": ["name", "email"],
}

def ascii_lower(s):
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)

def fnv(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h

def whole(n):
    return fnv(b"#" + n.to_bytes(8, "little", signed=True))

def canonical(field, v):
    """One field's value as the hash reads it: itself a 64-bit FNV-1a."""
    if v is None:
        return 0
    if isinstance(v, str) and field == "email":
        return fnv(ascii_lower(v.strip(" \t\n\r")).encode())
    if isinstance(v, str) and (field.endswith("Date") or field.endswith("Time")):
        try:
            t = datetime.datetime.fromisoformat(v.replace("Z", "+00:00"))
            return whole(round(t.timestamp() * 1000))
        except ValueError:
            return fnv(v.encode())
    if isinstance(v, str):
        return fnv(v.encode())
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if float(v).is_integer() and abs(v) < 9e15:
            return whole(int(v))
        return fnv(json.dumps(v).encode())
    if isinstance(v, list) and field == "tags":
        seen, total = [], 0
        for t in v:
            if isinstance(t, str) and ascii_lower(t) not in seen:
                seen.append(ascii_lower(t))
                total = (total + fnv(ascii_lower(t).encode())) & 0xffffffffffffffff
        return total
    return fnv(json.dumps(v, separators=(",", ":")).encode())

def dedupe(e):
    data = e["type"].encode() + b"\0"
    rid = (e.get("appointment") or {}).get("id") or e.get("id") or e.get("messageId")
    data += rid.encode()
    for f in CANONICAL.get(e["type"], []):
        data += b"\0" + f.encode() + b"\1" + canonical(f, e.get(f)).to_bytes(8, "little")
    return f"{fnv(data):016x}"

def vec(name, *deliveries):
    V.append({"name": name, "deliveries": list(deliveries)})

def ev(kind, n, **fields):
    return dict({"type": kind, "locationId": "loc_1", "webhookId": f"wh-{n}", "timestamp": TS}, **fields)

contact = ev("ContactCreate", 1, id="ct_1", firstName="Ada", email="ada@example.com", tags=["vip"], customFields=[{"id": "cf_1", "value": "blue"}], dnd=False)
vec("ContactCreate verifies and is typed", delivery(contact, expect_event={"type": "ContactCreate", "id": "ct_1", "firstName": "Ada", "webhookId": "wh-1", "dedupeId": dedupe(contact)}))
tagged = ev("ContactTagUpdate", 40, id="ct_1", tags=["VIP", "webinar", "vip"])
vec("ContactTagUpdate's dedupe id reads tags as a set", delivery(tagged, expect_event={"type": "ContactTagUpdate", "dedupeId": dedupe(tagged)}))
updated = ev("ContactUpdate", 41, id="ct_1", email=" Ada@Example.com", firstName="Ada", dnd=True)
vec("ContactUpdate's dedupe id reads email without case", delivery(updated, expect_event={"type": "ContactUpdate", "dedupeId": dedupe(updated)}))
deleted = ev("ContactDelete", 42, id="ct_9", email="gone@example.com")
vec("ContactDelete's dedupe id is the record's alone", delivery(deleted, expect_event={"type": "ContactDelete", "id": "ct_9", "dedupeId": dedupe(deleted)}))
note = ev("NoteUpdate", 43, id="n1", body="Called back twice", contactId="ct_1")
vec("NoteUpdate's dedupe id reads the body", delivery(note, expect_event={"type": "NoteUpdate", "body": "Called back twice", "dedupeId": dedupe(note)}))
vec("TaskDelete", delivery(ev("TaskDelete", 44, id="t3", title="Call"), expect_event={"type": "TaskDelete", "id": "t3"}))
moved = ev("AppointmentUpdate", 45, appointment={"id": "a1", "calendarId": "cal1", "startTime": "2026-12-02T12:00:00Z", "appointmentStatus": "confirmed"})
vec("AppointmentUpdate", delivery(moved, expect_event={"type": "AppointmentUpdate", "appointment": {"id": "a1", "startTime": "2026-12-02T12:00:00Z"}}))
vec("AppointmentDelete", delivery(ev("AppointmentDelete", 46, appointment={"id": "a1"}), expect_event={"type": "AppointmentDelete", "appointment": {"id": "a1"}}))
overdue = ev("TaskOverdue", 47, id="t4", title="Call", contactId="ct_1", dueDate="2026-11-20T09:00:00.000Z")
vec("TaskOverdue (a polled trigger) conforms as a task event, its dedupe id by due date", delivery(overdue, expect_event={"type": "TaskOverdue", "id": "t4", "dueDate": "2026-11-20T09:00:00.000Z", "dedupeId": dedupe(overdue)}))
opportunity = dict(id="op1", assignedTo="u1", contactId="ct_1", monetaryValue=40, name="Deal", pipelineId="p1", pipelineStageId="s2", source="form", status="open", dateAdded=TS)
for n, kind in enumerate(["OpportunityCreate", "OpportunityUpdate", "OpportunityDelete", "OpportunityStageUpdate", "OpportunityStatusUpdate", "OpportunityAssignedToUpdate", "OpportunityMonetaryValueUpdate"]):
    e = ev(kind, 50 + n, **opportunity)
    vec(f"{kind} is typed", delivery(e, expect_event={"type": kind, "id": "op1", "pipelineStageId": "s2", "monetaryValue": 40, "dedupeId": dedupe(e)}))
for n, kind in enumerate(["InboundMessage", "OutboundMessage"]):
    e = ev(kind, 60 + n, messageId="m1", conversationId="cv1", contactId="ct_1", body="Hi", messageType="SMS", direction=kind[:-7].lower(), attachments=[], dateAdded=TS)
    vec(f"{kind} is typed, its dedupe id by messageId", delivery(e, expect_event={"type": kind, "messageId": "m1", "body": "Hi", "dedupeId": dedupe(e)}))
vec("ConversationUnreadUpdate is typed", delivery(ev("ConversationUnreadUpdate", 62, id="cv1", contactId="ct_1", unreadCount=0, inbox=False, starred=True, deleted=False), expect_event={"type": "ConversationUnreadUpdate", "starred": True, "unreadCount": 0}))
for n, kind in enumerate(["AssociationCreate", "AssociationUpdate", "AssociationDelete"]):
    vec(f"{kind} is typed", delivery(ev(kind, 63 + n, id="as1", associationType="USER_DEFINED", firstObjectKey="contact", firstObjectLabel="buyer", secondObjectKey="custom_objects.property", secondObjectLabel="listing", key="buyer_listing"), expect_event={"type": kind, "key": "buyer_listing"}))
for n, kind in enumerate(["RelationCreate", "RelationDelete"]):
    vec(f"{kind} is typed", delivery(ev(kind, 66 + n, id="r1", associationId="as1", firstObjectKey="contact", firstRecordId="ct_1", secondObjectKey="contact", secondRecordId="ct_2"), expect_event={"type": kind, "firstRecordId": "ct_1", "secondRecordId": "ct_2"}))
vec("CampaignStatusUpdate is typed", delivery(ev("CampaignStatusUpdate", 68, id="cs1", contactId="ct_1", status="paused", templateId="t1", replied="yes", dateAdded=TS), expect_event={"type": "CampaignStatusUpdate", "status": "paused"}))
for n, kind in enumerate(["LocationCreate", "LocationUpdate"]):
    vec(f"{kind} is typed", delivery(dict(ev(kind, 69 + n, id="loc_2", companyId="co_1", name="Main St", email="main@example.com", stripeProductId="prod_1")), expect_event={"type": kind, "companyId": "co_1", "name": "Main St"}))
vec("UserCreate is typed", delivery(ev("UserCreate", 71, id="u1", companyId="co_1", firstName="Jo", role="user", permissions={"contactsEnabled": True}, locations=["loc_1"]), expect_event={"type": "UserCreate", "permissions": {"contactsEnabled": True}, "locations": ["loc_1"]}))
mv = ev("OpportunityMonetaryValueUpdate", 73, id="op1", monetaryValue=40.0)
vec("40.0 and 40 are one monetary value to the dedupe id", delivery(mv, expect_event={"type": "OpportunityMonetaryValueUpdate", "dedupeId": dedupe(dict(mv, monetaryValue=40))}))
vec("a field of an opportunity of the wrong type is refused", delivery(ev("OpportunityCreate", 72, id="op2", monetaryValue="forty"), expect_error={"code": "DECODE"}))
vec("ContactDndUpdate with RCS", delivery(ev("ContactDndUpdate", 2, id="ct_1", dndSettings={"SMS": {"status": "active"}, "RCS": {"status": "inactive"}}), expect_event={"type": "ContactDndUpdate", "dndSettings": {"SMS": {"status": "active"}, "RCS": {"status": "inactive"}}}))
vec("NoteCreate", delivery(ev("NoteCreate", 3, id="n1", body="hello", contactId="ct_1"), expect_event={"type": "NoteCreate", "id": "n1", "contactId": "ct_1"}))
vec("TaskComplete", delivery(ev("TaskComplete", 4, id="t1", title="Call", contactId="ct_1", dueDate="2026-12-01T10:00:00.000Z"), expect_event={"type": "TaskComplete", "id": "t1"}))
vec("TaskCreate without contactId (issue #332)", delivery(ev("TaskCreate", 5, id="t2", title="Call"), expect_event={"type": "TaskCreate", "id": "t2"}))
vec("AppointmentCreate", delivery(ev("AppointmentCreate", 6, appointment={"id": "a1", "calendarId": "cal1", "contactId": "ct_1", "startTime": "2026-12-02T11:00:00Z"}), expect_event={"type": "AppointmentCreate", "appointment": {"id": "a1"}}))
vec("INSTALL", delivery(ev("INSTALL", 7, appId="app-1", companyId="co_1", installType="Location", trial={"onTrial": False}), expect_event={"type": "INSTALL", "appId": "app-1", "trial": {"onTrial": False}}))
vec("UNINSTALL", delivery(ev("UNINSTALL", 8, appId="app-1"), expect_event={"type": "UNINSTALL", "appId": "app-1"}))
vec("an unmodelled type is kept whole", delivery(ev("InvoiceCreate", 9, id="inv1", total=100), expect_event={"type": "InvoiceCreate", "id": "inv1", "total": 100}))
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
