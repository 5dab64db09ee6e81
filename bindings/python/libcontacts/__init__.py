"""libcontacts for Python: a ctypes binding over the C ABI (stdlib only).

Load order for the shared library: the LIBCONTACTS_PATH environment variable,
then ``ctypes.util.find_library("contacts")``. Every handle frees itself
(``close()``, ``with``, or garbage collection); every error is a
:class:`ContactsError` with the code name, HTTP status, retry-after, trace id
and required scope. A :class:`Client` may be shared across threads.
"""

import ctypes
import ctypes.util
import json
import logging
import os
import threading
import traceback
from concurrent.futures import Future

__all__ = ["Client", "ContactsError", "Flow", "Request", "WebhookVerifier", "CODES", "version", "catalog",
           "parse_webhook_event", "flow_delivery_status"]

#: Every value of ``enum contacts_code`` (checked against the header by
#: bindings/check-codes.sh).
CODES = {
    100: "INVALID_ARGUMENT",
    101: "NULL_ARGUMENT",
    102: "INVALID_UTF8",
    103: "INVALID_JSON",
    201: "UNAUTHORIZED",
    203: "FORBIDDEN",
    204: "NOT_FOUND",
    222: "VALIDATION",
    229: "RATE_LIMITED",
    250: "SERVER",
    299: "UNEXPECTED_STATUS",
    300: "DECODE",
    400: "WEBHOOK_SIGNATURE",
    401: "WEBHOOK_REPLAY",
    500: "TRANSPORT",
    501: "TIMEOUT",
    502: "CANCELLED",
    503: "TOKEN_STORE",
    504: "STATE",
    505: "FLEET_UNAVAILABLE",
    506: "REAUTH_REQUIRED",
    507: "HOST",
    900: "PANIC",
}


class _Str(ctypes.Structure):
    _fields_ = [("ptr", ctypes.c_char_p), ("len", ctypes.c_size_t)]


class _Bytes(ctypes.Structure):
    _fields_ = [("ptr", ctypes.POINTER(ctypes.c_uint8)), ("len", ctypes.c_size_t)]


class _Header(ctypes.Structure):
    _fields_ = [("name", _Str), ("value", _Str)]


class _HeaderIn(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("name_len", ctypes.c_size_t),
                ("value", ctypes.c_char_p), ("value_len", ctypes.c_size_t)]


class _Response(ctypes.Structure):
    _fields_ = [("status", ctypes.c_uint16), ("headers", ctypes.POINTER(_HeaderIn)), ("headers_len", ctypes.c_size_t),
                ("body", ctypes.c_char_p), ("body_len", ctypes.c_size_t)]


_COMPLETION = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
_STATE_CALL = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p)
_FINALIZE = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_WATCH_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
_OBSERVER = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_size_t)
_SYNC_PROGRESS = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint64, ctypes.c_uint64)

#: libcontacts' event levels (CONTACTS_LEVEL_*) as the logging module's.
LEVELS = {1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO, 4: logging.DEBUG}
_CONTACT_DATA = 0x100


class _StateStore(ctypes.Structure):
    _fields_ = [("userdata", ctypes.c_void_p), ("call", _STATE_CALL), ("finalize", _FINALIZE)]


class _SyncHost(ctypes.Structure):
    _fields_ = [("userdata", ctypes.c_void_p), ("call", _STATE_CALL)]


class _SyncHosts(ctypes.Structure):
    _fields_ = [("contacts", ctypes.POINTER(_SyncHost)), ("notes", ctypes.POINTER(_SyncHost)),
                ("appointments", ctypes.POINTER(_SyncHost))]
_P = ctypes.c_void_p


