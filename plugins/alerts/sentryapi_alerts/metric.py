"""``/organizations/{org}/alert-rules/``: metric alerts do not exist on this server yet; the
list is empty and creating one is a documented 400 (issue alert rules are under ``/rules/``)."""

from __future__ import annotations

from sqlalchemy import false, select

from sentryapi.api import ORG_READ, ORG_WRITE, Endpoint, ValidationFailed, paginate

from .blueprint import blp
from .models import AlertRule
from .schemas import MetricAlertRuleSchema
from .views import OLDEST_FIRST

NOT_AVAILABLE = ("Metric alerts are not available on this server; use issue alert rules "
                 "(/api/0/projects/{organization}/{project}/rules/).")


@blp.route("/organizations/<organization_id_or_slug>/alert-rules/")
class MetricAlertRuleIndex(Endpoint):
    scope_map = {"GET": ORG_READ, "POST": ORG_WRITE}
    public = frozenset({"GET", "POST"})
    #: Always a 400 (the mass-assignment test has nothing to check there).
    refused = {"POST": "metric alerts do not exist on this server yet"}

    @blp.doc(operationId="listAnOrganizationsMetricAlertRules")
    @blp.paginated_response(MetricAlertRuleSchema(many=True), example=[])
    def get(self, organization_id_or_slug):
        """List an organization's metric alert rules (always empty: metric alerts do not exist here)."""
        return paginate(select(AlertRule).where(false()), OLDEST_FIRST)

    @blp.doc(operationId="createAMetricAlertRuleForAnOrganization")
    @blp.errors(400)
    @blp.response(201, MetricAlertRuleSchema, example={"id": "1", "name": "p95 of checkout"},
                  description="Not answered until metric alerts exist: always a 400 now.")
    def post(self, organization_id_or_slug):
        """Create a metric alert rule: refused with a 400 until metric alerts exist."""
        raise ValidationFailed({"non_field_errors": [NOT_AVAILABLE]})
