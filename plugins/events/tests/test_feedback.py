"""User feedback: user reports and feedback issues from envelopes and the legacy API."""

from __future__ import annotations

import uuid

from sentryapi_events.feedback.models import UserReport
from sentryapi_events.testing import envelope, exception_event

REPORTS = "/api/0/projects/{org}/{project}/user-feedback/"
REPORTS_PATH = "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/user-feedback/"


def report_item(event_id: str, comments: str = "It broke when I saved.") -> tuple[str, dict]:
    return ("user_report", {"event_id": event_id, "name": "Jane Smith",
                            "email": "jane@example.com", "comments": comments})


def feedback_item(message: str, associated: str | None = None) -> tuple[str, dict]:
    return ("feedback", {"type": "feedback", "level": "info", "platform": "javascript",
                         "contexts": {"feedback": {"message": message, "name": "Ann",
                                                   "contact_email": "ann@example.com",
                                                   "associated_event_id": associated}}})


def reports_url(p) -> str:
    return REPORTS.format(org=p.org, project=p.slug)


def issue_of(p, event_id: str) -> str:
    found = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/events/{event_id}/")
    assert found.status_code == 200, found.json
    return found.json["groupID"]


def test_a_user_report_before_its_event_links_to_the_issue(sentry_project, digest, sentry_conforms):
    p = sentry_project
    event = exception_event()
    sent = p.send(envelope(None, event_id=uuid.uuid4().hex, items=[report_item(event["event_id"])]))
    assert sent.status_code == 200, sent.json
    listed = p.api.get(reports_url(p))
    assert listed.status_code == 200
    assert sentry_conforms("GET", REPORTS_PATH, 200, listed.json) == []
    [report] = listed.json
    assert (report["eventID"], report["name"], report["email"], report["comments"]) == (
        event["event_id"], "Jane Smith", "jane@example.com", "It broke when I saved.")
    assert report["event"] == {"id": None, "eventID": event["event_id"]}
    assert report["issue"] is None and report["user"] is None

    assert p.send_event(event).status_code == 200
    digest()
    issue_id = issue_of(p, event["event_id"])
    assert p.api.get(f"/api/0/organizations/{p.org}/issues/{issue_id}/").json["userReportCount"] == 1
    [report] = p.api.get(reports_url(p)).json
    assert report["issue"]["id"] == issue_id
    assert report["event"] == {"id": event["event_id"], "eventID": event["event_id"]}
    for url in (f"/api/0/organizations/{p.org}/issues/{issue_id}/user-reports/",
                f"/api/0/issues/{issue_id}/user-reports/"):
        reports = p.api.get(url)
        assert reports.status_code == 200, reports.json
        assert [r["comments"] for r in reports.json] == ["It broke when I saved."]
        assert set(reports.json[0]) == {"id", "eventID", "name", "email", "comments",
                                        "dateCreated", "user", "event"}
        assert 'rel="next"' in reports.headers["Link"]


def test_reports_become_feedback_issues_left_out_of_other_searches(sentry_project, digest):
    p = sentry_project
    error = exception_event()
    assert p.send_event(error).status_code == 200
    assert p.send(envelope(None, items=[report_item(error["event_id"], "Old style")])).status_code == 200
    sent = p.send(envelope(None, items=[feedback_item("New widget feedback")]))
    assert sent.status_code == 200 and len(sent.json["id"]) == 32
    digest()
    issues = f"/api/0/organizations/{p.org}/issues/"
    feedback = p.api.get(issues, query_string={"query": "issue.category:feedback is:unresolved"})
    assert feedback.status_code == 200, feedback.json
    by_message = {i["metadata"]["message"]: i for i in feedback.json}
    assert set(by_message) == {"Old style", "New widget feedback"}
    widget = by_message["New widget feedback"]
    assert (widget["issueCategory"], widget["issueType"], widget["type"]) == (
        "feedback", "feedback", "generic")
    assert widget["title"] == "User Feedback"
    assert widget["metadata"]["contact_email"] == "ann@example.com"
    assert widget["metadata"]["source"] == "new_feedback_envelope"
    assert by_message["Old style"]["metadata"]["associated_event_id"] == error["event_id"]
    # The default issue list shows the error only.
    assert [i["title"] for i in p.api.get(issues).json] == ["KeyError: 'missing'"]
    # Widget feedback without an event is no user report (as in Sentry).
    assert [r["comments"] for r in p.api.get(reports_url(p)).json] == ["Old style"]


