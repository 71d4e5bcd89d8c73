"""The SDK endpoints: ``POST /api/<project_id>/envelope/`` and ``/store/``.

A lean path, outside the management API's machinery: read the key (cached), read and
decode the body within the size limits, parse the envelope, write the event as
received to the ingest queue and commit, then answer ``{"id": ...}``. The 200 is sent
only after that commit, so an accepted event survives a crash; grouping happens after,
in the digest. Failures are answered as Relay answers them.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import logging
import re
import uuid

from flask import Blueprint, current_app, g, jsonify, request

from sentryapi.api import (
    Outcome,
    ServiceUnavailable,
    consume_quotas,
    db,
    key_quota,
    organization_quota,
    rate_limits_header,
)

from . import keycache, outcomes, worker
from .auth import envelope_credentials, request_credentials
from .decompress import decode
from .envelope import Envelope, Item, parse, parse_json
from .errors import BadRequest, Forbidden, IngestError, RateLimited, TooLarge
from .models import IngestEvent
from .writes import GroupCommit, sqlite_writer

log = logging.getLogger("sentryapi.events.ingest")
blp = Blueprint("events_ingest", __name__, url_prefix="/api")

EVENT_ID_RE = re.compile(r"^[0-9a-f]{32}$")
#: Item types that carry an event id in the response.
EVENT_TYPES = ("event", "transaction")
CORS_HEADERS = {
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": (
        "x-sentry-auth, x-requested-with, origin, accept, content-type, authentication, "
        "authorization, content-encoding, transfer-encoding, sentry-trace, baggage"),
    "Access-Control-Expose-Headers": "x-sentry-error, x-sentry-rate-limits, retry-after",
    "Access-Control-Max-Age": "3600",
}


@blp.after_request
def cors(response):
    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin") or "*"
    response.headers.update(CORS_HEADERS)
    if request.headers.get("Origin"):
        response.headers["Vary"] = "Origin"
    return response


def refuse(error: IngestError):
    response = jsonify(error.body())
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


def read_body() -> bytes:
    """The raw body, refused with 413 as soon as it passes the limit (never read whole)."""
    limit = current_app.config["EVENTS_MAX_BODY_SIZE"]
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(f"request body exceeded the size limit ({limit} bytes)")
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise TooLarge(f"request body exceeded the size limit ({limit} bytes)")
    return body


def decoded_body() -> bytes:
    return decode(read_body(), request.headers.get("Content-Encoding"),
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


QUEUE_COLUMNS = ("project_id", "organization_id", "key_id", "event_id", "received",
                 "remote_addr", "payload")
#: The one statement of an accepted event, written for the driver directly: building
#: and compiling it through SQLAlchemy cost more than executing it.
QUEUE_INSERT = (f"INSERT INTO {IngestEvent.__tablename__} ({', '.join(QUEUE_COLUMNS)}) "
                "VALUES ({values}) ON CONFLICT (project_id, event_id) DO NOTHING")
PLACEHOLDERS = {"sqlite": "?", "postgresql": "%s"}


_committers: dict[str, GroupCommit] = {}


def _committer() -> GroupCommit:
    """This database's group committer (one per app and process)."""
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    committer = _committers.get(uri)
    if committer is None:
        committer = _committers.setdefault(uri, GroupCommit(QueueWriter(db.engine, uri).write))
    return committer


