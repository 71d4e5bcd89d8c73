"""The SDK endpoints: ``POST /api/<project_id>/envelope/`` and ``/store/``.

A lean path, outside the management API's machinery: read the key (cached), read and
decode the body within the size limits, parse the envelope, write the event as
received to the ingest queue and commit, then answer ``{"id": ...}``. The routes are the
plugin's ``wsgi_routes``: served by a lean WSGI dispatcher in front of Flask (or by
Flask, with the same answers), so the views take the request as an argument and return
the whole response, CORS headers included. The 200 is sent
only after that commit, so an accepted event survives a crash; grouping happens after,
in the digest. Failures are answered as Relay answers them.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import re
import uuid

from flask import current_app

from sentryapi.api import call_hook, db
from sentryapi.plugins import FastRoute

from ..attachments.ingest import check_sizes, save_attachments
from ..feedback.ingest import FEEDBACK_TYPES, accept_feedback_items
from . import keycache
from .accounting import count_items, counting_invalid, enforce_quotas
from .auth import envelope_credentials, request_credentials
from .decompress import decode
from .envelope import Envelope, Item, parse, parse_json
from .errors import BadRequest, Forbidden, IngestError, TooLarge
from .queue import enqueue

log = logging.getLogger("sentryapi.events.ingest")

EVENT_ID_RE = re.compile(r"^[0-9a-f]{32}$")
#: Item types that carry an event id in the response.
EVENT_TYPES = ("event", "transaction")
#: Item types stored (and counted) by their own module rather than ``count_items``.
STORED_TYPES = ("attachment", *FEEDBACK_TYPES)
CORS_HEADERS = {
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": (
        "x-sentry-auth, x-requested-with, origin, accept, content-type, authentication, "
        "authorization, content-encoding, transfer-encoding, sentry-trace, baggage"),
    "Access-Control-Expose-Headers": "x-sentry-error, x-sentry-rate-limits, retry-after",
    "Access-Control-Max-Age": "3600",
}
CORS_ITEMS = tuple(CORS_HEADERS.items())


def cors(request, response):
    """Relay's CORS answer: any origin may send events (browser SDKs)."""
    origin = request.headers.get("Origin")
    # extend, not update: none of these is set yet, and extend skips a scan per header.
    response.headers.extend([("Access-Control-Allow-Origin", origin or "*"), *CORS_ITEMS,
                             *((("Vary", "Origin"),) if origin else ())])
    return response


def refuse(error: IngestError):
    response = current_app.json.response(error.body())
    response.status_code = error.status
    response.headers["X-Sentry-Error"] = error.detail
    response.headers.update(error.headers)
    return response


def normalize_event_id(value, where: str) -> str:
    if isinstance(value, str):
        candidate = value.replace("-", "").lower()
        if EVENT_ID_RE.match(candidate):
            return candidate
    raise BadRequest("invalid event id", f"{where} is not a 32-character hex id")


