"""Coercing what an SDK sent: any JSON value to bounded text, mappings, lists, timestamps,
levels and tag pairs; nothing here raises on bad input."""

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
