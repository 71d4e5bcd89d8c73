"""``query=`` compiled to SQL: filters on each kind of stored row, and having-clauses.

Leaves whose key is a function (``count():>10``) are having-clauses; they may only be
joined to the rest by ``AND``. Values are always bound parameters, never SQL text.
"""

from __future__ import annotations

from sentryapi_events import Group
from sqlalchemy import and_, exists, false, not_, or_, select, true

from sentryapi.api import (
    BoolOp,
    ParseError,
    SearchFilter,
    Text,
    compare,
    contains,
    leaves,
    parse_datetime,
    parse_duration,
    text_match,
)

from .fields import COLUMNS, NUMERIC, E, T, resolve
from .functions import is_function, parse_function
from .models import ERROR, Tag

#: Keys of the issue search (``/issues/?query=``), not of events: a 400 here, not a tag.
ISSUE_KEYS = {"age", "firstSeen", "lastSeen", "timesSeen", "assigned", "assigned_or_suggested",
              "bookmarks", "firstRelease", "issue.category", "issue.priority"}
STATUSES = {"unresolved": "unresolved", "resolved": "resolved", "ignored": "ignored",
            "archived": "ignored", "muted": "ignored"}


def split_having(tree):
    """``(row filter tree, [having leaves])``: top-level ``AND`` terms with functions go to
    the having side; a function inside an ``OR`` with other terms is a 400."""
    terms = tree.terms if isinstance(tree, BoolOp) and tree.op == "and" else (tree,) if tree else ()
    where, having = [], []
    for term in terms:
        found = [leaf for leaf in leaves(term) if isinstance(leaf, SearchFilter) and is_function(leaf.key)]
        if not found:
            where.append(term)
        elif isinstance(term, SearchFilter):
            having.append(term)
        else:
            raise ParseError(f"Invalid query. Aggregate conditions cannot be combined with OR: "
                             f"{found[0].token}")
    return (BoolOp("and", tuple(where)) if len(where) > 1 else where[0] if where else None), having


def where(tree, kind: int, ctx):
    """The row filter for one kind (``ctx`` has ``kinds`` and ``project_ids_of``)."""
    if tree is None:
        return true()
    if isinstance(tree, BoolOp):
        parts = [where(term, kind, ctx) for term in tree.terms]
        return and_(*parts) if tree.op == "and" else or_(*parts)
    if isinstance(tree, Text):
        table = E if kind == ERROR else T
        columns = (table.c.message, table.c.title) if kind == ERROR else (table.c.transaction,)
        return or_(*(contains(c, tree.value) for c in columns))
    condition, column = _leaf(tree, kind, ctx)
    if not tree.negated:
        return condition
    # As Sentry: !environment:prod keeps the events without an environment.
    return or_(not_(condition), column.is_(None)) if column is not None else not_(condition)


def _leaf(search: SearchFilter, kind: int, ctx):
    key = search.key
    if key == "has":
        field = resolve(search.value, ctx.kinds, what="has: field")
        column = field.expr(kind)
        if column is None:
            return false(), None
        present = column.is_not(None)
        return (and_(present, column != "") if field.type == "string" else present), None
    if key == "is":
        status = STATUSES.get(str(search.value))
        if status is None or search.operator != "=":
            raise ParseError(f"Invalid query. Unsupported is: value in: {search.token}")
        if kind != ERROR:
            return false(), None
        return E.c.group_id.in_(select(Group.id).where(
            Group.project_id.in_(ctx.project_ids), Group.status == status)), None
    if key in ISSUE_KEYS:
        raise ParseError(f"Invalid query. {key} is an issue search key, not an event field: {search.token}")
    if key in ("project", "project.name"):
        ids = ctx.project_ids_of(search.values)
        return (E if kind == ERROR else T).c.project_id.in_(ids), None
    field = resolve(key, ctx.kinds, what="search key")
    if field.tag is not None:
        table = E if kind == ERROR else T
        tag = select(Tag.id).where(Tag.project_id == table.c.project_id, Tag.event_id == table.c.event_id,
                                   Tag.kind == kind, Tag.key == field.tag, text_match(Tag.value, search))
        return exists(tag), None
    column = field.expr(kind)
    if column is None:
        return false(), None
    return value_condition(column, field.type, search), column


def value_condition(column, type_: str, search: SearchFilter):
    """``column`` compared with the filter's value(s), parsed for the field's type."""
    if type_ == "string" and not (search.key in COLUMNS and COLUMNS[search.key][0] == "integer"):
        return text_match(column, search)
    parse = _parser(type_, search)
    if search.operator == "in":
        return column.in_([parse(v) for v in search.values])
    if "*" in str(search.value):
        raise ParseError(f"Invalid query. Wildcards only apply to text in: {search.token}")
    return compare(column, search, parse(search.value))


def _parser(type_: str, search: SearchFilter):
    if type_ == "date":
        return lambda v: parse_datetime(v, search.token)
    if type_ in ("duration",):
        return lambda v: parse_duration(v, search.token)
    if type_ in NUMERIC or type_ in ("percentage", "rate"):
        def number(v):
            try:
                return float(v)
            except ValueError:
                raise ParseError(f"Invalid query. Expected a number in: {search.token}") from None
        return number
    return str


def having(leaves_, functions: dict, kinds, sql_of):
    """Having-clauses over the aggregates; a function not selected is computed for the test."""
    conditions = []
    for search in leaves_:
        function = functions.get(search.key) or parse_function(search.key, kinds)
        condition = value_condition(sql_of(function), function.type, search)
        conditions.append(not_(condition) if search.negated else condition)
    return and_(*conditions) if conditions else None
