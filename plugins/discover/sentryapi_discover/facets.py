"""``events-facets``: the most common values of each tag among the events a query keeps,
counted on the tag index (``discover_tag``) joined to the matching rows, and, as Sentry
adds it, a ``project`` facet: the events per project, named by slug."""

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
    projects = db.session.execute(select(source.c["project.id"], func.count())
                                  .group_by(source.c["project.id"])).all()
    if projects:  # the project facet replaces a tag that happens to be named "project"
        by_key["project"] = [(count, project_id) for project_id, count in projects]
    out = []
    for key in sorted(by_key)[:MAX_KEYS]:
        top = sorted(by_key[key], key=lambda item: (-item[0], item[1]))[:TOP_VALUES]
        if key == "project":
            # Sentry's value is the project's id (sent as a string here, as ids are
            # elsewhere in this API), its name the slug.
            values = [{"name": query.slugs.get(v, str(v)), "value": str(v), "count": n} for n, v in top]
        else:
            values = [{"name": v, "value": v, "count": n} for n, v in top]
        out.append({"key": key, "topValues": values})
    return out
