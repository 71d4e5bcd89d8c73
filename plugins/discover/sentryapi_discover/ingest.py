"""Storing what Discover queries: transactions at ingest, and the tags of errors and
transactions on an index.

Transactions come through the events plugin's ``envelope_items`` hook (after quotas, which
counted them as accepted), one row each plus their tags, in the request's transaction
(the events plugin commits before answering), with the ``transaction.created`` webhook.
Errors' tags come from the ``events_stored`` hook, once per digested batch.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid

from sqlalchemy import insert, select

from sentryapi.api import db, insert_rows
from sentryapi.webhooks import emit, subscribed

from . import rollup
from .models import ERROR, TRANSACTION, Tag, Transaction

log = logging.getLogger("sentryapi.discover.ingest")
UTC = dt.UTC
KEY_MAX, VALUE_MAX = 32, 200
#: Transaction fields that are also tags, as Sentry tags them.
TAGGED = (("environment", "environment"), ("release", "release"), ("transaction", "transaction"),
          ("transaction.op", "op"), ("transaction.status", "status"))


def envelope_items(key, items, received: dt.datetime) -> int | None:
    """Store the ``transaction`` items of an accepted envelope (no commit)."""
    rows = []
    for item in items:
        if item.type != "transaction":
            continue
        try:
            data = json.loads(item.payload)
            if isinstance(data, dict):
                rows.append(transaction_row(key.project_id, data, received))
        except (ValueError, TypeError, OverflowError):
            log.info("dropped an unreadable transaction for project %s", key.project_id)
    return store(key.organization_id, rows) or None


def store(organization_id: int, rows: list[dict]) -> int:
    """Insert transaction rows (resends ignored) and their tags, adding those of days already
    rolled up to their day's durations; fire ``transaction.created``."""
    if not rows:
        return 0
    known = set(db.session.scalars(select(Transaction.event_id).where(
        Transaction.project_id == rows[0]["project_id"],
        Transaction.event_id.in_([r["event_id"] for r in rows]))))
    rows = [r for r in rows if r["event_id"] not in known]
    if not rows:
        return 0
    db.session.execute(insert(Transaction.__table__), rows)
    rollup.add_late(rows, dt.datetime.now(UTC))
    db.session.execute(insert(Tag.__table__), [
        {"project_id": r["project_id"], "kind": TRANSACTION, "event_id": r["event_id"],
         "timestamp": r["timestamp"], "key": k, "value": v} for r in rows for k, v in r["tags"]])
    for row in rows:
        if subscribed(organization_id, "transaction", "created", project=row["project_id"]):
            emit(organization_id, "transaction", "created", {"transaction": webhook_payload(row)},
                 project=row["project_id"])
    return len(rows)


def events_stored(events, new_group_ids) -> None:
    """The tags of a digested batch of errors, on the index."""
    rows = [{"project_id": e["project_id"], "kind": ERROR, "event_id": e["event_id"],
             "timestamp": e["timestamp"], "key": str(k)[:KEY_MAX], "value": str(v)[:VALUE_MAX]}
            for e in events for k, v in (e.get("tags") or ())]
    insert_rows(Tag.__table__, rows)


def _moment(value, fallback: dt.datetime | None) -> dt.datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, UTC)
    if isinstance(value, str) and value:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return fallback


def _text(value, limit: int) -> str | None:
    return None if value is None or isinstance(value, dict | list) else str(value)[:limit]


def _tags(data: dict) -> list[tuple[str, str]]:
    sent = data.get("tags") or {}
    pairs = sent.items() if isinstance(sent, dict) else [p for p in sent if isinstance(p, list | tuple) and len(p) == 2]
    return [(str(k)[:KEY_MAX], str(v)[:VALUE_MAX]) for k, v in pairs if k is not None and v is not None]


def transaction_row(project_id: int, data: dict, received: dt.datetime) -> dict:
    """The stored row of one transaction payload (as sentry-sdk sends it)."""
    trace = (data.get("contexts") or {}).get("trace") or {}
    end = _moment(data.get("timestamp"), received)
    start = _moment(data.get("start_timestamp"), None)
    user = data.get("user") if isinstance(data.get("user"), dict) else {}
    measurements = data.get("measurements") if isinstance(data.get("measurements"), dict) else {}
    spans = data.get("spans") if isinstance(data.get("spans"), list) else []
    row = {
        "project_id": project_id, "event_id": _event_id(data.get("event_id")),
        "timestamp": end, "start_timestamp": start, "received": received,
        "transaction": _text(data.get("transaction"), 200) or "<unlabeled transaction>",
        "op": _text(trace.get("op"), 64), "status": _text(trace.get("status"), 32) or "ok",
        "duration": max(0.0, (end - start).total_seconds() * 1000) if start else 0.0,
        "trace_id": _text(trace.get("trace_id"), 32), "span_count": len(spans),
        "release": _text(data.get("release"), 250), "environment": _text(data.get("environment"), 64),
        "platform": _text(data.get("platform"), 64), "user_id": _text(user.get("id"), 128),
        "user_email": _text(user.get("email"), 128), "measurements": measurements,
    }
    tags = dict(_tags(data))
    for tag, column in TAGGED:
        if row[column] is not None:
            tags.setdefault(tag, str(row[column])[:VALUE_MAX])
    if row["user_email"] or row["user_id"]:
        tags.setdefault("user", f"email:{row['user_email']}" if row["user_email"] else f"id:{row['user_id']}")
    row["tags"] = sorted(tags.items())
    return row


def _event_id(raw) -> str:
    try:
        return uuid.UUID(str(raw)).hex
    except ValueError:
        return uuid.uuid4().hex


def webhook_payload(row: dict) -> dict:
    """A transaction as Sentry's ``transaction.created`` webhook carries it."""
    stamp = row["timestamp"].timestamp()
    start = row["start_timestamp"].timestamp() if row["start_timestamp"] else stamp
    return {
        "event_id": row["event_id"], "project": row["project_id"], "type": "transaction",
        "transaction": row["transaction"], "timestamp": stamp, "start_timestamp": start,
        "release": row["release"], "environment": row["environment"], "platform": row["platform"],
        "contexts": {"trace": {"trace_id": row["trace_id"], "op": row["op"], "status": row["status"]}},
        "measurements": row["measurements"], "tags": [list(t) for t in row["tags"]],
        "user": {"id": row["user_id"], "email": row["user_email"]},
    }
