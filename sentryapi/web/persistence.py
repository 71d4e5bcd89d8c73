"""Small database helpers every resource needs: 404 lookups, unique slugs, conflicts."""

from __future__ import annotations

import random
import time
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from ..exceptions import Conflict, NotFound
from ..extensions import db
from .schemas import slugify

#: Ids are BIGINTs; a longer number cannot name a row.
MAX_ID_DIGITS = 18


def parse_id(value: str) -> int | None:
    """A numeric id from a URL or query (ASCII digits only), else ``None``.

    ``str.isdigit`` is not enough: it accepts "³" and "٣", which ``int()`` refuses or reads
    as another id.
    """
    if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS:
        return int(value)
    return None


def ids_and_slugs(values) -> tuple[list[int], list[str]]:
    """Names of objects split into ids (ASCII digits) and slugs (anything else).

    An all-digit name too long for an id names nothing (slugs are never all digits).
    """
    ids, slugs = [], []
    for value in values:
        if value.isascii() and value.isdigit():
            if (number := parse_id(value)) is not None:
                ids.append(number)
        else:
            slugs.append(value)
    return ids, slugs


def get_or_404(stmt):
    """The single row ``stmt`` selects, or the uniform 404."""
    row = db.session.scalars(stmt.limit(1)).first()
    if row is None:
        raise NotFound()
    return row


def unique_slug(model, name: str, *scope, max_length: int = 50) -> str:
    """A free slug for ``name`` among ``model`` rows matching ``scope`` conditions.

    ``my-team``, then ``my-team-2``, ``my-team-3``...; a race is still caught by the
    unique constraint (see :func:`commit_or_conflict`).
    """
    base = slugify(name, max_length)
    taken = set(
        db.session.scalars(
            select(model.slug).where(*scope, model.slug.like(f"{base}%")).limit(1000)
        )
    )
    if base not in taken:
        return base
    for n in range(2, 10_000):
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
    raise Conflict("Could not find a free slug; choose one.")


@contextmanager
def commit_or_conflict(detail: str, *, extra: dict | None = None):
    """Commit what the block did; a unique-constraint violation becomes a 409 ``detail``."""
    try:
        yield
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(detail, extra=extra) from None


#: PostgreSQL's codes for a transaction it aborted to let another go on (deadlock,
#: serialization failure): running it again is the documented answer.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


def aborted_by_a_conflict(error: BaseException) -> bool:
    """Whether the database aborted the transaction only to break a conflict with another."""
    return (isinstance(error, OperationalError)
            and getattr(error.orig, "sqlstate", None) in RETRYABLE_SQLSTATES)


def retry_on_conflict(work, attempts: int = 4):
    """Run ``work`` (a function that commits) again when PostgreSQL aborts it to break a
    deadlock with a concurrent transaction (a digest storing events while a project is
    deleted, say); anything else, or the last attempt's conflict, is raised. ``work``
    must be safe to repeat after a rollback."""
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as error:
            db.session.rollback()
            if attempt == attempts - 1 or not aborted_by_a_conflict(error):
                raise
            time.sleep(random.uniform(0.01, 0.05) * 2 ** attempt)
    raise AssertionError("unreachable")
