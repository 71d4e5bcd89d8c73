"""Deprecation of public API parts: marked where they are declared, flagged in the published
document, announced on every response that uses them.

An operation is marked with ``@blp.deprecated(since=..., sunset=..., successor=...)``, a
parameter, request field or response attribute with ``metadata=deprecated(...)``. The
document then says ``deprecated: true`` with ``x-deprecated-since``, ``x-sunset`` and
``x-successor``; a response of a deprecated operation, to a request that sent a deprecated
parameter or field, or whose body holds a deprecated attribute, carries ``Deprecation``
(RFC 9745: ``@<epoch seconds>``), ``Sunset`` (RFC 8594: an HTTP date) when a sunset is set,
and ``Link: <successor>; rel="successor-version"`` when the response has no ``Link`` of its
own (Sentry's clients read pagination from ``Link``, which is left alone). The
breaking-change check (``sentryapi.openapi.compat``) lets a part go only after its sunset.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from email.utils import formatdate

from flask import current_app, g, request

SINCE, SUNSET, SUCCESSOR = "x-deprecated-since", "x-sunset", "x-successor"


@dataclass(frozen=True)
class Deprecation:
    since: dt.date
    sunset: dt.date | None = None
    successor: str | None = None

    @classmethod
    def of(cls, since, sunset=None, successor: str | None = None) -> Deprecation:
        """From dates or ISO strings (``"2027-06-30"``); a sunset before ``since`` is an error."""
        since, sunset = _date(since), _date(sunset) if sunset is not None else None
        if sunset is not None and sunset < since:
            raise ValueError(f"sunset {sunset} is before the deprecation ({since})")
        return cls(since, sunset, successor)

    @classmethod
    def from_document(cls, node) -> Deprecation | None:
        """The deprecation an OpenAPI node (or a field's metadata) declares, if any."""
        if not isinstance(node, dict) or not node.get("deprecated") or SINCE not in node:
            return None
        return cls.of(node[SINCE], node.get(SUNSET), node.get(SUCCESSOR))

    def document(self) -> dict:
        """The keys that mark a node of the document (or a field's metadata) deprecated."""
        marks = {"deprecated": True, SINCE: self.since.isoformat()}
        if self.sunset is not None:
            marks[SUNSET] = self.sunset.isoformat()
        if self.successor:
            marks[SUCCESSOR] = self.successor
        return marks

    def description(self) -> str:
        text = f"Deprecated since {self.since.isoformat()}"
        if self.sunset is not None:
            text += f"; removed after {self.sunset.isoformat()}"
        return text + (f"; use {self.successor} instead." if self.successor else ".")


def deprecated(since, sunset=None, successor: str | None = None) -> dict:
    """Field metadata marking a parameter, request field or response attribute deprecated:
    ``fields.Str(metadata=deprecated("2026-12-03", successor="environment"))``."""
    return Deprecation.of(since, sunset, successor).document()


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def headers(deprecations, path_values: dict | None = None) -> dict[str, str]:
    """The headers announcing ``deprecations``: the earliest date of each kind wins."""
    path_values = path_values or {}
    deprecations = list(deprecations)
    if not deprecations:
        return {}
    since = min(d.since for d in deprecations)
    out = {"Deprecation": f"@{calendar.timegm(since.timetuple())}"}
    sunsets = [d.sunset for d in deprecations if d.sunset is not None]
    if sunsets:
        out["Sunset"] = formatdate(calendar.timegm(min(sunsets).timetuple()), usegmt=True)
    links = [_link(d.successor, path_values) for d in deprecations if d.successor]
    links = [link for link in dict.fromkeys(links) if link]
    if links:
        out["Link"] = ", ".join(f'<{link}>; rel="successor-version"' for link in links)
    return out


def _link(successor: str, path_values: dict) -> str | None:
    """A successor that is a path (``{placeholders}`` filled from the request's own path
    values) or a URL; a successor that names a field or parameter is no link."""
    if not successor.startswith(("/", "http://", "https://")):
        return None
    try:
        return successor.format(**path_values)
    except (KeyError, IndexError):
        return None


# -- declaring ------------------------------------------------------------------------------

def mark_operation(since, sunset=None, successor: str | None = None):
    """Decorator for a view method (``Blueprint.deprecated``)."""
    deprecation = Deprecation.of(since, sunset, successor)

    def decorator(func):
        func._apidoc = {**getattr(func, "_apidoc", {}), "deprecation": deprecation}
        return func

    return decorator


def document_operation(doc: dict, doc_info: dict, **kwargs) -> dict:
    """flask-smorest doc callback: flag a deprecated operation in its document."""
    deprecation = doc_info.get("deprecation")
    if deprecation is not None:
        doc.update(deprecation.document())
    return doc


# -- announcing -----------------------------------------------------------------------------

def note_request_data(schema, data) -> None:
    """The parser saw ``data`` for ``schema``: remember the deprecated fields it holds."""
    if not hasattr(data, "__contains__"):
        return
    for name, field in schema.fields.items():
        deprecation = Deprecation.from_document(field.metadata)
        if deprecation is not None and (field.data_key or name) in data:
            g.setdefault("sentryapi_deprecations", []).append(deprecation)


@functools.cache
def _declared(method_function) -> tuple[Deprecation, ...]:
    """The operation's own deprecation and those of its response attributes (at any depth)."""
    apidoc = getattr(method_function, "_apidoc", {})
    found = [apidoc["deprecation"]] if apidoc.get("deprecation") else []
    for code, responses in apidoc.get("response", {}).get("responses", {}).items():
        if str(code).startswith("2"):
            for response in responses if isinstance(responses, list) else [responses]:
                found += _schema_deprecations(response.get("schema"), set())
    return tuple(found)


def _schema_deprecations(schema, seen: set) -> list[Deprecation]:
    from marshmallow import Schema, fields

    if isinstance(schema, type) and issubclass(schema, Schema):
        schema = schema()
    if not isinstance(schema, Schema) or type(schema) in seen:
        return []
    seen.add(type(schema))
    found = []
    for field in schema.fields.values():
        deprecation = Deprecation.from_document(field.metadata)
        if deprecation is not None:
            found.append(deprecation)
        while isinstance(field, fields.List):
            field = field.inner
        if isinstance(field, fields.Nested):
            found += _schema_deprecations(field.schema, seen)
    return found


def announce(response):
    """after_request: the headers for every deprecated part this exchange used."""
    found = list(g.pop("sentryapi_deprecations", ()))
    view = current_app.view_functions.get(request.endpoint)
    view_class = getattr(view, "view_class", None)
    method_function = getattr(view_class, request.method.lower(), None) if view_class else None
    if method_function is not None and response.status_code < 400:
        found += _declared(method_function)
    for name, value in headers(found, request.view_args).items():
        if name == "Link" and "Link" in response.headers:
            continue  # pagination's Link stays as Sentry's clients parse it
        response.headers[name] = value
    return response


def install(app) -> None:
    app.after_request(announce)
