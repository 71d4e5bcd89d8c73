"""Rendering compiled results as Sentry does: rows keyed by field, ``meta`` with types and
units, dates in ISO 8601, ``project`` as slugs, ``issue`` as short ids; page cursors."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

from sentryapi_events import Group, base36
from sqlalchemy import select

from sentryapi.api import ParseError, db

from .functions import Function

UTC = dt.UTC


def meta(query, dataset: str | None = None) -> dict:
    fields, units = {}, {}
    for column in query.columns:
        name = column.alias if isinstance(column, Function) else column.name
        fields[name] = column.type
        units[name] = column.unit if isinstance(column, Function) else (
            "millisecond" if column.type == "duration" else None)
    return {"fields": fields, "units": units, "isMetricsData": False,
            "isMetricsExtractedData": False, "tips": {}, "datasetReason": "unchanged",
            "dataset": dataset or query.dataset}


def render(query, rows) -> list[dict]:
    """Result rows as JSON objects; lookups for the whole page in one query each."""
    names = [c.alias if isinstance(c, Function) else c.name for c in query.columns]
    issues = _short_ids({row._mapping["issue"] for row in rows if "issue" in names} - {None}, query)
    out = []
    for row in rows:
        values = row._mapping
        item = {}
        for name in names:
            item[name] = _value(name, values[name], query, issues)
        out.append(item)
    return out


def _value(name: str, value, query, issues: dict):
    if value is None:
        return None
    if name in ("project", "project.name"):
        return query.slugs.get(value, str(value))
    if name == "issue":
        return issues.get(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(UTC).isoformat()
    return value


def _short_ids(group_ids: set, query) -> dict[int, str]:
    if not group_ids:
        return {}
    rows = db.session.execute(select(Group.id, Group.project_id, Group.short_id)
                              .where(Group.id.in_(group_ids)))
    return {gid: f"{query.slugs.get(pid, '').upper()}-{base36(short)}" for gid, pid, short in rows}


def encode_cursor(values: list, backwards: bool = False) -> str:
    """A boundary row's sort keys, opaque, in Sentry's ``value:offset:is_prev`` form: the
    next page starts after that row; a previous page (``is_prev`` 1) ends before it."""
    plain = [["d", v.astimezone(UTC).isoformat()] if isinstance(v, dt.datetime) else v for v in values]
    token = base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode()
    return f"{token.rstrip('=')}:0:{int(backwards)}"


def decode_cursor(text: str) -> tuple[list | None, bool]:
    """The boundary a cursor holds (``None`` for ``0:0:0``, the first page, as Sentry's) and
    whether it asks for the page before it."""
    try:
        token, _offset, is_prev = text.split(":")
        if is_prev not in ("0", "1"):
            raise ValueError(text)
        if token == "0":
            return None, False
        plain = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(plain, list):
            raise ValueError(text)
        return [dt.datetime.fromisoformat(v[1]) if isinstance(v, list) else v for v in plain], is_prev == "1"
    except (ValueError, binascii.Error, IndexError, TypeError):
        raise ParseError("Invalid cursor parameter.") from None
