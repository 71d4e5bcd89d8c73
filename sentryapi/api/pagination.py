"""Keyset pagination with Sentry's cursors and ``Link`` header.

A cursor is ``"<value>:<offset>:<is_prev>"`` (three integers, as Sentry's). Here ``value``
is the sort key of the boundary row and ``offset`` its id, so the next page is
``WHERE (key, id) < (value, offset)`` on an index: the cost does not grow with depth and
rows are never skipped or repeated when keys tie. String keys cannot be an integer, so
for them ``value`` is the boundary row's id and its key is read in a subquery.
Clients treat cursors as opaque, as Sentry asks them to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import current_app, request
from sqlalchemy import BigInteger, Integer, Select, literal, select, tuple_

from ..exceptions import ParseError
from ..extensions import db

UTC = dt.UTC
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
INT64 = 2**63 - 1
INT32 = 2**31 - 1
DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 100

NUMBER, DATETIME, STRING = "number", "datetime", "string"


@dataclass(frozen=True)
class Ordering:
    """A sort order: ``key`` then the unique ``id`` column, both in one direction."""

    key: Any
    id: Any
    descending: bool = True
    kind: str = DATETIME
    #: Reads the key from a row; defaults to the attribute named like the column.
    key_of: Callable[[Any], Any] | None = None

    def row_key(self, row):
        return self.key_of(row) if self.key_of else getattr(row, self.key.key)

    def boundary(self, row, is_prev: bool) -> Cursor:
        row_id = getattr(row, self.id.key)
        if self.kind == STRING:
            return Cursor(row_id, 0, is_prev)
        key = self.row_key(row)
        if self.kind == DATETIME:
            key = _datetime_to_int(key)
        return Cursor(int(key), row_id, is_prev)

    def after(self, cursor: Cursor, reverse: bool):
        """Rows strictly past the cursor's boundary, scanning forward (or backward)."""
        if self.kind == STRING:
            boundary_key = select(self.key).where(self.id == cursor.value).scalar_subquery()
            boundary = tuple_(boundary_key, literal(cursor.value, self.id.type))
        else:
            value = _int_to_datetime(cursor.value) if self.kind == DATETIME else cursor.value
            if self.kind == NUMBER and not _fits(self.key.type, cursor.value):
                raise ParseError("Invalid cursor parameter.")
            boundary = tuple_(literal(value, self.key.type), literal(cursor.offset, self.id.type))
        row = tuple_(self.key, self.id)
        return row < boundary if self.descending != reverse else row > boundary

    def order_by(self, reverse: bool):
        if self.descending != reverse:
            return (self.key.desc(), self.id.desc())
        return (self.key.asc(), self.id.asc())


@dataclass(frozen=True)
class Cursor:
    value: int
    offset: int
    is_prev: bool

    def __str__(self) -> str:
        return f"{self.value}:{self.offset}:{int(self.is_prev)}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        try:
            value, offset, is_prev = text.split(":")
            value, offset, is_prev = int(value), int(offset), int(is_prev)
        except ValueError:
            raise ParseError("Invalid cursor parameter.") from None
        if abs(value) > INT64 or not 0 <= offset <= INT64 or is_prev not in (0, 1):
            raise ParseError("Invalid cursor parameter.")
        return cls(value, offset, bool(is_prev))


@dataclass
class CursorPage:
    items: list
    prev: Cursor
    has_prev: bool
    next: Cursor
    has_next: bool
    headers: dict = field(default_factory=dict)

    def serialize(self, serialize_many: Callable[[list], list]) -> CursorPage:
        """Replace the rows by their JSON form, built for the whole page at once."""
        self.items = serialize_many(self.items)
        return self

    def link_header(self) -> str:
        return ", ".join(
            (page_link(self.prev, self.has_prev, "previous"), page_link(self.next, self.has_next, "next"))
        )


def page_link(cursor: Cursor | str, has_results: bool, rel: str) -> str:
    """One entry of Sentry's ``Link`` header: this request's URL at ``cursor``."""
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "cursor"])
    url = f"{public_origin()}{request.script_root}{request.path}?{query}&cursor={cursor}"
    results = "true" if has_results else "false"
    return f'<{url}>; rel="{rel}"; results="{results}"; cursor="{cursor}"'


def public_origin() -> str:
    """``scheme://host[:port]`` of the configured public URL (a proxy may hide the real one)."""
    parts = urlsplit(current_app.config["PUBLIC_URL"])
    return f"{parts.scheme}://{parts.netloc}"


def page_params(per_page_param: str = "per_page", max_per_page: int = MAX_PER_PAGE):
    """The request's cursor (``None`` for the first page) and page size, or a 400."""
    raw_cursor = request.args.get("cursor", "")
    cursor = Cursor.parse(raw_cursor) if raw_cursor else None
    raw = request.args.get(per_page_param)
    if raw is None or raw == "":
        return cursor, min(DEFAULT_PER_PAGE, max_per_page)
    try:
        per_page = int(raw)
    except ValueError:
        raise ParseError(f"Invalid {per_page_param} parameter.") from None
    if not 1 <= per_page <= max_per_page:
        raise ParseError(
            f"Invalid {per_page_param} value. Must be between 1 and {max_per_page}."
        )
    return cursor, per_page


def paginate(
    stmt: Select,
    ordering: Ordering,
    *,
    session=None,
    per_page_param: str = "per_page",
    max_per_page: int = MAX_PER_PAGE,
) -> CursorPage:
    """Run ``stmt`` (a select of one entity) for the page the request asks for.

    One query per page: it fetches ``per_page + 1`` rows to learn whether more exist.
    """
    session = session or db.session
    cursor, per_page = page_params(per_page_param, max_per_page)
    backwards = cursor is not None and cursor.is_prev
    if cursor is not None:
        stmt = stmt.where(ordering.after(cursor, reverse=backwards))
    stmt = stmt.order_by(None).order_by(*ordering.order_by(reverse=backwards)).limit(per_page + 1)
    rows = list(session.scalars(stmt).unique())
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
        has_prev, has_next = more, True
    else:
        has_prev, has_next = cursor is not None, more
    if rows:
        prev_cursor = ordering.boundary(rows[0], is_prev=True)
        next_cursor = ordering.boundary(rows[-1], is_prev=False)
    else:
        # Nothing here: both links point back at where the caller came from.
        anchor = cursor or Cursor(0, 0, False)
        prev_cursor = Cursor(anchor.value, anchor.offset, True)
        next_cursor = Cursor(anchor.value, anchor.offset, False)
        has_prev = has_prev and cursor is not None and not backwards
        has_next = has_next and backwards
    return CursorPage(rows, prev_cursor, has_prev, next_cursor, has_next)


def _fits(column_type, value: int) -> bool:
    """Whether a cursor value fits the sort column (PostgreSQL refuses an int4 overflow)."""
    if isinstance(column_type, Integer) and not isinstance(column_type, BigInteger):
        return -INT32 - 1 <= value <= INT32
    return True


def _datetime_to_int(value: dt.datetime) -> int:
    delta = value.astimezone(UTC) - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def _int_to_datetime(value: int) -> dt.datetime:
    try:
        return EPOCH + dt.timedelta(microseconds=value)
    except OverflowError:
        raise ParseError("Invalid cursor parameter.") from None
