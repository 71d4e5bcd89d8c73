"""Sentry's derived fields of a normalized event (``type``, ``title``, ``metadata``,
``culprit``, ``location``), the frames that matter for grouping, and the event's tags."""

from __future__ import annotations

from .coerce import MAX_TAGS, text


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


def derive_feedback(event: dict) -> None:
    """A feedback event's issue fields, as Sentry's feedback issues show them."""
    feedback = event.get("contexts", {}).get("feedback") or {}
    message = feedback.get("message") if isinstance(feedback.get("message"), str) else ""
    event["title"] = "User Feedback"
    event["metadata"] = {
        "title": "User Feedback", "value": message[:1024], "message": message[:4096],
        **{k: feedback[k] for k in ("name", "contact_email", "source", "associated_event_id")
           if isinstance(feedback.get(k), str)}}
    event.setdefault("culprit", "user")
    event["is_unhandled"] = False
    event["location"] = None


def derive(event: dict) -> None:
    """Sentry's derived fields: ``type``, ``title``, ``metadata``, ``culprit``, ``location``."""
    if event.get("type") == "feedback":
        derive_feedback(event)
        return
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
