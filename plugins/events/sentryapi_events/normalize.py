"""Turn whatever an SDK sent into one well-formed event (Sentry's event protocol).

Every field may arrive with any JSON type or not at all; nothing here raises on bad
input. Wrong types are dropped, strings are trimmed, lists are bounded, timestamps too
far in the future or the past become the time of receipt (as Relay clamps them), and
what could not be kept is listed in ``errors``, which the API shows.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

UTC = dt.UTC
LEVELS = ("fatal", "error", "warning", "info", "debug")
LEVEL_ALIASES = {"warn": "warning", "critical": "fatal", "log": "info", "trace": "debug",
                 "50": "fatal", "40": "error", "30": "warning", "20": "info", "10": "debug"}
PLATFORMS = frozenset({
    "as3", "c", "cfml", "cocoa", "csharp", "elixir", "go", "groovy", "haskell", "java",
    "javascript", "native", "node", "objc", "other", "perl", "php", "python", "ruby", "rust",
    "dart", "kotlin", "swift", "unity", "flutter", "dotnet", "android", "apple",
})
MAX_FUTURE = dt.timedelta(minutes=1)
MAX_AGE = dt.timedelta(days=30)
MAX_FRAMES = 250
MAX_EXCEPTIONS = 25
MAX_BREADCRUMBS = 100
MAX_TAGS = 100
TAG_KEY_RE = re.compile(r"^[a-zA-Z0-9_.:\-]{1,32}$")


def text(value: Any, limit: int = 8192) -> str | None:
    """A trimmed string, or ``None`` for anything that is not a (non-empty) scalar."""
    if type(value) is str:  # the common case first: this runs for every field of every frame
        value = value.strip()
        return value[:limit] if value else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value[:limit] if value else None


def mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def sequence(value: Any) -> list:
    return value if isinstance(value, list) else []


def values_of(value: Any) -> list:
    """``{"values": [...]}`` or a bare list (both are in the protocol)."""
    if isinstance(value, dict):
        value = value.get("values")
    return [item for item in sequence(value) if isinstance(item, dict)]


def parse_timestamp(value: Any) -> dt.datetime | None:
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return dt.datetime.fromtimestamp(float(value), UTC)
        if isinstance(value, str):
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return None


def level_of(value: Any, default: str) -> str:
    level = (text(value, 16) or "").lower()
    level = LEVEL_ALIASES.get(level, level)
    return level if level in LEVELS else default


def _pairs(value: Any, limit: int) -> list[list[str]]:
    """Tags (``{"k": "v"}`` or ``[["k", "v"]]``) as valid ``[key, value]`` pairs."""
    items = value.items() if isinstance(value, dict) else (
        tuple(pair) for pair in sequence(value) if isinstance(pair, list) and len(pair) == 2)
    out = []
    for key, raw in items:
        key, val = text(key, 200), text(raw, 200)
        if key and val and TAG_KEY_RE.match(key) and "\n" not in val:
            out.append([key, val])
        if len(out) >= limit:
            break
    return out


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
    derive(event)
    return event


def main_exception(event: dict) -> dict | None:
    values = event.get("exception", {}).get("values") or []
    return values[-1] if values else None


def app_frames(frames: list[dict]) -> list[dict]:
    """The frames of the application's own code, or all of them if none is marked."""
    in_app = [frame for frame in frames if frame.get("in_app")]
    return in_app or frames


def event_frames(event: dict) -> list[dict]:
    exc = main_exception(event)
    if exc and exc.get("stacktrace"):
        return exc["stacktrace"]["frames"]
    if event.get("stacktrace"):
        return event["stacktrace"]["frames"]
    for thread in event.get("threads", {}).get("values", []):
        if thread.get("crashed") or thread.get("current"):
            return thread.get("stacktrace", {}).get("frames", [])
    return []


def _frame_culprit(frame: dict) -> str:
    where = frame.get("module") or frame.get("filename") or frame.get("abs_path") or "?"
    function = frame.get("function")
    return f"{where} in {function}" if function else where


def _first_line(value: str, limit: int = 200) -> str:
    line = value.strip().splitlines()[0] if value.strip() else ""
    return line[:limit - 3] + "..." if len(line) > limit else line


def derive(event: dict) -> None:
    """Sentry's derived fields: ``type``, ``title``, ``metadata``, ``culprit``, ``location``."""
    exc = main_exception(event)
    frames = event_frames(event)
    top = app_frames(frames)[-1] if frames else None
    if exc:
        exc_type = exc.get("type") or "Error"
        value = exc.get("value") or ""
        event["type"] = "error"
        event["title"] = f"{exc_type}: {_first_line(value)}" if value else exc_type
        metadata = {"type": exc_type, "value": value[:1024]}
        if top:
            metadata.update({k: top[k] for k in ("filename", "function") if k in top})
            metadata["in_app_frame_mix"] = _frame_mix(frames)
        event["metadata"] = metadata
        handled = exc.get("mechanism", {}).get("handled")
        event["is_unhandled"] = handled is False
    else:
        message = event.get("logentry", {}).get("formatted") or ""
        event["type"] = "default"
        event["title"] = _first_line(message) or "<unlabeled event>"
        event["metadata"] = {"title": event["title"]}
        event["is_unhandled"] = False
    if "culprit" not in event:
        if event.get("transaction"):
            event["culprit"] = event["transaction"]
        elif top:
            event["culprit"] = _frame_culprit(top)[:200]
        else:
            event["culprit"] = ""
    event["location"] = (top.get("filename") or top.get("module")) if top else None


def _frame_mix(frames: list[dict]) -> str:
    flags = {bool(frame.get("in_app")) for frame in frames}
    return "mixed" if len(flags) == 2 else ("in-app" if flags == {True} else "system-only")


def event_tags(event: dict) -> list[list[str]]:
    """The event's tags plus the ones Sentry derives (level, release, user...), as pairs."""
    tags = {key: value for key, value in event.get("tags", [])}
    derived = {
        "level": event.get("level"),
        "environment": event.get("environment"),
        "release": event.get("release"),
        "dist": event.get("dist"),
        "logger": event.get("logger"),
        "server_name": event.get("server_name"),
        "transaction": event.get("transaction"),
        "url": (event.get("request") or {}).get("url"),
        "user": user_tag(event.get("user")),
    }
    exc = main_exception(event)
    if exc and exc.get("mechanism"):
        handled = exc["mechanism"].get("handled")
        if isinstance(handled, bool):
            derived["handled"] = "yes" if handled else "no"
        derived["mechanism"] = text(exc["mechanism"].get("type"), 200)
    contexts = event.get("contexts", {})
    for name in ("runtime", "os", "browser", "device"):
        context = contexts.get(name) or {}
        context_name = text(context.get("name"), 100)
        if context_name:
            derived[f"{name}.name"] = context_name
            version = text(context.get("version"), 90)
            derived[name] = f"{context_name} {version}" if version else context_name
    for key, value in derived.items():
        value = text(value, 200)
        if value and key not in tags:
            tags[key] = value
    return [[key, value] for key, value in tags.items()][:MAX_TAGS]


def user_tag(user: dict | None) -> str | None:
    """How Sentry identifies a user in counts: ``id:``, ``email:``, ``username:`` or ``ip:``."""
    if not user:
        return None
    for field, prefix in (("id", "id"), ("email", "email"), ("username", "username"),
                          ("ip_address", "ip")):
        if user.get(field):
            return f"{prefix}:{user[field]}"[:200]
    return None
