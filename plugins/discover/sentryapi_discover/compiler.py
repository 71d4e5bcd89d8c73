"""One query compiler: a Discover request (fields, query, sort, range) as SQLAlchemy Core.

Three stages: the filtered rows of each stored kind (errors, transactions), with the
columns the query needs under their field names (``UNION ALL`` of both for the
``discover`` dataset); then the functions, grouped by the plain fields; then the page:
the sort, a keyset past the cursor's row, and the limit. The same SQL runs on
PostgreSQL and SQLite; every value is a bound parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import (
    Integer,
    and_,
    cast,
    extract,
    false,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from sentryapi.api import ParseError, db, parse_tree

from .fields import DATASETS, E, Field, T, resolve
from .filters import having, split_having, where
from .functions import Function, is_function, parse_function
from .models import ERROR

MAX_FIELDS = 20


@dataclass
class Query:
    """A parsed request; ``columns`` are the requested fields and functions, in order."""

    dataset: str
    kinds: tuple[int, ...]
    columns: list
    tree: object
    having: list
    start: dt.datetime
    end: dt.datetime
    project_ids: list[int]
    environments: list[str]
    sort: list[tuple[str, bool]] = field(default_factory=list)
    slugs: dict[int, str] = field(default_factory=dict)

    @property
    def functions(self) -> list[Function]:
        return [c for c in self.columns if isinstance(c, Function)]

    @property
    def plain(self) -> list[Field]:
        return [c for c in self.columns if isinstance(c, Field)]

    @property
    def period_seconds(self) -> float:
        return max((self.end - self.start).total_seconds(), 1.0)

    def project_ids_of(self, names) -> list[int]:
        wanted = {str(n) for n in names}
        return [pid for pid, slug in self.slugs.items() if slug in wanted or str(pid) in wanted]


#: The table's columns when none are asked for (Sentry answers 400; every client sends some).
DEFAULT_FIELDS = ("id", "title", "project", "timestamp")


def parse(args: dict, *, start, end, projects: dict[int, str], default_fields=()) -> Query:
    """The request's fields, query and sort, checked (400s name the culprit)."""
    dataset = args.get("dataset") or "discover"
    if dataset not in DATASETS:
        raise ParseError(f"Invalid dataset: {dataset!r}. Use errors, transactions or discover.")
    kinds = DATASETS[dataset]
    names = [n for n in args.get("field") or [] if n.strip()] or list(default_fields)
    if len(names) > MAX_FIELDS:
        raise ParseError(f"You can view up to {MAX_FIELDS} fields at a time.")
    columns = []
    for name in dict.fromkeys(names):
        columns.append(parse_function(name, kinds) if is_function(name) else resolve(name, kinds))
    tree, having_leaves = split_having(parse_tree(args.get("query")))
    query = Query(dataset, kinds, columns, tree, having_leaves, start, end, sorted(projects),
                  list(args.get("environment") or []), slugs=projects)
    aliases = {c.alias if isinstance(c, Function) else c.name for c in columns}
    for item in [s.strip() for s in (args.get("sort") or "").split(",") if s.strip()]:
        name = item[1:] if item.startswith("-") else item
        if name not in aliases:
            raise ParseError(f"Invalid sort: {name!r} must be one of the selected fields.")
        query.sort.append((name, item.startswith("-")))
    where_rows(query, ERROR)  # checks the filters now: a bad one is a 400 before any SQL
    return query


def _needed(query: Query, extra=()) -> dict[str, Field]:
    needed = {"timestamp": resolve("timestamp", (ERROR,))}
    for column in query.columns:
        if isinstance(column, Field):
            needed[column.name] = column
        elif column.argument is not None:
            needed[column.argument.name] = column.argument
        if isinstance(column, Function) and column.name == "failure_rate":
            needed["transaction.status"] = Field("transaction.status", "string")
    for name in extra:
        needed.setdefault(name, resolve(name, query.kinds))
    return needed


def where_rows(query: Query, kind: int):
    """The filters of one kind's rows: projects, range, environments and ``query``."""
    table = E if kind == ERROR else T
    conditions = [table.c.project_id.in_(query.project_ids), table.c.timestamp >= query.start,
                  table.c.timestamp < query.end, where(query.tree, kind, query)]
    if query.environments:
        conditions.append(table.c.environment.in_(query.environments))
    return and_(*conditions)


