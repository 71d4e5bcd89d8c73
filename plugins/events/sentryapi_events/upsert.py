"""Counter upserts (``INSERT ... ON CONFLICT DO UPDATE``) on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import case
from sqlalchemy.dialects import postgresql, sqlite

from sentryapi.api import db


def dialect_insert(model):
    """The dialect's INSERT, which knows ``on_conflict_do_*``."""
    name = db.session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(model)


def increment(model, rows: list[dict], *, keys: tuple[str, ...], add: tuple[str, ...] = (),
              greatest: tuple[str, ...] = (), least: tuple[str, ...] = (),
              replace: tuple[str, ...] = ()) -> None:
    """Insert ``rows``; where one exists with the same ``keys``, add the ``add`` columns,
    keep the larger ``greatest``/smaller ``least`` values, and overwrite ``replace``."""
    if not rows:
        return
    stmt = dialect_insert(model)
    table = model.__table__
    new = stmt.excluded
    updates = {name: table.c[name] + new[name] for name in add}
    updates.update({name: case((new[name] > table.c[name], new[name]), else_=table.c[name])
                    for name in greatest})
    updates.update({name: case((new[name] < table.c[name], new[name]), else_=table.c[name])
                    for name in least})
    updates.update({name: new[name] for name in replace})
    db.session.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=updates), rows)
