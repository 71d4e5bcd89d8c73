"""``events-facets``: the most common values of each tag among the events a query keeps,
counted on the tag index (``discover_tag``) joined to the matching rows."""

from __future__ import annotations

from sqlalchemy import and_, func, select

from sentryapi.api import db

from . import compiler
from .models import Tag

TOP_VALUES = 10
MAX_KEYS = 100


def facets(query) -> list[dict]:
    """``[{"key": k, "topValues": [{"name", "value", "count"}, ...]}, ...]`` by key."""
    source = compiler.rows(query, extra=["id", "project.id"])
    stmt = (select(Tag.key, Tag.value, func.count().label("n"))
            .join(source, and_(Tag.project_id == source.c["project.id"], Tag.event_id == source.c["id"],
                               Tag.kind == source.c["_kind"]))
            .group_by(Tag.key, Tag.value))
    by_key: dict[str, list] = {}
    for key, value, count in db.session.execute(stmt):
        by_key.setdefault(key, []).append((count, value))
    out = []
    for key in sorted(by_key)[:MAX_KEYS]:
        top = sorted(by_key[key], key=lambda item: (-item[0], item[1]))[:TOP_VALUES]
        out.append({"key": key, "topValues": [{"name": v, "value": v, "count": n} for n, v in top]})
    return out