def rows(query: Query, extra=(), bucket: int | None = None):
    """Stage one: the filtered rows of each kind, columns named after their fields."""
    needed = _needed(query, extra)
    selects = []
    for kind in query.kinds:
        table = E if kind == ERROR else T
        columns = []
        for name, f in needed.items():
            expr = f.expr(kind)
            if expr is None:
                other = next((f.expr(k) for k in query.kinds if f.expr(k) is not None), None)
                expr = cast(null(), other.type) if other is not None else null()
            columns.append(expr.label(name))
        columns += [table.c.id.label("_rid"), literal(kind).label("_kind")]
        if bucket:
            columns.append(bucket_expr(table.c.timestamp, bucket).label("_bucket"))
        selects.append(select(*columns).where(where_rows(query, kind)))
    if not query.project_ids:
        selects = [s.where(false()) for s in selects]
    return (selects[0] if len(selects) == 1 else union_all(*selects)).subquery("rows")


def bucket_expr(timestamp, seconds: int):
    """The start (unix seconds) of the ``seconds``-wide bucket holding ``timestamp``."""
    if db.session.get_bind().dialect.name == "postgresql":
        epoch = cast(func.floor(extract("epoch", timestamp)), Integer)
    else:
        epoch = cast(func.strftime("%s", timestamp), Integer)
    return epoch - epoch % seconds


def dialect() -> str:
    return db.session.get_bind().dialect.name


def table(query: Query, extra_where=None):
    """Stage two: the result columns (functions grouped by the plain fields) as a subquery,
    plus the tie-breaker columns that make each row's position unique."""
    source = rows(query)
    if extra_where is not None:
        source = select(source).where(extra_where(source)).subquery("kept")
    plain = [source.c[f.name].label(f.name) for f in query.plain]
    if not query.functions:
        stmt = select(*plain, source.c["_kind"], source.c["_rid"])
        ties = ["_kind", "_rid"]
    else:
        sql = {f.alias: f.sql(source, query.period_seconds, dialect()) for f in query.functions}
        stmt = select(*plain, *(expr.label(alias) for alias, expr in sql.items()))
        if query.plain:
            stmt = stmt.group_by(*(source.c[f.name] for f in query.plain))
        condition = having(query.having, {f.alias: f for f in query.functions}, query.kinds,
                           lambda f: sql[f.alias] if f.alias in sql else f.sql(source, query.period_seconds, dialect()))
        if condition is not None:
            stmt = stmt.having(condition)
        ties = [f.name for f in query.plain]
    if query.having and not query.functions:
        raise ParseError("Invalid query. Aggregate conditions need a function among the fields.")
    return stmt.subquery("result"), ties


def order(query: Query, result, ties: list[str]) -> list[tuple[object, bool]]:
    """``(column, descending)`` of the sort then the tie-breakers (default: newest first)."""
    keys = [(result.c[name], desc) for name, desc in query.sort]
    if not keys:
        if query.functions:
            keys = [(result.c[query.functions[0].alias], True)]
        elif "timestamp" in result.c:
            keys = [(result.c["timestamp"], True)]
    used = {c.name for c, _ in keys}
    # Groups tie alphabetically; rows follow the sort's direction (newest first by default).
    tie_descending = not query.functions and (keys[0][1] if keys else True)
    keys += [(result.c[name], tie_descending) for name in ties if name not in used]
    return keys


def past(keys, boundary: list, backwards: bool = False):
    """Rows strictly after ``boundary`` (one value per key) in ``keys`` order, nulls last;
    ``backwards``: strictly before it (after it in the reversed order, where nulls come first)."""
    alternatives, equal = [], []
    for (column, descending), value in zip(keys, boundary, strict=True):
        if value is None:
            beyond = column.is_not(None) if backwards else None
        else:
            beyond = column < value if descending != backwards else column > value
            if not backwards:
                beyond = or_(beyond, column.is_(None))
        if beyond is not None:
            alternatives.append(and_(*equal, beyond))
        equal.append(column.is_(None) if value is None else column == value)
    return or_(*alternatives) if alternatives else false()


def page(query: Query, limit: int, boundary: list | None = None, backwards: bool = False):
    """Stage three: one page, and the keys that order it. ``backwards`` (a previous page's
    cursor): the rows before ``boundary``, nearest first."""
    result, ties = table(query)
    keys = order(query, result, ties)
    stmt = select(result)
    if boundary is not None:
        if len(boundary) != len(keys):
            raise ParseError("Invalid cursor parameter.")
        stmt = stmt.where(past(keys, boundary, backwards))
    if backwards:
        ordering = [(c.asc() if d else c.desc()).nulls_first() for c, d in keys]
    else:
        ordering = [(c.desc() if d else c.asc()).nulls_last() for c, d in keys]
    return stmt.order_by(*ordering).limit(limit), keys