def test_feedback_naming_an_event_is_also_a_user_report(sentry_project, digest, outcomes):
    p = sentry_project
    error = exception_event()
    assert p.send_event(error).status_code == 200
    assert p.send(envelope(None, items=[feedback_item("About that crash", error["event_id"])])
                  ).status_code == 200
    digest()
    [report] = p.api.get(reports_url(p)).json
    assert (report["comments"], report["name"], report["email"]) == (
        "About that crash", "Ann", "ann@example.com")
    accepted = {k: v for k, v in outcomes().items() if k[1] == "accepted"}
    assert accepted[("feedback", "accepted", "")] == 1


def test_invalid_feedback_items_are_counted_and_dropped(sentry_project, rows, outcomes, digest):
    p = sentry_project
    sent = p.send(envelope(None, items=[("user_report", {"name": "no event id"}),
                                        ("feedback", {"contexts": {"feedback": {"message": ""}}}),
                                        ("user_report", b"{not json")]))
    assert sent.status_code == 200
    digest()  # and the outcomes' flush
    assert rows(UserReport) == 0
    invalid = {k: v for k, v in outcomes().items() if k[1] == "invalid"}
    assert invalid == {("user_report_v2", "invalid", "no_event_id"): 1,
                       ("user_report_v2", "invalid", "invalid_json"): 1,
                       ("feedback", "invalid", "missing_message"): 1}


def test_legacy_submission(sentry_project, digest, sentry_conforms):
    p = sentry_project
    event_id = uuid.uuid4().hex
    body = {"event_id": event_id, "name": "Jane", "email": "jane@example.com", "comments": "Hi"}
    made = p.api.post(reports_url(p), json=body)
    assert made.status_code == 200, made.json
    assert sentry_conforms("POST", REPORTS_PATH, 200, made.json) == []
    assert made.json["comments"] == "Hi" and made.json["eventID"] == event_id
    # Sent again within 5 minutes: it replaces the first.
    again = p.api.post(reports_url(p), json={**body, "comments": "Hi again"})
    assert again.status_code == 200 and again.json["id"] == made.json["id"]
    assert [r["comments"] for r in p.api.get(reports_url(p)).json] == ["Hi again"]
    digest()
    feedback = p.api.get(f"/api/0/organizations/{p.org}/issues/",
                         query_string={"query": "issue.category:feedback"})
    # One feedback issue, made with the first report.
    assert [i["metadata"]["message"] for i in feedback.json] == ["Hi"]


def test_legacy_submission_bad_input(sentry_project):
    p = sentry_project
    good = {"event_id": uuid.uuid4().hex, "name": "J", "email": "j@example.com", "comments": "x"}
    for bad in ({**good, "event_id": "nope"}, {**good, "comments": ""}, {"name": "J"},
                {**good, "comments": ["list"]}):
        response = p.api.post(reports_url(p), json=bad)
        assert response.status_code == 400, (bad, response.json)
        assert "detail" in response.json


def test_too_late_to_change_is_a_conflict(sentry_project, app):
    import datetime as dt

    from sqlalchemy import update

    from sentryapi.api import db

    p = sentry_project
    body = {"event_id": uuid.uuid4().hex, "name": "J", "email": "j@example.com", "comments": "x"}
    assert p.api.post(reports_url(p), json=body).status_code == 200
    with app.app_context():
        db.session.execute(update(UserReport).values(
            date_created=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=6)))
        db.session.commit()
    conflict = p.api.post(reports_url(p), json=body)
    assert conflict.status_code == 409 and "detail" in conflict.json


def reported_issue(p, digest) -> str:
    """The issue of an event sent with a user report about it."""
    event = exception_event()
    assert p.send(envelope(event, items=[report_item(event["event_id"])])).status_code == 200
    digest()
    return issue_of(p, event["event_id"])


def test_reports_of_another_organization_are_not_found(sentry_project, make_actor, digest):
    p = sentry_project
    issue_id = reported_issue(p, digest)
    stranger = make_actor("owner")
    for url in (f"/api/0/organizations/{p.org}/issues/{issue_id}/user-reports/",
                f"/api/0/organizations/{stranger.org}/issues/{issue_id}/user-reports/",
                f"/api/0/issues/{issue_id}/user-reports/", reports_url(p)):
        assert stranger.api.get(url).status_code == 404, url


def test_deleting_an_issue_deletes_its_reports(sentry_project, digest, rows):
    p = sentry_project
    issue_id = reported_issue(p, digest)
    assert rows(UserReport) == 1
    assert p.api.delete(f"/api/0/issues/{issue_id}/").status_code == 202
    assert rows(UserReport) == 0
