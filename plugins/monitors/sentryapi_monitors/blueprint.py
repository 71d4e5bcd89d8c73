"""The plugin's blueprint: its routes and its OpenAPI tag ("Crons", as Sentry's)."""

from sentryapi.api import Blueprint, permissions

blp = Blueprint("Crons", __name__, description=(
    "Cron monitors: jobs that check in on a schedule; a missed, failed or overlong run "
    "becomes an issue."))

#: Sentry's ``OrganizationAlertRulePermission`` (the organization's list) and
#: ``ProjectAlertRulePermission`` (one monitor, through its project).
ORGANIZATION_SCOPES = permissions.OrganizationAlertRulePermission
MONITOR_SCOPES = permissions.ProjectAlertRulePermission
