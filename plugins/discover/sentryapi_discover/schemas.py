"""Query parameters of the Discover endpoints (checked in the compiler, for Sentry's 400s)
and the documented response shapes."""

from __future__ import annotations

from sentryapi.api import Schema, fields


def _text(description: str):
    return fields.String(load_default=None, metadata={"description": description})


def _list(description: str):
    return fields.List(fields.String(), load_default=list, metadata={"description": description})


class RangeArgs(Schema):
    statsPeriod = _text("The range up to now: a number and a unit, `m`, `h`, `d` or `w` (e.g. `24h`).")  # noqa: N815
    start = _text("The start of the range (ISO 8601 or unix seconds); use with `end`.")
    end = _text("The end of the range (ISO 8601 or unix seconds); use with `start`.")
    project = _list("Project ids or slugs (repeat); none: every project you can reach; `-1`: all.")
    environment = _list("Environments to keep (repeat).")
    dataset = _text("`errors`, `transactions` or `discover` (both; the default).")
    query = _text("Sentry's search syntax: `level:error`, `transaction.duration:>500ms`, "
                  "`has:user`, `(a:1 OR b:2)`, wildcards `*`, `is:unresolved`, and aggregate "
                  "conditions such as `count():>10`.")


class TableArgs(RangeArgs):
    field = _list("Columns (`title`, `timestamp`, `tags[browser]`, any tag) and functions "
                  "(`count()`, `count_unique(user.id)`, `p95(transaction.duration)`, "
                  "`failure_rate()`, `epm()`...); functions group by the other fields. Default: `id`, "
                  "`title`, `project`, `timestamp`.")
    sort = _text("A selected field or function; `-` for descending.")
    per_page = fields.Integer(load_default=None, metadata={"description": "Rows per page, 1 to 100."})
    cursor = _text("The `cursor` of a `Link` header.")


class StatsArgs(TableArgs):
    yAxis = _list("Functions to chart (repeat); default `count()`.")  # noqa: N815
    interval = _text("Bucket width: `1m`, `5m`, `1h`, `1d`...; default 1h up to 14 days, else 1d.")
    topEvents = fields.Integer(load_default=None, metadata={  # noqa: N815
        "description": "Chart the first 1 to 10 rows of the `field`/`sort` table separately."})
    excludeOther = _text("`1`: no `Other` series with top events.")  # noqa: N815
    groupBy = _list("Fields to group top events by (events-timeseries).")  # noqa: N815


class FacetsArgs(RangeArgs):
    pass


class TableSchema(Schema):
    data = fields.List(fields.Dict(), metadata={"description": "One object per row, keyed by field."})
    meta = fields.Dict(metadata={"description": "`fields` (type per field), `units`, `dataset`."})


class MetaSchema(Schema):
    count = fields.Integer()


class ValidateSchema(Schema):
    valid = fields.Boolean(metadata={"description": "Every part below is valid."})
    projects = fields.List(fields.Dict(), metadata={"description": "`{valid, error}`."})
    dataset = fields.List(fields.Dict(), metadata={"description": "`{name, valid, error}`."})
    environment = fields.List(fields.Dict(), metadata={"description": "`{valid, error}` per environment."})
    field = fields.List(fields.Dict(), metadata={"description": "`{name, valid, attrType, error}` per field."})
    query = fields.Dict(metadata={"description": "`{valid, error, fields}`."})
    orderby = fields.List(fields.Dict(), metadata={"description": "`{name, valid, attrType, error}` per sort."})


class PointSchema(Schema):
    timestamp = fields.Integer(metadata={"description": "The bucket's start, unix milliseconds."})
    value = fields.Float()
    incomplete = fields.Boolean()


class SeriesSchema(Schema):
    yAxis = fields.String()  # noqa: N815
    values = fields.List(fields.Nested(PointSchema))
    groupBy = fields.List(fields.Dict(), metadata={  # noqa: N815
        "description": "`{key, value}` of each group field (top events); empty for `Other`."})
    meta = fields.Dict(metadata={"description": "`interval` (ms), `valueType`, `valueUnit`, `order`, `isOther`."})


class TimeseriesSchema(Schema):
    timeSeries = fields.List(fields.Nested(SeriesSchema))  # noqa: N815
    meta = fields.Dict(metadata={"description": "`dataset`, `start` and `end` (unix ms)."})


class StatsSchema(Schema):
    data = fields.List(fields.List(fields.Raw()), metadata={
        "description": "`[unix_ts, [{\"count\": value}]]` per interval; with several `yAxis` or "
                       "`topEvents`, one such object per axis or group (keyed by its name)."})
    start = fields.Integer()
    end = fields.Integer()
    isMetricsData = fields.Boolean()  # noqa: N815
    meta = fields.Dict()


class FacetValueSchema(Schema):
    name = fields.String()
    value = fields.String()
    count = fields.Integer()


class FacetSchema(Schema):
    key = fields.String()
    topValues = fields.List(fields.Nested(FacetValueSchema))  # noqa: N815
