"""Events as Sentry's API renders them: list items and the full detail with ``entries``."""

from __future__ import annotations

import datetime as dt

UTC = dt.UTC
GROUPING_CONFIG = {"id": "sentryapi:2026-11", "enhancements": ""}
ERROR_MESSAGES = {
    "invalid_data": "Discarded invalid value",
    "future_timestamp": "Invalid timestamp (in future)",
    "past_timestamp": "Timestamp too old",
    "processing_error": "An error occurred while processing the event",
    # Source maps (a plugin's ``rewrite_stack_frames``), Sentry's words for them.
    "js_no_source": "Source code was not found",
    "js_invalid_source": "Sourcemap was invalid or not parseable",
    "js_invalid_sourcemap_location": "Invalid location in sourcemap",
    "js_missing_sources_content": "Source map is missing the sourcesContent",
}


def iso(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    moment = dt.datetime.fromtimestamp(seconds, UTC)
    return moment.isoformat().replace("+00:00", "Z")


def _frame(frame: dict) -> dict:
    context = []
    lineno = frame.get("lineno")
    if isinstance(lineno, int):
        pre = frame.get("pre_context") or []
        context = [[lineno - len(pre) + i, line] for i, line in enumerate(pre)]
        if "context_line" in frame:
            context.append([lineno, frame["context_line"]])
        context += [[lineno + 1 + i, line] for i, line in enumerate(frame.get("post_context") or [])]
    return {
        "filename": frame.get("filename"), "absPath": frame.get("abs_path"),
        "module": frame.get("module"), "package": frame.get("package"),
        "platform": frame.get("platform"), "instructionAddr": frame.get("instruction_addr"),
        "symbolAddr": None, "function": frame.get("function"), "rawFunction": None,
        "symbol": frame.get("symbol"), "context": context, "lineNo": lineno,
        "colNo": frame.get("colno"), "inApp": bool(frame.get("in_app")), "trust": None,
        "errors": None, "lock": None, "sourceLink": None, "vars": frame.get("vars"),
        "data": frame.get("data"),
    }


def _stacktrace(stacktrace: dict | None) -> dict | None:
    if not stacktrace:
        return None
    frames = [_frame(f) for f in stacktrace.get("frames", [])]
    return {"frames": frames, "framesOmitted": None, "registers": None,
            "hasSystemFrames": any(not f["inApp"] for f in frames)}


def _exception_entry(data: dict) -> dict:
    values = []
    for exc in data["exception"]["values"]:
        values.append({
            "type": exc.get("type"), "value": exc.get("value"), "module": exc.get("module"),
            "mechanism": exc.get("mechanism"), "threadId": exc.get("thread_id"),
            "rawStacktrace": _stacktrace(exc.get("raw_stacktrace")),
            "stacktrace": _stacktrace(exc.get("stacktrace")),
        })
    return {"type": "exception", "data": {
        "values": values, "excOmitted": None,
        "hasSystemFrames": any(v["stacktrace"] and v["stacktrace"]["hasSystemFrames"] for v in values),
    }}


def _breadcrumbs_entry(data: dict) -> dict:
    values = []
    for crumb in data["breadcrumbs"]["values"]:
        timestamp = crumb.get("timestamp")
        if isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool):
            timestamp = iso(float(timestamp))
        values.append({
            "type": crumb.get("type") or "default", "category": crumb.get("category"),
            "level": crumb.get("level") or "info", "message": crumb.get("message"),
            "timestamp": timestamp, "data": crumb.get("data"), "event_id": None,
        })
    return {"type": "breadcrumbs", "data": {"values": values}}


def _request_entry(request: dict) -> dict:
    query = request.get("query_string")
    if isinstance(query, str):
        from urllib.parse import parse_qsl

        query = [list(pair) for pair in parse_qsl(query, keep_blank_values=True)]
    elif isinstance(query, dict):
        query = [[k, v] for k, v in query.items()]
    return {"type": "request", "data": {
        "url": request.get("url"), "method": request.get("method"), "query": query or [],
        "fragment": request.get("fragment"), "data": request.get("data"),
        "headers": request.get("headers") or [], "cookies": request.get("cookies") or [],
        "env": request.get("env"), "inferredContentType": request.get("inferred_content_type"),
        "apiTarget": None,
    }}


