"""Discover's endpoints: the events table, its time series (``events-stats``,
``events-timeseries``), facets, a count (``events-meta``) and query validation."""

from __future__ import annotations

import datetime as dt
import re

from flask import current_app, jsonify, request
from sentryapi_projects import Project, ProjectReach
from sentryapi_stats import date_range
from sqlalchemy import func, select

from sentryapi.api import (
    EVENT_READ,
    ORG_READ,
    Cursor,
    CursorPage,
    Endpoint,
    ParseError,
    db,
    page_link,
    page_params,
)

from . import compiler, examples, percentiles, results
from . import timeseries as ts
from .blueprint import blp
from .facets import facets
from .schemas import (
    FacetsArgs,
    FacetSchema,
    MetaSchema,
    StatsArgs,
    StatsSchema,
    TableArgs,
    TableSchema,
    TimeseriesSchema,
    ValidateSchema,
)
from .validate import validate

READ = EVENT_READ + ORG_READ
#: A project id (``-1``: all) or slug.
PROJECT_RE = re.compile(r"-1|\d{1,40}|[a-z0-9][a-z0-9_-]{0,49}")
MAX_PER_PAGE = 100


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class DiscoverEndpoint(Endpoint):
    scope_map = {"GET": READ}

    def projects(self, requested: list[str]) -> dict[int, str]:
        """``{id: slug}`` of the projects asked for (default: every project you reach)."""
        for value in requested:
            if not PROJECT_RE.fullmatch(value):
                raise ParseError(f"Invalid project: {value[:60]!r} is not a project id or slug.")
        reach = ProjectReach.of(self)
        ids = reach.requested_project_ids(requested) if requested else reach.accessible_project_ids()
        return dict(db.session.execute(select(Project.id, Project.slug).where(Project.id.in_(ids))).all())

    def query(self, args, default_period: str, default_fields=()) -> compiler.Query:
        if compiler.dialect() == "postgresql":
            # Grouping and percentiles sort their rows: in memory, not in temporary files
            # (PostgreSQL's default of 4 MB spills a week of a busy project's transactions).
            db.session.execute(select(func.set_config("work_mem", current_app.config["DISCOVER_WORK_MEM"], True)))
        start, end = date_range(args, now(), default_period)
        return compiler.parse(args, start=start, end=end, projects=self.projects(args["project"]),
                              default_fields=default_fields)


def _per_page(args) -> int:
    value = args.get("per_page")
    if value is None:
        return MAX_PER_PAGE
    if not 1 <= value <= MAX_PER_PAGE:
        raise ParseError(f"Invalid per_page value. Must be between 1 and {MAX_PER_PAGE}.")
    return value


def _link(cursor: str | None, more: bool, rel: str) -> str:
    return page_link(cursor or "0:0:0", more, rel)


@blp.route("/organizations/<organization_id_or_slug>/events/")
class OrganizationEvents(DiscoverEndpoint):
    public = frozenset({"GET"})

    @blp.doc(operationId="listOrganizationEvents")
    @blp.arguments(TableArgs, location="query")
    @blp.response(200, TableSchema, example=examples.EVENTS)
    def get(self, args, organization_id_or_slug):
        """Query Discover events in table format.

        Fields and functions over errors, transactions or both, filtered by `query` in
        Sentry's search syntax; selecting a function groups by the other fields. Pages
        follow the `Link` header's cursors.
        """
        query = self.query(args, "14d", compiler.DEFAULT_FIELDS)
        per_page = _per_page(args)
        boundary, backwards = results.decode_cursor(args["cursor"]) if args.get("cursor") else (None, False)
        if percentiles.applies(query):  # from whole days' sorted durations: the same answers
            rows, keys = percentiles.page(query, per_page + 1, boundary, backwards)
        else:
            stmt, columns = compiler.page(query, per_page + 1, boundary, backwards)
            rows, keys = db.session.execute(stmt).all(), [c.name for c, _ in columns]
        more = len(rows) > per_page
        rows = rows[:per_page]
        if backwards:
            rows.reverse()
        response = jsonify({"data": results.render(query, rows), "meta": results.meta(query)})
        response.headers["Link"] = ", ".join(_page_links(rows, keys, boundary, backwards, more))
        return response


