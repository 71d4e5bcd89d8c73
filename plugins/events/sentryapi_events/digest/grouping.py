"""Which issue an event belongs to: Sentry-like default fingerprints, and custom ones.

The default groups errors by what went wrong and where: each exception's type plus the
module (or file) and function of the application's frames, never line numbers (they
move with every deploy) nor the message (it often holds ids). An event without a stack
groups by its exception type and value, else by its message *template*
(``"User %s failed"``, before the parameters are filled in), else by its title.
An SDK's ``fingerprint`` replaces this; its ``{{ default }}`` entry stands for it.
"""

from __future__ import annotations

import hashlib
import json
import re

from .derived import app_frames

DEFAULT_MARKER = re.compile(r"^\{\{\s*default\s*\}\}$")
#: Hash-like parts of JavaScript bundle names (``main.3f9a1c2b.js``) vary per build.
BUILD_HASH = re.compile(r"\.[0-9a-f]{8,}(?=\.)")


def _where(frame: dict) -> str:
    if frame.get("module"):
        return frame["module"]
    filename = frame.get("filename") or frame.get("abs_path") or ""
    filename = filename.split("?", 1)[0].split("#", 1)[0]
    return BUILD_HASH.sub("", filename)


def _frames_component(frames: list[dict]) -> list[str]:
    return [f"{_where(frame)}:{frame.get('function') or '?'}" for frame in app_frames(frames)]


def default_components(event: dict) -> list:
    exceptions = event.get("exception", {}).get("values") or []
    if exceptions:
        parts = []
        for exc in exceptions:
            frames = exc.get("stacktrace", {}).get("frames") or []
            if frames:
                parts.append([exc.get("type") or "", *_frames_component(frames)])
            else:
                parts.append([exc.get("type") or "", exc.get("value") or ""])
        return ["exception", parts]
    frames = (event.get("stacktrace") or {}).get("frames") or []
    if frames:
        return ["stacktrace", _frames_component(frames)]
    logentry = event.get("logentry") or {}
    template = logentry.get("message") or logentry.get("formatted")
    if template:
        return ["message", template]
    return ["title", event.get("title") or ""]


def fingerprint_components(event: dict) -> list:
    if event.get("type") == "feedback":
        return ["feedback", event["event_id"]]  # each feedback is an issue of its own, as in Sentry
    custom = event.get("fingerprint")
    if not custom:
        return default_components(event)
    return [default_components(event) if DEFAULT_MARKER.match(part) else part for part in custom]


def group_hash(event: dict) -> str:
    """A 32-hex-digit hash naming the event's group within its project."""
    components = fingerprint_components(event)
    encoded = json.dumps(components, separators=(",", ":"), ensure_ascii=False)
    return hashlib.md5(encoded.encode(), usedforsecurity=False).hexdigest()