#: The argument and result types of every function of include/libcontacts.h
#: (checked against the header by the test suite).
_SIGNATURES = {
    "contacts_version": ([], _Str),
    "contacts_catalog_json": ([], _Str),
    "contacts_code_name": ([ctypes.c_uint32], _Str),
    "contacts_error_code": ([_P], ctypes.c_int),
    "contacts_error_message": ([_P], _Str),
    "contacts_error_http_status": ([_P], ctypes.c_uint16),
    "contacts_error_retry_after_ms": ([_P], ctypes.c_uint64),
    "contacts_error_daily": ([_P], ctypes.c_bool),
    "contacts_error_trace_id": ([_P], _Str),
    "contacts_error_required_scope": ([_P], _Str),
    "contacts_error_free": ([_P], None),
    "contacts_result_json": ([_P], _Str),
    "contacts_result_free": ([_P], None),
    "contacts_client_new": ([ctypes.c_char_p, ctypes.c_size_t, _P, ctypes.POINTER(_P)], _P),
    "contacts_client_new_with_state": ([ctypes.c_char_p, ctypes.c_size_t, _P, ctypes.POINTER(_StateStore), ctypes.POINTER(_P)], _P),
    "contacts_state_reply_set": ([_P, ctypes.c_char_p, ctypes.c_size_t], _P),
    "contacts_client_free": ([_P], None),
    "contacts_client_call": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_client_call_async": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, _COMPLETION, _P, ctypes.POINTER(_P)], _P),
    "contacts_client_poll": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_watch_new": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64, _WATCH_CALLBACK, _P, ctypes.POINTER(_P)], _P),
    "contacts_client_set_observer": ([_P, _OBSERVER, _P, ctypes.c_uint32], _P),
    "contacts_client_usage": ([_P, ctypes.POINTER(_P)], _P),
    "contacts_webhook_verifier_set_observer": ([_P, _OBSERVER, _P, ctypes.c_uint32], _P),
    "contacts_watch_cancel": ([_P], None),
    "contacts_watch_free": ([_P], None),
    "contacts_call_cancel": ([_P], None),
    "contacts_call_free": ([_P], None),
    "contacts_cursor_new": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_cursor_next": ([_P, ctypes.POINTER(_P)], _P),
    "contacts_cursor_free": ([_P], None),
    "contacts_request_build": ([ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_request_method": ([_P], _Str),
    "contacts_request_url": ([_P], _Str),
    "contacts_request_header_count": ([_P], ctypes.c_size_t),
    "contacts_request_header": ([_P, ctypes.c_size_t], _Header),
    "contacts_request_body": ([_P], _Bytes),
    "contacts_request_parse_response": ([_P, ctypes.POINTER(_Response), ctypes.POINTER(_P)], _P),
    "contacts_request_next_page": ([_P, _P, ctypes.POINTER(_P)], _P),
    "contacts_request_free": ([_P], None),
    "contacts_webhook_verifier_new": ([ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64, ctypes.POINTER(_P)], _P),
    "contacts_webhook_verify": ([_P, ctypes.POINTER(_HeaderIn), ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64, ctypes.POINTER(_P)], _P),
    "contacts_webhook_verifier_free": ([_P], None),
    "contacts_webhook_parse_event": ([ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_oauth_authorize_url": ([ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_condition_new": ([ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_condition_eval": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_bool)], _P),
    "contacts_condition_free": ([_P], None),
    "contacts_template_new": ([ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_template_render": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_map_records": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint32, ctypes.POINTER(_P)], _P),
    "contacts_phone_to_e164": ([ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_template_free": ([_P], None),
    "contacts_flow_new": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_StateStore), ctypes.POINTER(_P)], _P),
    "contacts_flow_free": ([_P], None),
    "contacts_flow_delivery_status": ([ctypes.c_uint32], ctypes.c_uint16),
    "contacts_flow_summary": ([_P, ctypes.POINTER(_P)], _P),
    "contacts_flow_name": ([_P], _Str),
    "contacts_flow_dispatch": ([_P, ctypes.c_char_p, ctypes.c_size_t, _COMPLETION, _P, ctypes.POINTER(_P)], _P),
    "contacts_flow_dispatch_blocking": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_flow_poll": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_flow_resume": ([_P, ctypes.POINTER(_P)], _P),
    "contacts_flow_log": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_size_t, ctypes.POINTER(_P)], _P),
    "contacts_sync_pass": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_SyncHost), _SYNC_PROGRESS, _P, ctypes.POINTER(_P)], _P),
    "contacts_sync_pass_with": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_SyncHosts), ctypes.c_char_p, ctypes.c_size_t, _SYNC_PROGRESS, _P, ctypes.POINTER(_P)], _P),
    "contacts_sync_install_triggers": ([ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t], _P),
    "contacts_sync_pass_sqlite": ([_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, _SYNC_PROGRESS, _P, ctypes.POINTER(_P)], _P),
}


def _load():
    path = os.environ.get("LIBCONTACTS_PATH") or ctypes.util.find_library("contacts")
    if not path:
        raise OSError("libcontacts not found: set LIBCONTACTS_PATH to libcontacts.so")
    lib = ctypes.CDLL(path)
    for name, (args, ret) in _SIGNATURES.items():
        fn = getattr(lib, name)
        fn.argtypes = args
        fn.restype = ret
    return lib