def _page_links(rows, keys: list[str], boundary: list | None, backwards: bool, more: bool) -> tuple[str, str]:
    """The ``previous`` and ``next`` links of a page of ``rows``: keysets at its first and
    last row; ``more`` says whether rows lie beyond it in the direction it was read."""
    if not rows:
        if backwards:  # nothing before the cursor's row: the next page is the first one
            return _link("0:0:1", False, "previous"), _link("0:0:0", True, "next")
        return _link("0:0:1", False, "previous"), _link(request.args.get("cursor"), False, "next")
    first = results.encode_cursor([rows[0]._mapping[name] for name in keys], backwards=True)
    last = results.encode_cursor([rows[-1]._mapping[name] for name in keys])
    if backwards:  # the cursor's own row lies after this page
        return _link(first, more, "previous"), _link(last, True, "next")
    if boundary is None:  # the first page, as Sentry links it
        return _link("0:0:1", False, "previous"), _link(last, more, "next")
    return _link(first, True, "previous"), _link(last, more, "next")


def _series_body(query, stamps, interval: int, values: list, axis, order: int | None = None) -> dict:
    # The range is whole buckets: ``end`` is where the last one ends (stable within it).
    body = {"data": [[stamp, [{"count": value}]] for stamp, value in zip(stamps, values, strict=True)],
            "start": stamps[0], "end": stamps[-1] + interval,
            "isMetricsData": False,
            "meta": {"fields": {axis.alias: axis.type}, "units": {axis.alias: axis.unit},
                     "isMetricsData": False, "dataset": query.dataset}}
    if order is not None:
        body["order"] = order
    return body


def _top(query, args):
    """``(group fields, top value tuples)`` when ``topEvents`` is asked for, else ``None``."""
    if args.get("topEvents") is None:
        return None
    return ts.top_groups(query, args["topEvents"])


@blp.route("/organizations/<organization_id_or_slug>/events-stats/")
class OrganizationEventsStats(DiscoverEndpoint):

    @blp.arguments(StatsArgs, location="query")
    @blp.response(200, StatsSchema, example=examples.EVENTS_STATS)
    def get(self, args, organization_id_or_slug):
        """Retrieve functions of events over time.

        One series per `yAxis` (default `count()`), bucketed by event time per `interval`;
        with `topEvents`, one per top row of the `field`/`sort` table, plus `Other`.
        """
        query = self.query(args, "24h")
        axes = ts.y_axes(args["yAxis"], query.kinds)
        interval = ts.parse_interval(args.get("interval"), query.period_seconds)
        top = _top(query, args)
        if top is None:
            stamps, series = ts.compute(query, axes, interval)
            values = series.get((), {a.alias: [0] * len(stamps) for a in axes})
            if len(axes) == 1:
                return jsonify(_series_body(query, stamps, interval, values[axes[0].alias], axes[0]))
            return jsonify({a.alias: _series_body(query, stamps, interval, values[a.alias], a, i)
                            for i, a in enumerate(axes)})
        group_fields, combos = top
        stamps, series = ts.compute(query, axes, interval, group_fields, ts.matching(group_fields, combos))
        out = {}
        named = [(ts.label(query, group_fields, c), series.get(c)) for c in combos]
        if args.get("excludeOther") != "1" and combos:
            _, rest = ts.compute(query, axes, interval, (), ts.others(group_fields, combos), group_fields)
            if rest:
                named.append(("Other", rest.get(())))
        for order, (name, values) in enumerate(named):
            values = values or {a.alias: [0] * len(stamps) for a in axes}
            if len(axes) == 1:
                out[name] = _series_body(query, stamps, interval, values[axes[0].alias], axes[0], order)
            else:
                out[name] = {a.alias: _series_body(query, stamps, interval, values[a.alias], a) for a in axes}
                out[name]["order"] = order
        return jsonify(out)


