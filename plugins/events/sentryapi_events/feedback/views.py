"""User reports over the API: a project's (list, and the legacy submission) and an issue's."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from flask import request
from sqlalchemy import select, tuple_

from sentryapi.api import (
    DATETIME,
    EVENT_READ,
    PROJECT_READ,
    PROJECT_WRITE,
    Ordering,
    ProjectEndpoint,
    ValidationFailed,
    db,
    paginate,
)

from ..ingest.queue import enqueue
from ..issues.serializers import iso, serialize_issues
from ..issues.views import IssueEndpoint, blp
from ..models import Event, Group
from .examples import PROJECT_USER_REPORT, USER_REPORT, USER_REPORT_CREATE
from .models import UserReport
from .schemas import ProjectUserReportSchema, UserReportCreateSchema, UserReportSchema
from .services import REPORT_EVENT, USER_REPORT_API, event_id_of, feedback_event, save_user_report

NEWEST_FIRST = Ordering(UserReport.date_created, UserReport.id, descending=True, kind=DATETIME)


def serialize_user_reports(reports: list[UserReport], *, user=None, with_issue=False) -> list[dict]:
    """A page of reports: their events (and issues) read in one query each."""
    if not reports:
        return []
    events = {(project_id, event_id): group_id for project_id, event_id, group_id in
              db.session.execute(select(Event.project_id, Event.event_id, Event.group_id).where(
                  tuple_(Event.project_id, Event.event_id).in_(
                      [(r.project_id, r.event_id) for r in reports])))}
    issues = {}
    if with_issue:
        group_ids = {gid for gid in events.values() if gid is not None}
        groups = list(db.session.scalars(select(Group).where(Group.id.in_(group_ids)))) if group_ids else []
        issues = {int(issue["id"]): issue
                  for issue in serialize_issues(groups, user=user, stats_period=None)}
    out = []
    for report in reports:
        link = (report.project_id, report.event_id)
        found = link in events
        item = {"id": str(report.id), "eventID": report.event_id, "name": report.name,
                "email": report.email, "comments": report.comments,
                "dateCreated": iso(report.date_created), "user": None,
                "event": {"id": report.event_id if found else None, "eventID": report.event_id}}
        if with_issue:
            item["issue"] = issues.get(events.get(link))
        out.append(item)
    return out


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/user-feedback/")
class ProjectUserReports(ProjectEndpoint):
    scope_map = {"GET": (*PROJECT_READ, *EVENT_READ), "POST": PROJECT_WRITE}
    public = frozenset({"GET", "POST"})

    @blp.paginated_response(ProjectUserReportSchema(many=True), example=[PROJECT_USER_REPORT])
    def get(self, organization_id_or_slug, project_id_or_slug):
        """List a project's user feedback, newest first.

        User reports: what users wrote about an event (`user_report` envelope items, the
        legacy submission below, and `feedback` items that name an event). Each shows its
        issue once the event is stored. Feedback from the widget is its own issue: search
        issues with `issue.category:feedback`.
        """
        stmt = select(UserReport).where(UserReport.project_id == self.project.id)
        return paginate(stmt, NEWEST_FIRST).serialize(
            lambda rows: serialize_user_reports(rows, user=self.user, with_issue=True))

    @blp.arguments(UserReportCreateSchema, example=USER_REPORT_CREATE)
    @blp.response(200, ProjectUserReportSchema, example=PROJECT_USER_REPORT)
    @blp.errors(409)
    def post(self, data, organization_id_or_slug, project_id_or_slug):
        """Submit user feedback about an event (Sentry's legacy form).

        Within 5 minutes a report may be sent again and replaces the first; later, or 30
        minutes after its event was stored, the answer is 409.
        """
        event_id = event_id_of(data["event_id"])
        if event_id is None:
            raise ValidationFailed({"event_id": ["Not a 32-character hexadecimal event id."]})
        project = self.project
        now = dt.datetime.now(dt.UTC)
        report, created = save_user_report(project.id, event_id, data["name"], data["email"],
                                           data["comments"], now)
        db.session.commit()
        if created:
            self.open_feedback_issue(report, now)
        return serialize_user_reports([report], user=self.user, with_issue=True)[0]

    def open_feedback_issue(self, report: UserReport, now: dt.datetime) -> None:
        """Queue the feedback issue that copies a new report (as Sentry's shim does)."""
        project = self.project
        shim_id, payload = feedback_event(
            message=report.comments, name=report.name, email=report.email,
            associated_event_id=report.event_id, source=USER_REPORT_API, when=now)
        sender = SimpleNamespace(project_id=project.id, organization_id=project.organization_id,
                                 key_id=0)
        enqueue(sender, shim_id, payload, now, request.remote_addr)


def issue_reports_select(group: Group):
    """An issue's reports: those whose event is one of the issue's (however late it came)."""
    return select(UserReport).join(Event, REPORT_EVENT).where(Event.group_id == group.id)


class IssueUserReportsBase(IssueEndpoint):
    scope_map = {"GET": EVENT_READ}

    @blp.paginated_response(UserReportSchema(many=True), example=[USER_REPORT])
    def get(self, issue_id, organization_id_or_slug=None):
        """List an issue's user feedback, newest first."""
        group = self.issue(issue_id)
        return paginate(issue_reports_select(group), NEWEST_FIRST).serialize(
            lambda rows: serialize_user_reports(rows, user=self.user))


@blp.route("/organizations/<organization_id_or_slug>/issues/<issue_id>/user-reports/")
class IssueUserReports(IssueUserReportsBase):
    public = frozenset({"GET"})


@blp.route("/issues/<issue_id>/user-reports/")
class LegacyIssueUserReports(IssueUserReportsBase):
    """``/api/0/issues/{id}/user-reports/``, as older scripts call it."""