def project_id_of(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise BadRequest("invalid project path parameter")
    return int(raw)


def read_body(request) -> bytes:
    """The raw body, refused with 413 as soon as it passes the limit (never read whole)."""
    limit = current_app.config["EVENTS_MAX_BODY_SIZE"]
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(f"request body exceeded the size limit ({limit} bytes)")
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise TooLarge(f"request body exceeded the size limit ({limit} bytes)")
    return body


def decoded_body(request) -> bytes:
    return decode(read_body(request), request.headers.get("Content-Encoding"),
                  current_app.config["EVENTS_MAX_ENVELOPE_SIZE"])


def authorize(credentials, project_id: int):
    """The key, if it may send to this project: else 403 (unknown, disabled, or another's)."""
    key = keycache.lookup(credentials.public_key, current_app.config["EVENTS_KEY_CACHE_SECONDS"])
    reason = "event submission rejected with_reason: ProjectId"
    if key is None:
        raise Forbidden(reason, "unknown project key")
    if not key.is_active:
        raise Forbidden(reason, "the project key is disabled or its project is gone")
    if key.project_id != project_id:
        raise Forbidden(reason, f"the project key does not belong to project {project_id}")
    return key


def accept_envelope(request, project_id: int) -> tuple[dict, dict]:
    """The envelope's items stored or counted; its answer's body and rate-limit headers."""
    credentials = request_credentials(request.headers, request.args)
    key = authorize(credentials, project_id) if credentials else None
    config = current_app.config
    limits = {**_item_limits(config)}
    envelope = parse(decoded_body(request), limits)
    dsn = envelope.headers.get("dsn")
    if key is None or dsn is not None:
        key = authorize(envelope_credentials(credentials, dsn), project_id)
    received = dt.datetime.now(dt.UTC)
    event_item, event_id = _event_item(envelope)
    check_sizes(key, envelope.items, received)
    envelope.items, rate_limit_headers = enforce_quotas(key, envelope.items, received)
    if event_item is not None and event_item not in envelope.items:
        event_item = None  # refused by a quota; the rest is still taken
    if event_item is not None and event_item.type == "event":
        with counting_invalid(key, received):
            _check_event_payload(event_item.payload, "event")
        enqueue(key, event_id, event_item.payload, received, request.remote_addr)
    header_id = _header_event_id(envelope)
    save_attachments(key, event_id or header_id, envelope.items, received)
    feedback_id = accept_feedback_items(
        key, [item for item in envelope.items if item.type in FEEDBACK_TYPES], header_id,
        received, request.remote_addr)
    others = [item for item in envelope.items
              if item is not event_item and item.type not in STORED_TYPES]
    if event_item is not None and event_item.type == "transaction":
        others.append(event_item)
    count_items(key, others, received)
    _hand_over(key, others, received)
    event_id = event_id or feedback_id
    return ({"id": event_id} if event_id else {}), rate_limit_headers


def _hand_over(key, items: list[Item], received: dt.datetime) -> None:
    """Items other plugins store (``check_in``: the monitors plugin), committed before the answer."""
    if items and call_hook("envelope_items", key, items, received):
        db.session.commit()


def _header_event_id(envelope: Envelope) -> str | None:
    raw_id = envelope.headers.get("event_id")
    return None if raw_id is None else normalize_event_id(raw_id, "the envelope's event_id")


def _item_limits(config) -> dict[str, int]:
    from .envelope import ITEM_LIMITS

    event_limit = config["EVENTS_MAX_EVENT_SIZE"]
    return {**ITEM_LIMITS, "event": event_limit, "transaction": event_limit}


def _event_item(envelope: Envelope) -> tuple[Item | None, str | None]:
    """The envelope's one event or transaction item, and its id (header first)."""
    items = envelope.items_of(*EVENT_TYPES)
    if len(items) > 1:
        raise BadRequest("invalid envelope", "more than one event or transaction item")
    if not items:
        return None, None
    item = items[0]
    raw_id = envelope.headers.get("event_id")
    if raw_id is not None:
        return item, normalize_event_id(raw_id, "the envelope's event_id")
    data = item.json()
    if isinstance(data, dict) and data.get("event_id") is not None:
        return item, normalize_event_id(data["event_id"], "the event's event_id")
    return item, uuid.uuid4().hex


def _check_event_payload(payload: bytes, what: str) -> None:
    """The event must be a JSON object; a bad one is refused now, never queued."""
    data = parse_json(payload, f"invalid {what}")
    if not isinstance(data, dict):
        raise BadRequest(f"invalid {what}", "the payload is not a JSON object")


def _legacy_store_body(body: bytes) -> bytes:
    """Very old SDKs send base64 of zlib-compressed JSON to /store/."""
    stripped = body.lstrip()
    if not stripped or stripped[:1] in (b"{", b"["):
        return body
    try:
        raw = base64.b64decode(stripped, validate=True)
    except (binascii.Error, ValueError):
        return body
    from .decompress import inflate

    return inflate(raw, current_app.config["EVENTS_MAX_EVENT_SIZE"])


def accept_store(request, project_id: int) -> tuple[dict, dict]:
    """A legacy ``/store/`` event queued; its answer's body and rate-limit headers."""
    credentials = request_credentials(request.headers, request.args)
    key = authorize(envelope_credentials(credentials, None), project_id)
    received = dt.datetime.now(dt.UTC)
    with counting_invalid(key, received):
        payload = _legacy_store_body(decoded_body(request))
        if len(payload) > current_app.config["EVENTS_MAX_EVENT_SIZE"]:
            raise TooLarge.for_item("event")
        data = parse_json(payload, "invalid event")
        if not isinstance(data, dict):
            raise BadRequest("invalid event", "the payload is not a JSON object")
    raw_id = data.get("event_id")
    event_id = normalize_event_id(raw_id, "event_id") if raw_id is not None else uuid.uuid4().hex
    item = Item({"type": "transaction" if data.get("type") == "transaction" else "event"}, payload)
    _, rate_limit_headers = enforce_quotas(key, [item], received)
    if item.type == "transaction":
        count_items(key, [item], received)
        _hand_over(key, [item], received)
    else:
        enqueue(key, event_id, payload, received, request.remote_addr)
    return {"id": event_id}, rate_limit_headers


def _answer(handler, request, raw_project_id: str):
    if request.method == "OPTIONS":
        return cors(request, current_app.response_class(status=200))
    try:
        body, headers = handler(request, project_id_of(raw_project_id))
    except IngestError as error:
        return cors(request, refuse(error))
    response = current_app.json.response(body)
    response.headers.update(headers)
    return cors(request, response)


def envelope_endpoint(request, raw_project_id: str):
    """``POST /api/<project_id>/envelope/``: an SDK's envelope."""
    return _answer(accept_envelope, request, raw_project_id)


def store_endpoint(request, raw_project_id: str):
    """``POST /api/<project_id>/store/``: an event from an old SDK."""
    return _answer(accept_store, request, raw_project_id)


ROUTES = (
    FastRoute("/api/<raw_project_id>/envelope/", envelope_endpoint, ("POST", "OPTIONS"),
              "events_ingest.envelope_endpoint"),
    FastRoute("/api/<raw_project_id>/store/", store_endpoint, ("POST", "OPTIONS"),
              "events_ingest.store_endpoint"),
)
