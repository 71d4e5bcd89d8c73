"""sentryapi plugin: issue alert rules (Sentry's ``/projects/{org}/{project}/rules/``).

Rules are evaluated where the events plugin's digest stores events, from the hooks it
fires (``events_stored``, ``issues_reopened``; see ``evaluate``) and from counters
(``counts``), never by reading events back. Actions: e-mail through the core's mail
outbox (``sentryapi.plugins.send_mail``), with the users' notification options
(``notifications``), and ``event_alert.triggered`` webhooks (Sentry's ``event.alert`` subscription) through the core's outbox. Also the
firing history (``group-history/``) and ``/organizations/{org}/alert-rules/`` (metric
alerts: an empty list until they exist). Built as a third party would build it: the core
never imports it.
"""

import os

from sentryapi.plugins import Plugin

from . import metric, notifications, views  # noqa: F401 - they register their routes
from .blueprint import blp
from .evaluate import events_stored, issue_counter_resolutions, issues_reopened
from .models import AlertRule, AlertRuleFire, AlertRuleIssue, AlertRuleVersion, NotificationOption

__all__ = ["AlertRule", "plugin"]


plugin = Plugin(
    name="alerts",
    requires=("events",),
    blueprints=(blp,),
    tags=({"name": "Alerts", "description": "Issue alert rules: triggers (new issue, regression, "
           "frequency), filters, and e-mail or `event.alert` webhook actions; notification options."},),
    scopes=("project:read", "project:write", "project:admin", "org:read", "org:write", "org:admin"),
    webhook_events=("event_alert.triggered",),  # a hook subscribes to it as event.alert
    models=(AlertRule, AlertRuleVersion, AlertRuleIssue, AlertRuleFire, NotificationOption),
    migrations=os.path.join(os.path.dirname(__file__), "migrations", "versions"),
    hooks={"events_stored": events_stored, "issues_reopened": issues_reopened,
           "issue_counter_resolutions": issue_counter_resolutions},
)

