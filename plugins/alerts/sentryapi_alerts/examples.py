"""Example bodies for the published document (checked against their schemas)."""

RULE = {
    "id": "3", "name": "New or regressed issues", "actionMatch": "any", "filterMatch": "all",
    "frequency": 30, "environment": None, "owner": None, "status": "active", "snooze": False,
    "conditions": [{"id": "sentry.rules.conditions.first_seen_event.FirstSeenEventCondition",
                    "name": "A new issue is created"},
                   {"id": "sentry.rules.conditions.regression_event.RegressionEventCondition",
                    "name": "The issue changes state from resolved to unresolved"}],
    "filters": [{"id": "sentry.rules.filters.level.LevelFilter", "match": "gte", "level": "40",
                 "name": "The event's level is gte 40"}],
    "actions": [{"id": "sentry.mail.actions.NotifyEmailAction", "targetType": "IssueOwners",
                 "fallthroughType": "ActiveMembers", "name": "Send a notification to IssueOwners"}],
    "createdBy": {"id": "1", "name": "Jane", "email": "jane@example.com"},
    "projects": ["web"], "dateCreated": "2026-12-03T10:00:00Z",
}
RULE_BODY = {k: RULE[k] for k in ("name", "actionMatch", "filterMatch", "frequency")} | {
    "conditions": [{"id": c["id"]} for c in RULE["conditions"]],
    "filters": [{"id": "sentry.rules.filters.level.LevelFilter", "match": "gte", "level": "40"}],
    "actions": [{"id": "sentry.mail.actions.NotifyEmailAction", "targetType": "IssueOwners",
                 "fallthroughType": "ActiveMembers"}],
}
GROUP_HISTORY = [{"group": {"id": "12", "shortId": "WEB-C", "title": "ZeroDivisionError: division by zero"},
                  "count": 3, "lastTriggered": "2026-12-03T10:05:00Z", "eventId": "a" * 32}]
NOTIFICATION_OPTION = {"id": "5", "type": "alerts", "scopeType": "user", "scopeIdentifier": "1",
                       "value": "never", "user_id": "1"}
