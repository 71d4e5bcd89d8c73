"""The ``rewrite_stack_frames`` hook: minified JavaScript frames mapped to their sources.

For each frame with a URL, line and column: its debug id (the event's ``debug_meta``
images of type ``sourcemap``) or else the event's release and dist find the map; the
frame gets the original file, function, line, column and context lines, and ``data``
saying how (``sourcemap``, ``resolved_with``, ``symbolicated``). The frames as sent are
kept as the exception's ``raw_stacktrace``, as Sentry keeps them. A missing or broken map
is an entry of the event's ``errors`` (``js_no_source``, ``js_invalid_source``), never a
failure of the digest.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from .explain import debug_ids_of
from .lookup import BrokenMap, Found, Resolver, source_lines

log = logging.getLogger("sentryapi.sourcemaps")

JS_PLATFORMS = ("javascript", "node")
CONTEXT_LINES = 5
MAX_LINE = 1000


def _stacktraces(event: dict):
    """Each stack trace of the event, with the dict that keeps its raw frames (an exception's
    or a thread's ``raw_stacktrace``, as Sentry keeps them; ``None`` for the event's own)."""
    for exc in event.get("exception", {}).get("values", []):
        if exc.get("stacktrace"):
            yield exc["stacktrace"], exc
    if event.get("stacktrace"):
        yield event["stacktrace"], None
    for thread in event.get("threads", {}).get("values", []):
        if thread.get("stacktrace"):
            yield thread["stacktrace"], thread


def _context(lines: list[str] | None, line: int) -> dict:
    """``pre_context``, ``context_line``, ``post_context`` around the 0-based ``line``."""
    if lines is None or line >= len(lines):
        return {}
    return {
        "pre_context": [text[:MAX_LINE] for text in lines[max(0, line - CONTEXT_LINES):line]],
        "context_line": lines[line][:MAX_LINE],
        "post_context": [text[:MAX_LINE] for text in lines[line + 1:line + 1 + CONTEXT_LINES]],
    }


@lru_cache(maxsize=4096)
def _original_url(map_url: str, src: str) -> str:
    return urljoin(map_url, src) if not urlsplit(src).scheme else src


def _filename(abs_path: str) -> str:
    parts = urlsplit(abs_path)
    if parts.scheme in ("http", "https") or abs_path.startswith("~/"):
        return parts.path.lstrip("/") if parts.scheme else abs_path[2:]
    return abs_path


def map_frame(frame: dict, found: Found, errors: dict) -> bool:
    """Rewrite one frame through its map; ``False`` if the map has no token there. Problems
    go to ``errors`` in Sentry's shapes, once per kind and file."""
    token = found.map.lookup(frame["lineno"] - 1, frame["colno"] - 1,
                             frame.get("function"), found.minified)
    if token is None or token.src is None:
        errors.setdefault(("js_invalid_sourcemap_location", found.map_url), {
            "type": "js_invalid_sourcemap_location", "column": frame["colno"], "row": frame["lineno"],
            "source": found.map_url})
        return False
    abs_path = _original_url(found.map_url, token.src)
    mapped = {
        "abs_path": abs_path, "filename": _filename(abs_path),
        "function": token.function_name or token.name or frame.get("function"),
        "lineno": token.src_line + 1, "colno": token.src_col + 1,
        "data": {"sourcemap": found.map_url, "resolved_with": found.resolved_with, "symbolicated": True},
    }
    for name in ("pre_context", "context_line", "post_context"):
        frame.pop(name, None)
    lines = source_lines(found, token.src_id) if token.src_id is not None else None
    if lines is None:
        errors.setdefault(("js_missing_sources_content", frame["abs_path"]), {
            "type": "js_missing_sources_content", "source": frame["abs_path"], "sourcemap": found.map_url})
    mapped.update(_context(lines, token.src_line))
    if mapped["function"] is None:
        del mapped["function"]
    frame.update(mapped)
    if "node_modules/" not in abs_path and "in_app" not in frame:
        frame["in_app"] = True
    return True


def rewrite_stack_frames(event, sent, project_id, organization_id):
    """Map the event's JavaScript frames through their source maps (the hook's answer)."""
    if event.get("platform") not in JS_PLATFORMS:
        return None
    debug_ids = debug_ids_of(sent) if isinstance(sent, dict) else {}
    if debug_ids:  # kept as Sentry keeps them (``source-map-debug`` reads them)
        event["debug_meta"] = {"images": [{"type": "sourcemap", "code_file": code_file, "debug_id": debug_id}
                                          for code_file, debug_id in debug_ids.items()]}
    resolver = Resolver(organization_id, project_id, event.get("release"), event.get("dist"))
    errors, changed = {}, False
    for stacktrace, holder in _stacktraces(event):
        raw = {**stacktrace, "frames": [dict(frame) for frame in stacktrace["frames"]]}
        mapped_any = False
        for frame in stacktrace["frames"]:
            abs_path = frame.get("abs_path")
            if not abs_path or not isinstance(frame.get("lineno"), int) or not isinstance(frame.get("colno"), int):
                continue
            debug_id = debug_ids.get(abs_path)
            try:
                found = resolver.find(abs_path, debug_id)
            except BrokenMap as broken:
                errors.setdefault(("js_invalid_source", broken.url), {
                    "type": "js_invalid_source", "url": broken.url, "reason": broken.reason})
                continue
            if found is None:
                # As Sentry: libraries' files are rarely uploaded, their absence is no news.
                if (debug_id or resolver.has_release_artifacts()) and "/node_modules/" not in abs_path:
                    errors.setdefault(("js_no_source", abs_path), {"type": "js_no_source", "url": abs_path})
                continue
            if map_frame(frame, found, errors):
                mapped_any = True
        if mapped_any:
            changed = True
            if holder is not None:
                holder["raw_stacktrace"] = raw
    if errors:
        event.setdefault("errors", []).extend(errors.values())
    return changed or None
