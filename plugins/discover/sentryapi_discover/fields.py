"""What a Discover query may name: event columns per dataset, tags, and functions.

A field resolves, for each stored kind (errors: the events plugin's ``event`` table;
transactions: ``discover_transaction``), to a SQL expression or ``None`` (the kind has
no such column: a 400 in that dataset alone, null in ``discover``). Any other plain
name is a tag, read from the ``discover_tag`` index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sentryapi_events import Event
from sqlalchemy import Float, cast, literal, select

from sentryapi.api import ParseError

from .models import ERROR, TRANSACTION, Tag, Transaction

E, T = Event.__table__, Transaction.__table__
DATASETS = {"errors": (ERROR,), "transactions": (TRANSACTION,), "discover": (ERROR, TRANSACTION)}
FUNCTION_RE = re.compile(r"^([a-z_][a-z0-9_]*)\((.*)\)$")
TAG_RE = re.compile(r"^(?:tags\[([\w.:\-]{1,32})\]|([A-Za-z_][\w.:\-]{0,31}))$")
MEASUREMENT_RE = re.compile(r"^measurements\.([a-z_][a-z0-9_.]{0,40})$")


def _json(*keys):
    """A text value inside the event's JSON (read only for the rows a query keeps)."""
    node = E.c.data
    for key in keys:
        node = node[key]
    return node.as_string()


#: name -> (type, errors expression, transactions expression); ``None``: not in that kind.
COLUMNS = {
    "id": ("string", E.c.event_id, T.c.event_id),
    "title": ("string", E.c.title, T.c.transaction),
    "message": ("string", E.c.message, T.c.transaction),
    "timestamp": ("date", E.c.timestamp, T.c.timestamp),
    "level": ("string", E.c.level, None),
    "project": ("string", E.c.project_id, T.c.project_id),
    "project.name": ("string", E.c.project_id, T.c.project_id),
    "project.id": ("integer", E.c.project_id, T.c.project_id),
    "release": ("string", E.c.release, T.c.release),
    "environment": ("string", E.c.environment, T.c.environment),
    "platform": ("string", E.c.platform, T.c.platform),
    "culprit": ("string", E.c.culprit, T.c.transaction),
    "transaction": ("string", _json("transaction"), T.c.transaction),
    "user.email": ("string", _json("user", "email"), T.c.user_email),
    "user.id": ("string", _json("user", "id"), T.c.user_id),
    "issue": ("string", E.c.group_id, None),
    "issue.id": ("integer", E.c.group_id, None),
    "trace": ("string", _json("contexts", "trace", "trace_id"), T.c.trace_id),
    "error.type": ("string", _json("metadata", "type"), None),
    "error.value": ("string", _json("metadata", "value"), None),
    "event.type": ("string", literal("error"), literal("transaction")),
    "transaction.duration": ("duration", None, T.c.duration),
    "transaction.op": ("string", None, T.c.op),
    "transaction.status": ("string", None, T.c.status),
    "span_count": ("integer", None, T.c.span_count),
}
#: Fields shown by a lookup after the query (``project`` slugs, ``issue`` short ids).
MAPPED = {"project", "project.name", "issue"}
NUMERIC = {"integer", "number", "duration"}


@dataclass(frozen=True)
class Field:
    """A plain column or tag of a query."""

    name: str
    type: str
    tag: str | None = None
    measurement: str | None = None

    def expr(self, kind: int):
        """The field's SQL for one kind of stored row; ``None`` if that kind lacks it."""
        table = E if kind == ERROR else T
        if self.tag is not None:
            return (select(Tag.value).where(Tag.project_id == table.c.project_id,
                                            Tag.event_id == table.c.event_id,
                                            Tag.kind == kind, Tag.key == self.tag)
                    .limit(1).scalar_subquery())
        if self.measurement is not None:
            if kind == ERROR:
                return None
            return cast(T.c.measurements[self.measurement]["value"].as_float(), Float)
        return COLUMNS[self.name][1 if kind == ERROR else 2]


def resolve(name: str, kinds: tuple[int, ...], what: str = "field") -> Field:
    """The field ``name`` names in a dataset, or a 400 naming it."""
    name = name.strip()
    if name in COLUMNS:
        field = Field(name, COLUMNS[name][0])
    elif match := MEASUREMENT_RE.match(name):
        field = Field(name, "number", measurement=match[1])
    elif match := TAG_RE.match(name):
        field = Field(name, "string", tag=match[1] or match[2])
    else:
        raise ParseError(f"Invalid {what}: {name!r} is not a field, a tag or a function.")
    if all(field.expr(kind) is None for kind in kinds):
        raise ParseError(f"Invalid {what}: {name!r} is not available in this dataset.")
    return field