def entries(data: dict) -> list[dict]:
    out = []
    if data.get("logentry"):
        entry = data["logentry"]
        out.append({"type": "message", "data": {
            "formatted": entry.get("formatted"), "message": entry.get("message"),
            "params": entry.get("params")}})
    if data.get("exception"):
        out.append(_exception_entry(data))
    if data.get("stacktrace"):
        out.append({"type": "stacktrace", "data": _stacktrace(data["stacktrace"])})
    if data.get("threads"):
        out.append({"type": "threads", "data": {"values": [
            {"id": t.get("id"), "name": t.get("name"), "crashed": bool(t.get("crashed")),
             "current": bool(t.get("current")), "main": t.get("main"),
             "stacktrace": _stacktrace(t.get("stacktrace")),
             "rawStacktrace": _stacktrace(t.get("raw_stacktrace"))}
            for t in data["threads"]["values"]]}})
    if data.get("breadcrumbs"):
        out.append(_breadcrumbs_entry(data))
    if data.get("request"):
        out.append(_request_entry(data["request"]))
    return out


def user(data: dict) -> dict | None:
    raw = data.get("user")
    if not raw:
        return None
    return {"id": raw.get("id"), "email": raw.get("email"), "username": raw.get("username"),
            "ip_address": raw.get("ip_address"), "name": raw.get("name"),
            "geo": raw.get("geo"), "data": raw.get("data")}


def tags(data: dict) -> list[dict]:
    return [{"key": key, "value": value} for key, value in data.get("tags", [])]


def message(data: dict) -> str:
    return (data.get("logentry") or {}).get("formatted") or ""


def serialize_event_summary(data: dict, *, project_id: int, group_id: int | None) -> dict:
    """An event in a list (Sentry's list shape)."""
    return {
        "id": data["event_id"], "event.type": data.get("type", "default"),
        "groupID": None if group_id is None else str(group_id), "eventID": data["event_id"],
        "projectID": str(project_id), "message": message(data), "title": data.get("title", ""),
        "location": data.get("location"), "culprit": data.get("culprit"), "user": user(data),
        "tags": tags(data), "platform": data.get("platform"),
        "dateCreated": iso(data.get("timestamp")), "crashFile": None,
        "metadata": data.get("metadata", {}),
    }


def serialize_event(data: dict, *, project_id: int, group_id: int | None, size: int | None = None,
                    previous_id: str | None = None, next_id: str | None = None) -> dict:
    """The full event (Sentry's detail shape): entries, contexts, sdk, errors..."""
    sdk = data.get("sdk")
    release = data.get("release")
    return {
        **serialize_event_summary(data, project_id=project_id, group_id=group_id),
        "dateReceived": iso(data.get("received")),
        "contexts": data.get("contexts") or {},
        "context": data.get("extra") or {},
        "size": size,
        "entries": entries(data),
        "dist": data.get("dist"),
        "sdk": {"name": sdk.get("name"), "version": sdk.get("version")} if sdk else None,
        "packages": data.get("modules") or {},
        "type": data.get("type", "default"),
        "errors": [{"type": e.get("type", "error"),
                    "message": ERROR_MESSAGES.get(e.get("type"), e.get("message") or "Error"),
                    "data": {k: v for k, v in e.items() if k != "type"}}
                   for e in data.get("errors", [])],
        "occurrence": None,
        "_meta": {},
        "fingerprints": data.get("hashes", []),
        "groupingConfig": GROUPING_CONFIG,
        "release": {"version": release, "shortVersion": release} if release else None,
        "environment": data.get("environment"),
        "userReport": None,
        "sdkUpdates": [],
        "resolvedWith": [],
        "nextEventID": next_id,
        "previousEventID": previous_id,
    }
