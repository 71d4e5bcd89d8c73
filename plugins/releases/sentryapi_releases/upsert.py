"""``INSERT ... ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL.

Get-or-create under concurrent requests: two clients creating the same release (or
repository, author, commit) at once both succeed and see one row, without a savepoint.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from sentryapi.api import db


def insert_ignore(model, rows: list[dict], conflict: tuple[str, ...]) -> int:
    """Insert the rows that do not collide on ``conflict``; returns how many were new."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(model).values(rows).on_conflict_do_nothing(index_elements=list(conflict))
    # RETURNING, because psycopg reports no rowcount for this statement.
    return len(db.session.execute(stmt.returning(model.id)).all())