@blp.route("/organizations/<organization_id_or_slug>/events-timeseries/")
class OrganizationEventsTimeseries(DiscoverEndpoint):
    public = frozenset({"GET"})

    @blp.doc(operationId="listOrganizationEventsTimeseries")
    @blp.arguments(StatsArgs, location="query")
    @blp.response(200, TimeseriesSchema, example=examples.TIMESERIES)
    def get(self, args, organization_id_or_slug):
        """Query Discover events in timeseries format.

        One time series per `yAxis` (and per top group with `topEvents` and `groupBy`),
        timestamps and `interval` in milliseconds.
        """
        if args["groupBy"]:  # the top groups' table: groupBy then the yAxis functions
            args = {**args, "field": [*args["groupBy"], *(args["yAxis"] or ["count()"])]}
        query = self.query(args, "24h")
        axes = ts.y_axes(args["yAxis"], query.kinds)
        interval = ts.parse_interval(args.get("interval"), query.period_seconds)
        top = _top(query, args)
        named: list[tuple[list | None, dict, bool]] = []
        if top is None:
            stamps, series = ts.compute(query, axes, interval)
            named.append((None, series.get(()), False))
        else:
            group_fields, combos = top
            stamps, series = ts.compute(query, axes, interval, group_fields, ts.matching(group_fields, combos))
            for combo in combos:
                by = [{"key": f.name, "value": results._value(f.name, v, query, {})}
                      for f, v in zip(group_fields, combo, strict=True)]
                named.append((by, series.get(combo), False))
            if args.get("excludeOther") != "1" and combos:
                _, rest = ts.compute(query, axes, interval, (), ts.others(group_fields, combos), group_fields)
                if rest:
                    named.append(([], rest.get(()), True))
        out = []
        for order, (by, values, other) in enumerate(named):
            for axis in axes:
                points = (values or {}).get(axis.alias) or [0] * len(stamps)
                item = {"yAxis": axis.alias, "values": [
                    {"timestamp": stamp * 1000, "value": value, "incomplete": False}
                    for stamp, value in zip(stamps, points, strict=True)],
                    "meta": {"interval": interval * 1000, "valueType": axis.type,
                             "valueUnit": axis.unit, "order": order, "isOther": other}}
                if by is not None:
                    item["groupBy"] = by
                out.append(item)
        return jsonify({"timeSeries": out, "meta": {
            "dataset": query.dataset, "start": stamps[0] * 1000, "end": (stamps[-1] + interval) * 1000}})


@blp.route("/organizations/<organization_id_or_slug>/events-meta/")
class OrganizationEventsMeta(DiscoverEndpoint):

    @blp.arguments(FacetsArgs, location="query")
    @blp.response(200, MetaSchema)
    def get(self, args, organization_id_or_slug):
        """Count the events a query matches."""
        query = self.query(args, "14d")
        source = compiler.rows(query)
        return {"count": db.session.scalar(select(func.count()).select_from(source))}


@blp.route("/organizations/<organization_id_or_slug>/events-facets/")
class OrganizationEventsFacets(DiscoverEndpoint):

    @blp.arguments(FacetsArgs, location="query")
    @blp.paginated_response(FacetSchema(many=True), example=examples.FACETS)
    def get(self, args, organization_id_or_slug):
        """List the top values of each tag among the events a query matches.

        The ten most common values of each tag (at most 100 tags), in one page.
        """
        page_params()  # per_page and cursor are checked as on every list; all fits one page
        query = self.query(args, "14d")
        edge = Cursor(0, 0, False)
        return CursorPage(facets(query), Cursor(0, 0, True), False, edge, False)


@blp.route("/organizations/<organization_id_or_slug>/events/validate/")
class OrganizationEventsValidate(DiscoverEndpoint):

    @blp.arguments(TableArgs, location="query")
    @blp.response(200, ValidateSchema, example=examples.VALIDATE)
    def get(self, args, organization_id_or_slug):
        """Check a Discover query without running it.

        Each part (`projects`, `dataset`, `environment`, `field`, `query`, `orderby`) says
        whether it is valid and, if not, why; `valid` is all of them.
        """
        return jsonify(validate(self, args, request.args.getlist("orderby")))