class QueueWriter:
    """Writes queue rows on one connection of its own, kept between batches.

    Only the group commit's leader uses it (one at a time), so it is never shared; keeping
    it saves the pool's checkout and liveness ping on every batch. A failed connection is
    dropped and the next batch takes a fresh one.
    """

    def __init__(self, engine, uri: str):
        self.engine, self.uri = engine, uri
        self.connection = None
        dialect = engine.dialect.name
        self.sql = QUEUE_INSERT.format(
            values=", ".join([PLACEHOLDERS[dialect]] * len(QUEUE_COLUMNS)))

    def write(self, rows: list[tuple]) -> None:
        with sqlite_writer(self.uri):
            if self.connection is None:
                self.connection = self.engine.raw_connection()
            connection = self.connection
            try:
                cursor = connection.cursor()
                cursor.executemany(self.sql, rows)
                cursor.close()
                connection.commit()
            except self.engine.dialect.loaded_dbapi.Error as error:
                self.connection = None
                connection.invalidate()
                log.warning("could not queue events: %s", error.__class__.__name__)
                raise ServiceUnavailable() from None
            except BaseException:
                self.connection = None
                connection.invalidate()
                raise


def enqueue(key, event_id: str, payload: bytes, received: dt.datetime) -> None:
    """Write the event to the ingest queue; return once committed. A resent id is a no-op."""
    if db.engine.dialect.name == "sqlite":
        # What UTCDateTime stores on SQLite: naive UTC, SQLAlchemy's text format.
        received = received.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    _committer().write((key.project_id, key.organization_id, key.key_id, event_id, received,
                        request.remote_addr, payload))
    worker.wake()


def count_items(key, items: list[Item], received: dt.datetime) -> None:
    """Accept and count what we do not store (sessions, attachments, client reports...)."""
    for item in items:
        if item.type == "client_report":
            _count_client_report(key, item, received)
            continue
        outcomes.record(key.organization_id, key.project_id, key.key_id,
                        outcomes.category_of(item.type), Outcome.ACCEPTED,
                        quantity=item_quantity(item), when=received)


def _session_aggregates(item: Item) -> int:
    try:
        aggregates = item.json().get("aggregates")
    except (BadRequest, AttributeError):
        return 1
    total = 0
    for bucket in aggregates if isinstance(aggregates, list) else []:
        if isinstance(bucket, dict):
            total += sum(v for k, v in bucket.items()
                         if k in ("exited", "errored", "abnormal", "crashed")
                         and isinstance(v, int) and v > 0)
    return max(total, 1)


def _count_client_report(key, item: Item, received: dt.datetime) -> None:
    """An SDK's own losses become ``client_discard`` outcomes (Sentry counts them too)."""
    try:
        report = item.json()
    except BadRequest:
        return
    if not isinstance(report, dict):
        return
    for field in ("discarded_events", "rate_limited_events", "filtered_events"):
        entries = report.get(field)
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            quantity = entry.get("quantity")
            if isinstance(quantity, int) and 0 < quantity < 2**31:
                outcomes.record(key.organization_id, key.project_id, key.key_id,
                                str(entry.get("category") or "default")[:32],
                                Outcome.CLIENT_DISCARD, str(entry.get("reason") or "")[:64],
                                quantity, when=received)


def item_quantity(item: Item) -> int:
    """How much of its data category an item is (attachments count in bytes, as in Sentry)."""
    if item.type == "attachment":
        return len(item.payload)
    if item.type == "sessions":
        return _session_aggregates(item)
    return 1


def enforce_quotas(key, items: list[Item], received: dt.datetime) -> tuple[list[Item], dict]:
    """Count the items against the key's and organization's quotas (before storing any).

    Refused items are dropped and counted as ``rate_limited``; the rest go on, with the
    ``X-Sentry-Rate-Limits`` header that tells the SDK to hold back. If nothing is left,
    the answer is 429, as Relay's.
    """
    quotas = [q for q in (key_quota(key.key_id, key.rate_limit_count, key.rate_limit_window),
                          organization_quota(key.organization_id)) if q is not None]
    if not quotas or not items:
        return items, {}
    quantities: dict[str, int] = {}
    for item in items:
        category = outcomes.category_of(item.type)
        quantities[category] = quantities.get(category, 0) + item_quantity(item)
    exceeded = consume_quotas(quotas, quantities)
    if not exceeded:
        return items, {}
    headers = {"X-Sentry-Rate-Limits": rate_limits_header(exceeded),
               "Retry-After": str(max(e.retry_after for e in exceeded))}
    refused: dict[str, str] = {}
    for item in exceeded:
        for category in item.refused:
            refused.setdefault(category, item.reason_code or "")
    for category, reason in refused.items():
        outcomes.record(key.organization_id, key.project_id, key.key_id, category,
                        Outcome.RATE_LIMITED, reason, quantities.get(category, 0), received)
    kept = [item for item in items if outcomes.category_of(item.type) not in refused]
    if not kept:
        raise RateLimited(RateLimited.MESSAGE, headers=headers)
    return kept, headers


