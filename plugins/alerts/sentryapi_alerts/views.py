"""Endpoints: a project's issue alert rules (Sentry's five operations) and their firing history."""

from __future__ import annotations

from flask import Response
from sentryapi_teams import Team
from sqlalchemy import select

from sentryapi.api import (
    NUMBER,
    Ordering,
    OrganizationMember,
    ProjectEndpoint,
    ProjectPermission,
    User,
    db,
    get_or_404,
    paginate,
    parse_id,
)

from . import examples, registry
from .blueprint import blp
from .cache import changed
from .models import ACTIVE, AlertRule
from .schemas import GroupHistorySchema, HistoryArgs, RuleSchema, RuleWriteSchema

RULES = "/projects/<organization_id_or_slug>/<project_id_or_slug>/rules/"
OLDEST_FIRST = Ordering(AlertRule.id, AlertRule.id, descending=False, kind=NUMBER)


def serialize_rules(rules, project_slugs: dict[int, str]) -> list[dict]:
    creators = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({r.created_by_id for r in rules if r.created_by_id})))}

    def named(items, templates):
        return [{**item, "name": registry.label(item, templates)} for item in items]

    out = []
    for rule in rules:
        creator = creators.get(rule.created_by_id)
        out.append({
            "id": rule.id, "name": rule.name, "actionMatch": rule.action_match,
            "filterMatch": rule.filter_match, "frequency": rule.frequency,
            "environment": rule.environment, "owner": rule.owner, "status": rule.status, "snooze": False,
            "conditions": named(rule.conditions, registry.CONDITIONS),
            "filters": named(rule.filters, registry.FILTERS),
            "actions": named(rule.actions, registry.ACTIONS),
            "createdBy": {"id": creator.id, "name": creator.name or creator.email, "email": creator.email}
            if creator else None,
            "projects": [project_slugs[rule.project_id]], "dateCreated": rule.date_created,
        })
    return out


class RuleEndpoint(ProjectEndpoint):
    scope_map = ProjectPermission

    def rules(self):
        return select(AlertRule).where(AlertRule.project_id == self.project.id, AlertRule.status == ACTIVE)

    def get_rule(self, rule_id) -> AlertRule:
        return get_or_404(self.rules().where(AlertRule.id == parse_id(rule_id)))

    def render(self, rule) -> dict:
        return serialize_rules([rule], {self.project.id: self.project.slug})[0]

    def write(self, rule: AlertRule, data: dict) -> None:
        organization_id = self.organization.id

        def member_ids(user_id):
            return db.session.scalar(select(OrganizationMember.id).where(
                OrganizationMember.organization_id == organization_id, OrganizationMember.user_id == user_id))

        def team_ids(team_id):
            return db.session.scalar(select(Team.id).where(Team.organization_id == organization_id,
                                                           Team.id == team_id))

        parts = registry.clean(data, member_ids, team_ids)
        rule.name, rule.frequency = data["name"], data["frequency"]
        rule.action_match, rule.filter_match = data["actionMatch"], data.get("filterMatch") or "all"
        rule.environment, rule.owner = data.get("environment") or None, data.get("owner") or None
        rule.conditions, rule.filters, rule.actions = parts["conditions"], parts["filters"], parts["actions"]
        changed()


@blp.route(RULES)
class RuleIndex(RuleEndpoint):
    public = frozenset({"GET", "POST"})

    @blp.doc(operationId="listAProjectsIssueAlertRules")
    @blp.paginated_response(RuleSchema(many=True), example=[examples.RULE])
    def get(self, organization_id_or_slug, project_id_or_slug):
        """List a project's issue alert rules."""
        slugs = {self.project.id: self.project.slug}
        return paginate(self.rules(), OLDEST_FIRST).serialize(lambda rows: serialize_rules(rows, slugs))

    @blp.doc(operationId="createAnIssueAlertRuleForAProject")
    @blp.arguments(RuleWriteSchema, example=examples.RULE_BODY)
    @blp.response(201, RuleSchema, example=examples.RULE)
    def post(self, data, organization_id_or_slug, project_id_or_slug):
        """Create an issue alert rule for a project.

        `conditions` (triggers), `filters` and `actions` use Sentry's ids; an unknown id is a
        400 naming it. Each rule notifies at most once per `frequency` minutes per issue.
        """
        rule = AlertRule(project_id=self.project.id, created_by_id=self.user.id if self.user else None)
        self.write(rule, data)
        db.session.add(rule)
        db.session.commit()
        return self.render(rule)


@blp.route(RULES + "<rule_id>/")
class RuleDetails(RuleEndpoint):
    public = frozenset({"GET", "PUT", "DELETE"})

    @blp.doc(operationId="retrieveAnIssueAlertRuleForAProject")
    @blp.response(200, RuleSchema, example=examples.RULE)
    def get(self, organization_id_or_slug, project_id_or_slug, rule_id):
        """Retrieve an issue alert rule."""
        return self.render(self.get_rule(rule_id))

    @blp.doc(operationId="updateAnIssueAlertRule")
    @blp.arguments(RuleWriteSchema, example=examples.RULE_BODY)
    @blp.response(200, RuleSchema, example=examples.RULE)
    def put(self, data, organization_id_or_slug, project_id_or_slug, rule_id):
        """Update an issue alert rule (the body replaces the whole rule, as in Sentry)."""
        rule = self.get_rule(rule_id)
        self.write(rule, data)
        db.session.commit()
        return self.render(rule)

    @blp.doc(operationId="deleteAnIssueAlertRule")
    @blp.response(202)
    def delete(self, organization_id_or_slug, project_id_or_slug, rule_id):
        """Delete an issue alert rule."""
        db.session.delete(self.get_rule(rule_id))
        changed()
        db.session.commit()
        return Response(status=202)  # accepted, no body (Sentry's answer)


@blp.route(RULES + "<rule_id>/group-history/")
class RuleGroupHistory(RuleEndpoint):
    public = frozenset({"GET"})

    @blp.doc(operationId="retrieveGroupFiringHistoryForAnIssueAlert")
    @blp.arguments(HistoryArgs, location="query")
    @blp.paginated_response(GroupHistorySchema(many=True), example=examples.GROUP_HISTORY)
    def get(self, args, organization_id_or_slug, project_id_or_slug, rule_id):
        """List the issues a rule fired for, with how often and when last.

        `start` and `end` bound the period (default: the last 14 days).
        """
        from .history import group_history

        rule = self.get_rule(rule_id)
        return group_history(rule, args.get("start"), args.get("end"))
