"""Sentry's condition, filter and action ids that rules may use, and how each is checked."""

from __future__ import annotations

import datetime as dt

from sentryapi.api import ValidationFailed

FIRST_SEEN = "sentry.rules.conditions.first_seen_event.FirstSeenEventCondition"
REGRESSION = "sentry.rules.conditions.regression_event.RegressionEventCondition"
EVENT_FREQUENCY = "sentry.rules.conditions.event_frequency.EventFrequencyCondition"
USER_FREQUENCY = "sentry.rules.conditions.event_frequency.EventUniqueUserFrequencyCondition"
AGE = "sentry.rules.filters.age_comparison.AgeComparisonFilter"
LEVEL = "sentry.rules.filters.level.LevelFilter"
TAGGED = "sentry.rules.filters.tagged_event.TaggedEventFilter"
CATEGORY = "sentry.rules.filters.issue_category.IssueCategoryFilter"
LATEST_RELEASE = "sentry.rules.filters.latest_release.LatestReleaseFilter"
EMAIL = "sentry.mail.actions.NotifyEmailAction"
SERVICE = "sentry.rules.actions.notify_event_service.NotifyEventServiceAction"

INTERVALS = {"1m": 60, "5m": 300, "15m": 900, "1h": 3600, "1d": 86400, "1w": 604800, "30d": 2592000}
LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "fatal": 50}
#: Sentry's issue categories (``IssueCategoryFilter``'s value); only errors exist here.
CATEGORIES = {"1": "error", "2": "performance", "3": "profile", "4": "cron", "6": "feedback"}
TAG_MATCHES = ("eq", "ne", "sw", "ew", "co", "nc", "is", "ns")
AGE_UNITS = {"minute": 60, "hour": 3600, "day": 86400, "week": 604800}
TARGET_TYPES = ("IssueOwners", "Team", "Member")
FALLTHROUGH = ("ActiveMembers", "AllMembers", "NoOne")
MATCHES = ("all", "any", "none")

CONDITIONS = {FIRST_SEEN: "A new issue is created",
              REGRESSION: "The issue changes state from resolved to unresolved",
              EVENT_FREQUENCY: "The issue is seen more than {value} times in {interval}",
              USER_FREQUENCY: "The issue is seen by more than {value} users in {interval}"}
FILTERS = {AGE: "The issue is {comparison_type} than {value} {time}",
           LEVEL: "The event's level is {match} {level}",
           TAGGED: "The event's tags match {key} {match} {value}",
           CATEGORY: "The issue's category is equal to {value}",
           LATEST_RELEASE: "The event is from the latest release"}
ACTIONS = {EMAIL: "Send a notification to {targetType}",
           SERVICE: "Send a notification via {service}"}


def _number(item: dict, key: str, minimum: int = 0) -> int:
    try:
        value = int(item.get(key))
    except (TypeError, ValueError):
        raise ValidationFailed({key: [f"A whole number is required for {item['id']}."]}) from None
    if value < minimum:
        raise ValidationFailed({key: [f"{item['id']}: {key} must be at least {minimum}."]})
    return value


def _choice(item: dict, key: str, choices) -> str:
    value = str(item.get(key, ""))
    if value not in choices:
        raise ValidationFailed({key: [f"{item['id']}: {key} must be one of {', '.join(choices)}."]})
    return value


def _clean_condition(item: dict) -> dict:
    if item["id"] in (EVENT_FREQUENCY, USER_FREQUENCY):
        return {"id": item["id"], "value": _number(item, "value"),
                "interval": _choice(item, "interval", INTERVALS), "comparisonType": "count"}
    return {"id": item["id"]}


def _clean_filter(item: dict) -> dict:
    kind = item["id"]
    if kind == AGE:
        return {"id": kind, "comparison_type": _choice(item, "comparison_type", ("older", "newer")),
                "value": _number(item, "value"), "time": _choice(item, "time", AGE_UNITS)}
    if kind == LEVEL:
        levels = [str(v) for v in LEVELS.values()]
        return {"id": kind, "match": _choice(item, "match", ("eq", "gte", "lte")),
                "level": _choice(item, "level", levels)}
    if kind == TAGGED:
        key = str(item.get("key") or "").strip()
        if not key:
            raise ValidationFailed({"key": [f"{kind}: a tag key is required."]})
        match = _choice(item, "match", TAG_MATCHES)
        return {"id": kind, "key": key[:32], "match": match, "value": str(item.get("value") or "")[:200]}
    if kind == CATEGORY:
        return {"id": kind, "value": _choice(item, "value", CATEGORIES)}
    return {"id": kind}


def _clean_action(item: dict, member_ids, team_ids) -> dict:
    if item["id"] == SERVICE:
        if item.get("service") != "webhooks":
            raise ValidationFailed({"service": ["Only the service 'webhooks' is available."]})
        return {"id": SERVICE, "service": "webhooks"}
    target = _choice(item, "targetType", TARGET_TYPES)
    cleaned = {"id": EMAIL, "targetType": target,
               "fallthroughType": str(item.get("fallthroughType") or "ActiveMembers")}
    if cleaned["fallthroughType"] not in FALLTHROUGH:
        raise ValidationFailed({"fallthroughType": [f"Must be one of {', '.join(FALLTHROUGH)}."]})
    if target != "IssueOwners":
        identifier = _number(item, "targetIdentifier", 1)
        known = member_ids(identifier) if target == "Member" else team_ids(identifier)
        if not known:
            raise ValidationFailed({"targetIdentifier": [f"No {target.lower()} {identifier} in this organization."]})
        cleaned["targetIdentifier"] = identifier
    return cleaned


def clean(data: dict, member_ids, team_ids) -> dict:
    """The rule's parts with Sentry's ids checked; unknown ids are a 400 naming them."""
    known = {"conditions": CONDITIONS, "filters": FILTERS, "actions": ACTIONS}
    unknown = {part: [f"Unknown id: {item.get('id')!r}" for item in data.get(part) or []
                      if not isinstance(item, dict) or item.get("id") not in known[part]]
               for part in known}
    unknown = {part: errors for part, errors in unknown.items() if errors}
    if unknown:
        raise ValidationFailed(unknown)
    if not data.get("conditions"):
        raise ValidationFailed({"conditions": ["At least one condition is required."]})
    if not data.get("actions"):
        raise ValidationFailed({"actions": ["At least one action is required."]})
    return {"conditions": [_clean_condition(c) for c in data["conditions"]],
            "filters": [_clean_filter(f) for f in data.get("filters") or []],
            "actions": [_clean_action(a, member_ids, team_ids) for a in data["actions"]]}


def label(item: dict, templates: dict) -> str:
    try:
        return templates[item["id"]].format(**item)
    except (KeyError, IndexError):
        return templates.get(item["id"], item["id"])


def age(item: dict) -> dt.timedelta:
    return dt.timedelta(seconds=int(item["value"]) * AGE_UNITS[item["time"]])
