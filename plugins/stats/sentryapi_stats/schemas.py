"""Query parameters (documented here, checked in the services for Sentry's messages) and bodies."""

from __future__ import annotations

from sentryapi.api import Schema, fields

DATE_DOC = {"type": "string", "format": "date-time"}


def _text(description: str, **metadata):
    return fields.String(load_default=None, metadata={"description": description, **metadata})


def _list(description: str):
    return fields.List(fields.String(), load_default=list, metadata={"description": description})


class PeriodArgs(Schema):
    statsPeriod = _text("The range up to now: a number and a unit, `m`, `h`, `d` or `w` "  # noqa: N815
                        "(e.g. `24h`). Use it or `start` and `end`.")
    start = _text("The start of the range: ISO 8601 (UTC when no offset is given) or unix "
                  "seconds. Use with `end`.")
    end = _text("The inclusive end of the range: ISO 8601 or unix seconds. Use with `start`.")
    interval = _text("The width of each bucket, in the same format as `statsPeriod`.")
    project = _list("Project ids to count (repeat the parameter); `-1` or none: all projects.")


class UsageArgs(PeriodArgs):
    field = _list("`sum(quantity)` (items, or bytes for attachments) and/or "
                  "`sum(times_seen)` (items, also for attachments). Required.")
    groupBy = _list("Repeat to group by several: `outcome`, `category`, `reason`, "  # noqa: N815
                    "`project`.")
    category = _list("Data categories to count: `error` (with `default` and `security`), "
                     "`transaction`, `attachment`, `session`, `replay`, `profile`, "
                     "`monitor`, `span`... Needed unless grouping by category; `attachment` "
                     "cannot be mixed with other categories.")
    outcome = _list("`accepted`, `filtered`, `rate_limited`, `invalid`, `abuse`, "
                    "`client_discard`, `cardinality_limited`.")
    reason = _list("Why items were dropped (e.g. a quota's reason code); `none` for no reason.")


class ProjectStatsArgs(Schema):
    stat = _text("`received` (default: accepted, filtered and rate limited), `rejected` "
                 "(rate limited), `blacklisted` (filtered) or `generated` (accepted).")
    since = _text("A unix timestamp (seconds) where the range starts; default a day before "
                  "`until`.")
    until = _text("A unix timestamp (seconds) where the range ends; default now.")
    resolution = _text("`10s` (the last hour only), `1h` or `1d`; default: the finest that "
                       "keeps the whole range.")


class IssueCountArgs(Schema):
    statsPeriod = _text("Only issues seen in this period up to now (e.g. `24h`, `14d`).")  # noqa: N815


class UsageGroupSchema(Schema):
    by = fields.Dict(metadata={"description": "The group's value of each `groupBy` dimension."})
    totals = fields.Dict(metadata={"description": "Each field's sum over the whole range."})
    series = fields.Dict(metadata={"description": "Each field's sum per interval."})


class UsageSchema(Schema):
    start = fields.String()
    end = fields.String()
    intervals = fields.List(fields.String())
    groups = fields.List(fields.Nested(UsageGroupSchema))


#: ``[[unix_ts, count], ...]``: a bare JSON array, as Sentry answers.
PROJECT_STATS_SCHEMA = {"type": "array", "items": {
    "type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}}


class IssueCountSchema(Schema):
    total = fields.Integer()
    byLevel = fields.Dict(metadata={"description": "Issues per level."})  # noqa: N815
    byStatus = fields.Dict(metadata={"description": "Issues per status."})  # noqa: N815
