"""Helpers for tests (this plugin's and others'): envelopes and events as SDKs send them."""

from __future__ import annotations

import gzip
import json
import uuid


def envelope(event: dict | None = None, *, event_id: str | None = None, items=(),
             headers: dict | None = None) -> bytes:
    """An envelope as SDKs write it: headers line, then typed items with lengths."""
    event_id = event_id or (event or {}).get("event_id") or uuid.uuid4().hex
    head = {"event_id": event_id, "sent_at": "2026-01-01T00:00:00.000000Z", **(headers or {})}
    lines = [json.dumps(head).encode()]
    if event is not None:
        payload = json.dumps(event).encode()
        lines += [json.dumps({"type": "event", "length": len(payload)}).encode(), payload]
    for item_type, payload in items:
        payload = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        lines += [json.dumps({"type": item_type, "length": len(payload)}).encode(), payload]
    return b"\n".join(lines) + b"\n"


def exception_event(exc_type="KeyError", value="'missing'", function="boom", module="app.jobs",
                    **extra) -> dict:
    return {
        "event_id": uuid.uuid4().hex, "level": "error", "platform": "python",
        "exception": {"values": [{"type": exc_type, "value": value, "mechanism": {
            "type": "generic", "handled": True}, "stacktrace": {"frames": [
                {"filename": "runner.py", "module": "runner", "function": "main", "lineno": 3,
                 "in_app": True},
                {"filename": "jobs.py", "module": module, "function": function, "lineno": 12,
                 "context_line": "    return data['missing']", "in_app": True},
            ]}}]},
        **extra,
    }


def gzipped(body: bytes) -> bytes:
    return gzip.compress(body)
