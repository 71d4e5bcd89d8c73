"""Turn whatever an SDK sent into one well-formed event (Sentry's event protocol).

Every field may arrive with any JSON type or not at all; nothing here raises on bad
input. Wrong types are dropped, strings are trimmed, lists are bounded, timestamps too
far in the future or the past become the time of receipt (as Relay clamps them), and
what could not be kept is listed in ``errors``, which the API shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .coerce import (
    MAX_AGE,
    MAX_BREADCRUMBS,
    MAX_EXCEPTIONS,
    MAX_FRAMES,
    MAX_FUTURE,
    MAX_TAGS,
    PLATFORMS,
    _pairs,
    level_of,
    mapping,
    parse_timestamp,
    sequence,
    text,
    values_of,
)
from .derived import derive

FRAME_TEXT = ("filename", "abs_path", "module", "function", "package", "platform",
              "instruction_addr", "symbol", "context_line")


def _context_line(line: Any) -> str:
    return line[:1024] if type(line) is str else (text(line, 1024) or "")


def _frame(raw: dict) -> dict:
    frame = {}
    for name in FRAME_TEXT:
        if name in raw:
            value = text(raw[name], 1024)
            if value is not None:
                frame[name] = value
    for name in ("lineno", "colno"):
        value = raw.get(name)
        if type(value) is int:
            frame[name] = value
    if isinstance(raw.get("in_app"), bool):
        frame["in_app"] = raw["in_app"]
    for name in ("pre_context", "post_context"):
        lines = raw.get(name)
        if type(lines) is list and lines:
            frame[name] = [_context_line(line) for line in lines[:10]]
    if isinstance(raw.get("vars"), dict):
        frame["vars"] = raw["vars"]
    return frame


def _stacktrace(raw: Any) -> dict | None:
    frames = [_frame(f) for f in sequence(mapping(raw).get("frames")) if isinstance(f, dict)]
    if not frames:
        return None
    if len(frames) > MAX_FRAMES:
        # Keep both ends: where it started and, above all, where it broke.
        half = MAX_FRAMES // 2
        frames = frames[:half] + frames[-half:]
    return {"frames": frames}


def _exception(raw: dict) -> dict | None:
    exc = {}
    for name, limit in (("type", 256), ("value", 8192), ("module", 256)):
        value = text(raw.get(name), limit)
        if value is not None:
            exc[name] = value
    mechanism = mapping(raw.get("mechanism"))
    if mechanism:
        exc["mechanism"] = {k: v for k, v in mechanism.items()
                            if k in ("type", "handled", "description", "synthetic", "data",
                                     "exception_id", "parent_id", "is_exception_group", "source")}
    stacktrace = _stacktrace(raw.get("stacktrace"))
    if stacktrace:
        exc["stacktrace"] = stacktrace
    if "thread_id" in raw and isinstance(raw["thread_id"], (int, str)):
        exc["thread_id"] = raw["thread_id"]
    if not exc.get("type") and not exc.get("value"):
        return None
    return exc


def _logentry(data: dict) -> dict | None:
    raw = data.get("logentry") or data.get("sentry.interfaces.Message")
    message = data.get("message")
    if not isinstance(raw, dict):
        raw = message if isinstance(message, dict) else {"formatted": message}
    template = text(raw.get("message"))
    formatted = text(raw.get("formatted"))
    params = raw.get("params")
    if formatted is None and template is not None:
        formatted = template
        if isinstance(params, (list, dict)) and params:
            try:
                formatted = template % (tuple(params) if isinstance(params, list) else params)
            except (TypeError, ValueError, KeyError):
                formatted = template
    if formatted is None and template is None:
        text_message = text(message) if not isinstance(message, dict) else None
        if text_message is None:
            return None
        formatted = text_message
    entry = {"formatted": formatted}
    if template is not None and template != formatted:
        entry["message"] = template
    if isinstance(params, (list, dict)) and params:
        entry["params"] = params
    return entry


def _user(raw: Any, remote_addr: str | None) -> dict | None:
    raw = mapping(raw)
    user = {}
    for name in ("id", "email", "username", "ip_address", "name", "segment"):
        value = text(raw.get(name), 128)
        if value is not None:
            user[name] = value
    if user.get("ip_address") == "{{auto}}":
        if remote_addr:
            user["ip_address"] = remote_addr
        else:
            user.pop("ip_address")
    for name in ("geo", "data"):
        if isinstance(raw.get(name), dict):
            user[name] = raw[name]
    return user or None


def _request(raw: Any) -> dict | None:
    raw = mapping(raw)
    request = {}
    for name in ("url", "method", "query_string", "fragment", "inferred_content_type"):
        value = raw.get(name)
        if name == "query_string" and isinstance(value, (dict, list)):
            request[name] = value
        elif text(value, 4096) is not None:
            request[name] = text(value, 4096)
    for name in ("headers", "cookies", "env"):
        value = raw.get(name)
        if isinstance(value, dict):
            request[name] = [[str(k), v] for k, v in value.items()] if name == "headers" else value
        elif isinstance(value, list):
            request[name] = value
    if "data" in raw:
        request["data"] = raw["data"]
    url = request.get("url")
    if url and ("?" in url or "#" in url):
        # Sentry keeps the query and fragment apart from the URL.
        url, _, fragment = url.partition("#")
        url, _, query = url.partition("?")
        request["url"] = url
        request.setdefault("query_string", query)
        if fragment:
            request.setdefault("fragment", fragment)
    return request or None


def _contexts(raw: Any) -> dict:
    contexts = {}
    for key, value in mapping(raw).items():
        if isinstance(value, dict) and isinstance(key, str):
            contexts[key[:64]] = {"type": value.get("type", key), **value}
    return contexts


def normalize(data: dict, *, event_id: str, received: dt.datetime,
              remote_addr: str | None = None) -> dict:
    """The event as stored and served: Sentry's field names, bounded sizes, derived fields."""
    errors = []
    event: dict[str, Any] = {"event_id": event_id}
    timestamp = parse_timestamp(data.get("timestamp"))
    if timestamp is None:
        if data.get("timestamp") is not None:
            errors.append({"type": "invalid_data", "name": "timestamp",
                           "value": str(data.get("timestamp"))[:64]})
        timestamp = received
    elif timestamp > received + MAX_FUTURE:
        errors.append({"type": "future_timestamp", "name": "timestamp"})
        timestamp = received
    elif timestamp < received - MAX_AGE:
        errors.append({"type": "past_timestamp", "name": "timestamp"})
        timestamp = received
    event["timestamp"] = timestamp.timestamp()
    event["received"] = received.timestamp()

    platform = (text(data.get("platform"), 64) or "other").lower()
    event["platform"] = platform if platform in PLATFORMS else "other"
    for name, limit in (("logger", 64), ("server_name", 128), ("release", 250), ("dist", 64),
                        ("environment", 64), ("transaction", 200), ("culprit", 200)):
        value = text(data.get(name), limit)
        if value is not None:
            event[name] = value

    logentry = _logentry(data)
    if logentry:
        event["logentry"] = logentry
    exceptions = [e for e in (_exception(raw) for raw in values_of(data.get("exception"))) if e]
    if exceptions:
        event["exception"] = {"values": exceptions[-MAX_EXCEPTIONS:]}
    stacktrace = _stacktrace(data.get("stacktrace"))
    if stacktrace:
        event["stacktrace"] = stacktrace
    threads = []
    for raw in values_of(data.get("threads"))[:50]:
        thread = {k: raw[k] for k in ("id", "name", "crashed", "current", "main") if k in raw}
        thread_stack = _stacktrace(raw.get("stacktrace"))
        if thread_stack:
            thread["stacktrace"] = thread_stack
        threads.append(thread)
    if threads:
        event["threads"] = {"values": threads}

    event["level"] = level_of(data.get("level"), "error")
    event["tags"] = _pairs(data.get("tags"), MAX_TAGS)
    user = _user(data.get("user"), remote_addr)
    if user:
        event["user"] = user
    request = _request(data.get("request"))
    if request:
        event["request"] = request
    event["contexts"] = _contexts(data.get("contexts"))
    if isinstance(data.get("extra"), dict):
        event["extra"] = data["extra"]
    crumbs = values_of(data.get("breadcrumbs"))[-MAX_BREADCRUMBS:]
    if crumbs:
        event["breadcrumbs"] = {"values": crumbs}
    sdk = mapping(data.get("sdk"))
    if text(sdk.get("name")):
        event["sdk"] = {k: sdk[k] for k in ("name", "version", "integrations", "packages")
                        if k in sdk}
    modules = {str(k)[:128]: text(v, 128) for k, v in mapping(data.get("modules")).items()
               if text(v, 128)}
    if modules:
        event["modules"] = modules
    fingerprint = [text(part, 512) for part in sequence(data.get("fingerprint"))]
    if fingerprint and all(fingerprint):
        event["fingerprint"] = fingerprint
    if errors:
        event["errors"] = errors
    if data.get("type") == "feedback":
        event["type"] = "feedback"  # its own issue (``derive``, ``grouping``)
    derive(event)
    return event