def accept_envelope(project_id: int) -> dict:
    credentials = request_credentials(request.headers, request.args)
    key = authorize(credentials, project_id) if credentials else None
    config = current_app.config
    limits = {**_item_limits(config)}
    envelope = parse(decoded_body(), limits)
    dsn = envelope.headers.get("dsn")
    if key is None or dsn is not None:
        key = authorize(envelope_credentials(credentials, dsn), project_id)
    received = dt.datetime.now(dt.UTC)
    event_item, event_id = _event_item(envelope)
    envelope.items, g.rate_limit_headers = enforce_quotas(key, envelope.items, received)
    if event_item is not None and event_item not in envelope.items:
        event_item = None  # refused by a quota; the rest is still taken
    if event_item is not None and event_item.type == "event":
        with counting_invalid(key, received):
            _check_event_payload(event_item.payload, "event")
        enqueue(key, event_id, event_item.payload, received)
    others = [item for item in envelope.items if item is not event_item]
    if event_item is not None and event_item.type == "transaction":
        others.append(event_item)
    count_items(key, others, received)
    return {"id": event_id} if event_id else {}


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


@contextlib.contextmanager
def counting_invalid(key, received: dt.datetime, category: str = "error"):
    """An event refused as malformed or too large counts as an ``invalid`` outcome."""
    try:
        yield
    except (BadRequest, TooLarge) as error:
        reason = "too_large" if isinstance(error, TooLarge) else "invalid_json"
        outcomes.record(key.organization_id, key.project_id, key.key_id, category,
                        Outcome.INVALID, reason, 1, received)
        raise


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


def accept_store(project_id: int) -> dict:
    credentials = request_credentials(request.headers, request.args)
    key = authorize(envelope_credentials(credentials, None), project_id)
    received = dt.datetime.now(dt.UTC)
    with counting_invalid(key, received):
        payload = _legacy_store_body(decoded_body())
        if len(payload) > current_app.config["EVENTS_MAX_EVENT_SIZE"]:
            raise TooLarge.for_item("event")
        data = parse_json(payload, "invalid event")
        if not isinstance(data, dict):
            raise BadRequest("invalid event", "the payload is not a JSON object")
    raw_id = data.get("event_id")
    event_id = normalize_event_id(raw_id, "event_id") if raw_id is not None else uuid.uuid4().hex
    item = Item({"type": "transaction" if data.get("type") == "transaction" else "event"}, payload)
    _, g.rate_limit_headers = enforce_quotas(key, [item], received)
    if item.type == "transaction":
        count_items(key, [item], received)
    else:
        enqueue(key, event_id, payload, received)
    return {"id": event_id}


def _answer(handler, raw_project_id: str):
    if request.method == "OPTIONS":
        return "", 200
    try:
        body = handler(project_id_of(raw_project_id))
    except IngestError as error:
        return refuse(error)
    response = jsonify(body)
    response.headers.update(g.get("rate_limit_headers") or {})
    return response


@blp.route("/<raw_project_id>/envelope/", methods=["POST", "OPTIONS"])
def envelope_endpoint(raw_project_id: str):
    return _answer(accept_envelope, raw_project_id)


@blp.route("/<raw_project_id>/store/", methods=["POST", "OPTIONS"])
def store_endpoint(raw_project_id: str):
    return _answer(accept_store, raw_project_id)
