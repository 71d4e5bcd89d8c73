"""Helpers for tests: transactions as sentry-sdk sends them."""

from __future__ import annotations

import datetime as dt
import uuid


def transaction_event(name: str = "/api/users", duration_ms: float = 120.0, *, status: str = "ok",
                      op: str = "http.server", end: dt.datetime | None = None, **extra) -> dict:
    """A ``transaction`` item's payload, ending at ``end`` (default now) after ``duration_ms``."""
    end = end or dt.datetime.now(dt.UTC)
    start = end - dt.timedelta(milliseconds=duration_ms)
    return {
        "event_id": uuid.uuid4().hex, "type": "transaction", "platform": "python",
        "transaction": name, "start_timestamp": start.timestamp(), "timestamp": end.timestamp(),
        "contexts": {"trace": {"trace_id": uuid.uuid4().hex, "span_id": uuid.uuid4().hex[:16],
                               "op": op, "status": status}},
        "spans": [{"op": "db", "description": "SELECT 1"}], **extra,
    }