_lib = _load()


def _text(s):
    return ctypes.string_at(s.ptr, s.len).decode("utf-8") if s.len else ""


class ContactsError(Exception):
    """A libcontacts error: ``code`` is the name (``"NOT_FOUND"``)."""

    def __init__(self, code, message, http_status=0, retry_after_ms=0, trace_id="", required_scope="",
                 daily=False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status
        self.retry_after_ms = retry_after_ms
        #: On RATE_LIMITED: the daily budget is spent (not the burst window).
        self.daily = daily
        self.trace_id = trace_id
        self.required_scope = required_scope


def _error_view(ptr):
    """A borrowed contacts_error* as a ContactsError (not freed)."""
    value = _lib.contacts_error_code(ptr)
    return ContactsError(CODES.get(value, "UNKNOWN"), _text(_lib.contacts_error_message(ptr)),
                         _lib.contacts_error_http_status(ptr), _lib.contacts_error_retry_after_ms(ptr),
                         _text(_lib.contacts_error_trace_id(ptr)), _text(_lib.contacts_error_required_scope(ptr)),
                         bool(_lib.contacts_error_daily(ptr)))


def _error(ptr):
    """Turns an owned contacts_error* into a ContactsError, freeing it."""
    try:
        return _error_view(ptr)
    finally:
        _lib.contacts_error_free(ptr)


def _check(err):
    if err:
        raise _error(err)


def _take_json(result):
    try:
        return json.loads(_text(_lib.contacts_result_json(result)))
    finally:
        _lib.contacts_result_free(result)


def _utf8(s):
    b = s.encode("utf-8")
    return b, len(b)


def version():
    """The library version."""
    return _text(_lib.contacts_version())


def catalog():
    """The catalog of every operation and webhook trigger."""
    return json.loads(_text(_lib.contacts_catalog_json()))


def authorize_url(client_id, redirect_uri, scopes, state, **extra):
    """The OAuth consent URL (step 1 of the code flow). `state` is required:
    check it on the callback. `extra`: authorizeBaseUrl, sameWindow."""
    params = dict(clientId=client_id, redirectUri=redirect_uri, scopes=list(scopes), state=state, **extra)
    b, n = _utf8(json.dumps(params))
    out = _P()
    _check(_lib.contacts_oauth_authorize_url(b, n, ctypes.byref(out)))
    return _take_json(out)["url"]


class _Handle:
    """Owns one C handle; frees it exactly once (close, with, or GC)."""

    _free = None
    _ptr = None  # also when __init__ failed before taking a handle

    def __init__(self, ptr):
        self._ptr = ptr

    def close(self):
        if self._ptr:
            type(self)._free(self._ptr)
            self._ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


_STATE_METHODS = {"get": "get", "put": "put", "compareAndSet": "compare_and_set",
                  "delete": "delete", "list": "list", "take": "take"}


def _host_callback(host, methods, what):
    """The C callback over a Python host object (a state store, a sync
    host): the request's op and args to its method, the answer back as
    JSON. An exception fails the work (STATE, HOST); it never unwinds into C."""
    for name in methods.values():
        if not callable(getattr(host, name, None)):
            raise ContactsError("INVALID_ARGUMENT", f"the {what} has no {name}() method")

    def call(_userdata, request, length, reply):
        try:
            req = json.loads(ctypes.string_at(request, length).decode("utf-8"))
            answer = getattr(host, methods[req["op"]])(*req["args"])
            b, n = _utf8(json.dumps(answer))
            err = _lib.contacts_state_reply_set(reply, b, n)
            if err:
                _lib.contacts_error_free(err)
                return 2
            return 0
        except Exception:
            return 1

    return call


def _state_callback(store):
    return _host_callback(store, _STATE_METHODS, "state store")


_SYNC_METHODS = {"changes": "changes", "upsert": "upsert", "delete": "delete"}


def _sync_host_callback(host):
    return _host_callback(host, _SYNC_METHODS, "sync host")


def _sync_progress(progress):
    if progress is None:
        return _SYNC_PROGRESS()
    return _SYNC_PROGRESS(lambda _ud, phase, done, total: progress(phase.decode("utf-8"), done, total or None))


def _started(start):
    """A Future for an async C call that ``start(callback, handle_out)``
    begins, resolved exactly once on a libcontacts thread;
    ``future.cancel_call()`` cancels it."""
    future = Future()
    state = {"handle": _P(), "done": False}
    lock = threading.Lock()

    def done(_ud, result, error):
        try:
            if error:
                future.set_exception(_error(error))
            else:
                future.set_result(_take_json(result))
        finally:
            with lock:
                state["done"] = True
                _lib.contacts_call_free(state["handle"])
            _INFLIGHT.pop(id(future), None)

    # The callback must outlive the C call: held here until it has run,
    # and by the future (which `done` holds) while it runs.
    callback = _COMPLETION(done)
    future._contacts_callback = callback
    _INFLIGHT[id(future)] = callback

    def cancel_call():
        with lock:
            if not state["done"]:
                _lib.contacts_call_cancel(state["handle"])

    future.cancel_call = cancel_call
    with lock:
        err = start(callback, ctypes.byref(state["handle"]))
    if err:
        _INFLIGHT.pop(id(future), None)
        raise _error(err)
    return future


class Client(_Handle):
    """A client from a config dict (see ffi/README.md). Thread-safe."""

    _free = staticmethod(_lib.contacts_client_free)

    def __init__(self, config, state_store=None):
        """``state_store`` (optional): an object with ``get``, ``put``,
        ``compare_and_set``, ``delete``, ``list`` and ``take`` (the arguments
        and answers of ffi/README.md, "State stores"), where journaling
        composites (``contacts.capture``) keep state. Called from libcontacts
        threads, one call at a time; an exception fails the work with
        ``STATE``."""
        cfg, n = _utf8(json.dumps(config))
        out = _P()
        store = None
        if state_store is not None:
            self._state_call = _STATE_CALL(_state_callback(state_store))
            store = _StateStore(None, self._state_call, _FINALIZE())
        _check(_lib.contacts_client_new_with_state(cfg, n, None, ctypes.byref(store) if store else None, ctypes.byref(out)))
        super().__init__(out)

    def call(self, name, params=None):
        """Calls operation ``name`` with params (a dict), blocking; returns a dict."""
        nb, nl = _utf8(name)
        pb, pl = _utf8(json.dumps(params or {}))
        out = _P()
        _check(_lib.contacts_client_call(self._ptr, nb, nl, pb, pl, ctypes.byref(out)))
        return _take_json(out)

    def call_async(self, name, params=None):
        """Starts a call without blocking. Returns a Future resolved exactly
        once, on a libcontacts thread; ``future.cancel_call()`` cancels it
        (the Future then fails with code ``CANCELLED``)."""
        nb, nl = _utf8(name)
        pb, pl = _utf8(json.dumps(params or {}))
        return _started(lambda callback, handle: _lib.contacts_client_call_async(
            self._ptr, nb, nl, pb, pl, callback, None, handle))

    def poll(self, triggers, params=None, checkpoint=None):
        """Polls ``triggers`` (``"ContactCreate,ContactUpdate"``) from
        ``checkpoint`` (None: the baseline, which reports nothing), blocking.
        Returns ``{"events", "checkpoint", "more", "requests"}``; keep the new
        checkpoint only once the events are handled. The client needs a state
        store (``"state"`` in its config, or ``state_store``)."""
        tb, tl = _utf8(triggers)
        pb, pl = _utf8(json.dumps(params or {}))
        kb, kl = _utf8(checkpoint) if checkpoint is not None else (None, 0)
        out = _P()
        _check(_lib.contacts_client_poll(self._ptr, tb, tl, pb, pl, kb, kl, ctypes.byref(out)))
        return _take_json(out)

    def log_events(self, logger=None, level=logging.INFO, contact_data=False):
        """Sends the client's events to ``logger`` (default: the
        ``libcontacts`` logger) through the standard :mod:`logging` module,
        those at least as severe as ``level``; each record's message is the
        event's kind and operation, and ``record.event`` is the event (a
        dict: ``at``, ``level``, ``kind``, ``callId``, ``op``, ``location``
        and the kind's fields). Events never hold a token or a secret;
        ``contact_data=True`` lets them hold ids, queries and error
        messages. ``logger=False`` turns events off. Records are emitted on
        the calling thread or a libcontacts thread, one at a time."""
        _log_events(self, _lib.contacts_client_set_observer, logger, level, contact_data)

    def usage(self):
        """The rate budget and counts of the client's location now:
        ``{"locations": [{"location", "burst", "daily", "lastHeaders",
        "counts"}]}`` (ffi/README.md, "Events and usage")."""
        out = _P()
        _check(_lib.contacts_client_usage(self._ptr, ctypes.byref(out)))
        return _take_json(out)

    def map_records(self, template, records, reverse=False):
        """The dry run of mapping ``template`` (a dict) over ``records``
        (a list of dicts), the location's custom-field definitions fetched
        by this client when the template names keys. See
        :func:`map_records`."""
        return map_records(template, records, reverse=reverse, client=self)

    def flow(self, flow):
        """Loads ``flow`` (a dict of the catalog's ``flow`` schema) for this
        client, whose state store keeps its run log. Returns a :class:`Flow`.
        Raises :class:`ContactsError` (``INVALID_ARGUMENT``, the message
        naming the flow's JSON path) for a bad flow."""
        return Flow(self, flow)

    def sync_pass(self, template, host, settings, progress=None, notes=None, appointments=None, fields=None):
        """One pass of a two-way sync between ``host`` and this client's
        location, blocking; returns the report (a dict). ``template`` is a
        two-way contact mapping template, ``settings`` the sync's settings
        (``{"name": ..., "policy": ..., "fields": {...}, "deletes": {...},
        "appointments": {...}}``). ``host`` has ``changes(since, limit)``,
        ``upsert(write)`` and ``delete(id)`` (the arguments and answers of
        ffi/README.md, "Sync hosts"), called on this thread; an exception
        stops the pass with ``HOST``. ``progress(phase, done, total)``
        (optional) is called as the pass goes. The client needs a state
        store. ``notes`` (optional) is a second host, for note records whose
        fields name their host contact and hold a body; ``appointments``
        (optional) a third, to which HighLevel's appointments are written
        under their ids (``write["key"]``). ``fields`` names those fields:
        ``{"notes": {"contactField": "member_id", "bodyField": "body"},
        "appointments": {"contactField": "member_id"}}``, those by default."""
        adapters = []

        def adapter_of(h):
            if h is None:
                return None
            call = _STATE_CALL(_sync_host_callback(h))
            adapter = _SyncHost(None, call)
            adapters.append((call, adapter))
            return ctypes.pointer(adapter)

        tb, tl = _utf8(json.dumps(template))
        sb, sl = _utf8(json.dumps(settings))
        out = _P()
        if notes is None and appointments is None:
            contacts = adapter_of(host)
            _check(_lib.contacts_sync_pass(self._ptr, tb, tl, sb, sl, contacts,
                                           _sync_progress(progress), None, ctypes.byref(out)))
            return _take_json(out)
        hosts = _SyncHosts(adapter_of(host), adapter_of(notes), adapter_of(appointments))
        fb, fl = _utf8(json.dumps(fields or {}))
        _check(_lib.contacts_sync_pass_with(self._ptr, tb, tl, sb, sl, ctypes.byref(hosts), fb, fl,
                                            _sync_progress(progress), None, ctypes.byref(out)))
        return _take_json(out)

    @staticmethod
    def sync_install_triggers(database, table):
        """Keeps ``updated_at`` and ``deleted_at`` for ``table`` of the SQLite
        file ``database``, which has an ``id`` but not those, so
        :meth:`sync_pass_sqlite` can sync it: a change-log table kept by
        triggers (``contacts_sync_install_triggers``). Raises
        :class:`ContactsError` (``INVALID_ARGUMENT``) for a table it cannot
        serve."""
        db, dl = _utf8(os.fspath(database))
        nb, nl = _utf8(table)
        _check(_lib.contacts_sync_install_triggers(db, dl, nb, nl))

    def sync_pass_sqlite(self, template, database, table, settings, progress=None):
        """:meth:`sync_pass` with the bundled host: ``table`` of the SQLite
        file ``database``, with ``id``, ``updated_at`` (Unix ms) and
        ``deleted_at`` columns and a column per field the template reads."""
        tb, tl = _utf8(json.dumps(template))
        sb, sl = _utf8(json.dumps(settings))
        db, dl = _utf8(os.fspath(database))
        nb, nl = _utf8(table)
        out = _P()
        _check(_lib.contacts_sync_pass_sqlite(self._ptr, tb, tl, sb, sl, db, dl, nb, nl,
                                              _sync_progress(progress), None, ctypes.byref(out)))
        return _take_json(out)

    def watch(self, triggers, on_poll, params=None, checkpoint=None, interval_ms=60_000):
        """Polls ``triggers`` every ``interval_ms`` on a libcontacts thread
        until cancelled, calling ``on_poll(result, error)`` with each outcome
        (exactly one of them is not None; store ``result["checkpoint"]``
        there). Returns a :class:`Watch`; use it as a context manager, or
        call ``cancel()``: after it returns, ``on_poll`` is not called again."""
        return Watch(self, triggers, on_poll, params, checkpoint, interval_ms)

    def pages(self, name, params):
        """Yields each page (a dict) of a paginated operation."""
        nb, nl = _utf8(name)
        pb, pl = _utf8(json.dumps(params))
        cur = _P()
        _check(_lib.contacts_cursor_new(self._ptr, nb, nl, pb, pl, ctypes.byref(cur)))
        try:
            while True:
                page = _P()
                _check(_lib.contacts_cursor_next(cur, ctypes.byref(page)))
                if not page:
                    return
                yield _take_json(page)
        finally:
            _lib.contacts_cursor_free(cur)


#: Completion callbacks of calls still running (so they are not collected).
_INFLIGHT = {}


def flow_delivery_status(error=None):
    """The HTTP status a webhook receiver answers a delivery with: ``error``
    is the :class:`ContactsError` verifying or dispatching it raised (None:
    a run). 200, 401 forged, 400 stale or malformed, 429 when the run can
    go on (HighLevel redelivers only after a 429)."""
    if error is None:
        return _lib.contacts_flow_delivery_status(0)
    numbers = {name: number for number, name in CODES.items()}
    return _lib.contacts_flow_delivery_status(numbers.get(error.code, 0xFFFFFFFF))


class Flow(_Handle):
    """A flow bound to a client and its state store (see ffi/README.md,
    "Flows"): each event runs once however often it is dispatched, from any
    thread or process sharing the store. Thread-safe."""

    _free = staticmethod(_lib.contacts_flow_free)

    def __init__(self, client, flow):
        fb, fl = _utf8(json.dumps(flow))
        out = _P()
        _check(_lib.contacts_flow_new(client._ptr, fb, fl, None, ctypes.byref(out)))
        super().__init__(out)

    @property
    def name(self):
        """The flow's name, which keys its run log."""
        return _text(_lib.contacts_flow_name(self._ptr))

    def summary(self):
        """``{name, fingerprint, trigger, steps: [{name, action, recovery}]}``,
        the steps in run order."""
        out = _P()
        _check(_lib.contacts_flow_summary(self._ptr, ctypes.byref(out)))
        return _take_json(out)

    def dispatch(self, event):
        """Runs the flow for ``event`` (a HighLevel event dict, or a host
        event ``{type, id, data}``), blocking; returns the run (``state``,
        ``steps``, ``replayed``). A failed step or an invalid event is a run,
        not an exception."""
        eb, el = _utf8(json.dumps(event))
        out = _P()
        _check(_lib.contacts_flow_dispatch_blocking(self._ptr, eb, el, ctypes.byref(out)))
        return _take_json(out)

    def dispatch_async(self, event):
        """:meth:`dispatch` without blocking: a Future resolved exactly once,
        on a libcontacts thread, with the run; ``future.cancel_call()`` cuts
        the run short (it goes on at the next dispatch of its event)."""
        eb, el = _utf8(json.dumps(event))
        return _started(lambda callback, handle: _lib.contacts_flow_dispatch(
            self._ptr, eb, el, callback, None, handle))

    def poll(self, params=None):
        """Polls the flow's trigger once and dispatches each event:
        ``{runs, more, requests}``."""
        pb, pl = _utf8(json.dumps(params or {}))
        out = _P()
        _check(_lib.contacts_flow_poll(self._ptr, pb, pl, ctypes.byref(out)))
        return _take_json(out)

    def resume(self):
        """Goes on with the runs a stopped runner left; returns them."""
        out = _P()
        _check(_lib.contacts_flow_resume(self._ptr, ctypes.byref(out)))
        return _take_json(out)

    def log(self, limit=20, run_id=None):
        """The run log, latest first (at most ``limit`` runs), or the run
        ``run_id`` (``NOT_FOUND`` for an unknown one)."""
        ib, il = _utf8(run_id) if run_id is not None else (None, 0)
        out = _P()
        _check(_lib.contacts_flow_log(self._ptr, ib, il, limit, ctypes.byref(out)))
        return _take_json(out)


class Request(_Handle):
    """A request built for your own HTTP stack (the sans-IO path)."""

    _free = staticmethod(_lib.contacts_request_free)

    def __init__(self, name, params=None, config=None):
        cb, cl = _utf8(json.dumps(config) if config else "")
        nb, nl = _utf8(name)
        pb, pl = _utf8(json.dumps(params or {}))
        out = _P()
        _check(_lib.contacts_request_build(cb, cl, nb, nl, pb, pl, ctypes.byref(out)))
        super().__init__(out)

    @property
    def method(self):
        return _text(_lib.contacts_request_method(self._ptr))

    @property
    def url(self):
        return _text(_lib.contacts_request_url(self._ptr))

    @property
    def headers(self):
        return [(_text(h.name), _text(h.value)) for h in
                (_lib.contacts_request_header(self._ptr, i) for i in range(_lib.contacts_request_header_count(self._ptr)))]

    @property
    def body(self):
        b = _lib.contacts_request_body(self._ptr)
        return ctypes.string_at(b.ptr, b.len) if b.len else b""

    def parse(self, status, headers, body):
        """Parses the response you received; raises ContactsError for error statuses."""
        return _take_json(self._parse(status, headers, body))

    def parse_page(self, status, headers, body):
        """Parses a page of a paginated operation: ``(page, next_params)``,
        ``next_params`` None at the end (build the next Request from it)."""
        result = self._parse(status, headers, body)
        try:
            out = _P()
            _check(_lib.contacts_request_next_page(self._ptr, result, ctypes.byref(out)))
            next_params = _take_json(out) if out.value else None
        finally:
            page = _take_json(result)
        return page, next_params

    def _parse(self, status, headers, body):
        hs, keep = _headers_in(headers)
        resp = _Response(status, hs, len(keep), body, len(body))
        out = _P()
        _check(_lib.contacts_request_parse_response(self._ptr, ctypes.byref(resp), ctypes.byref(out)))
        return out


def _headers_in(headers):
    keep = [(k.encode(), v.encode()) for k, v in headers]
    arr = (_HeaderIn * max(1, len(keep)))(*[_HeaderIn(k, len(k), v, len(v)) for k, v in keep])
    return arr, keep


def _log_events(owner, set_observer, logger, level, contact_data):
    """Points ``owner``'s C observer (``set_observer``) at ``logger``, or
    turns it off for ``logger=False``; the callback is held by ``owner``."""
    if logger is False:
        owner._observer = None
        _check(set_observer(owner._ptr, _OBSERVER(), None, 1))
        return
    logger = logger or logging.getLogger("libcontacts")
    wanted = max((n for n, py in LEVELS.items() if py >= level), default=1)

    def on_event(_ud, lvl, text, length):
        try:
            event = json.loads(ctypes.string_at(text, length).decode("utf-8"))
            logger.log(LEVELS.get(lvl, logging.INFO), "%s %s", event.get("kind"), event.get("op"),
                       extra={"event": event})
        except Exception:  # never unwind into C
            pass

    # Held by the owner: C calls it until replaced or the owner is freed.
    owner._observer = _OBSERVER(on_event)
    flags = wanted | (_CONTACT_DATA if contact_data else 0)
    _check(set_observer(owner._ptr, owner._observer, None, flags))


class WebhookVerifier(_Handle):
    """Verifies webhook deliveries (raw body + headers). Thread-safe."""

    _free = staticmethod(_lib.contacts_webhook_verifier_free)

    def __init__(self, keys=None, max_age_ms=0):
        kb, kl = _utf8(json.dumps(keys)) if keys else (None, 0)
        out = _P()
        _check(_lib.contacts_webhook_verifier_new(kb, kl, max_age_ms, ctypes.byref(out)))
        super().__init__(out)

    def verify(self, headers, raw_body, now_ms):
        """The verified event (a dict with ``type``); raises ContactsError otherwise."""
        hs, keep = _headers_in(list(headers.items()) if isinstance(headers, dict) else headers)
        out = _P()
        _check(_lib.contacts_webhook_verify(self._ptr, hs, len(keep), raw_body, len(raw_body), now_ms, ctypes.byref(out)))
        return _take_json(out)

    def log_events(self, logger=None, level=logging.INFO):
        """Logs each delivery checked (``webhook_accepted`` at INFO with its
        type and location, ``webhook_refused`` at WARNING with the code)
        as :meth:`Client.log_events` does; never the signature or body."""
        _log_events(self, _lib.contacts_webhook_verifier_set_observer, logger, level, False)


def parse_webhook_event(raw_body):
    """Types an event body **without verifying it** (for hosts that verify
    elsewhere): a dict with ``type``. A body that is not JSON, or has a field
    of the wrong type, raises ContactsError ``DECODE``."""
    out = _P()
    _check(_lib.contacts_webhook_parse_event(raw_body, len(raw_body), ctypes.byref(out)))
    return _take_json(out)


def _json_arg(value):
    return _utf8(json.dumps(value))


_MAP_REVERSE = 1


def map_records(template, records, custom_fields=None, reverse=False, client=None):
    """Maps ``records`` (host records, or with ``reverse`` HighLevel records
    back) with the mapping template ``template``; sends nothing but, with a
    ``client`` and no ``custom_fields``, the definitions' request.
    Returns the report ``{"valid", "invalid", "records": [{"index",
    "record"} | {"index", "errors": [{"path", "target", "message"}]}]}``.
    A bad template raises ContactsError ``INVALID_ARGUMENT`` naming its JSON
    path."""
    tb, tl = _json_arg(template)
    rb, rl = _json_arg(list(records))
    cb, cl = _json_arg(custom_fields) if custom_fields is not None else (None, 0)
    out = _P()
    handle = client._ptr if client is not None else None
    flags = _MAP_REVERSE if reverse else 0
    _check(_lib.contacts_map_records(handle, tb, tl, rb, rl, cb, cl, flags, ctypes.byref(out)))
    return _take_json(out)


def phone_to_e164(text, region):
    """``{"e164": "+14155552671"}`` or ``{"error": "unparseable" |
    "invalid" | "unknownRegion"}``: the mapping's phone reader."""
    tb, tl = _utf8(text)
    rb, rl = _utf8(region)
    out = _P()
    _check(_lib.contacts_phone_to_e164(tb, tl, rb, rl, ctypes.byref(out)))
    return _take_json(out)


class Condition(_Handle):
    """A condition of the shared language (a dict such as ``{"all": [...]}``),
    checked on load against ``scope`` (a dict of variables, see
    ffi/README.md) and evaluated any number of times. Thread-safe. A bad one
    raises ContactsError ``INVALID_ARGUMENT`` whose message names its JSON
    path."""

    _free = staticmethod(_lib.contacts_condition_free)

    def __init__(self, condition, scope=None):
        cb, cl = _json_arg(condition)
        sb, sl = _json_arg(scope) if scope is not None else (None, 0)
        out = _P()
        _check(_lib.contacts_condition_new(cb, cl, sb, sl, ctypes.byref(out)))
        super().__init__(out)

    def __call__(self, data):
        """Whether ``data`` (a dict of the scope's variables) meets it."""
        db, dl = _json_arg(data)
        matched = ctypes.c_bool(False)
        _check(_lib.contacts_condition_eval(self._ptr, db, dl, ctypes.byref(matched)))
        return matched.value


class Template(_Handle):
    """A template of the shared language (any JSON whose strings may hold
    ``{{path | filter}}``), checked on load, rendered any number of times."""

    _free = staticmethod(_lib.contacts_template_free)

    def __init__(self, template, scope=None):
        tb, tl = _json_arg(template)
        sb, sl = _json_arg(scope) if scope is not None else (None, 0)
        out = _P()
        _check(_lib.contacts_template_new(tb, tl, sb, sl, ctypes.byref(out)))
        super().__init__(out)

    def render(self, data):
        """The template filled from ``data``."""
        db, dl = _json_arg(data)
        out = _P()
        _check(_lib.contacts_template_render(self._ptr, db, dl, ctypes.byref(out)))
        return _take_json(out)


class Watch(_Handle):
    """A watch of a client's triggers (see :meth:`Client.watch`)."""

    _free = staticmethod(_lib.contacts_watch_free)

    def __init__(self, client, triggers, on_poll, params, checkpoint, interval_ms):
        def deliver(_ud, result, error):
            try:
                if error:
                    on_poll(None, _error_view(error))
                else:
                    on_poll(json.loads(_text(_lib.contacts_result_json(result))), None)
            except Exception:  # an exception must not unwind into C
                traceback.print_exc()

        # The callback must outlive the watch: held by it.
        self._callback = _WATCH_CALLBACK(deliver)
        self._client = client
        tb, tl = _utf8(triggers)
        pb, pl = _utf8(json.dumps(params or {}))
        kb, kl = _utf8(checkpoint) if checkpoint is not None else (None, 0)
        out = _P()
        _check(_lib.contacts_watch_new(client._ptr, tb, tl, pb, pl, kb, kl, interval_ms, self._callback, None, ctypes.byref(out)))
        super().__init__(out)

    def cancel(self):
        """Stops the watch; once this returns, ``on_poll`` is not called again."""
        if self._ptr:
            _lib.contacts_watch_cancel(self._ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
