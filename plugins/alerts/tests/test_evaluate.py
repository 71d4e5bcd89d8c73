"""Rules evaluated in the digest: e-mail to a real SMTP server, webhooks, frequency, history."""

import datetime as dt
import json

from sentryapi_alerts.evaluate import claim, tag_matches
from sentryapi_alerts.models import AlertRule, AlertRuleFire
from sentryapi_alerts.registry import (
    AGE,
    CATEGORY,
    EMAIL,
    EVENT_FREQUENCY,
    FIRST_SEEN,
    LATEST_RELEASE,
    LEVEL,
    REGRESSION,
    SERVICE,
    TAGGED,
    USER_FREQUENCY,
)
from sentryapi_alerts.testing import rule_body
from sqlalchemy import func, select

from sentryapi.api import db
from sentryapi.webhooks.receiver import Receiver, verify


def _rule(alerting, **body):
    made = alerting.api.post(alerting.rules_url, json=rule_body(**body))
    assert made.status_code == 201, made.json
    return made.json


def _fires(alerting) -> int:
    with alerting.app.app_context():
        return db.session.scalar(select(func.count()).select_from(AlertRuleFire))


def _issues(alerting):
    return alerting.api.get(f"/api/0/organizations/{alerting.org}/issues/?query=").json


def test_a_new_issue_emails_the_member_with_its_facts(alerting, mailbox):
    rule = _rule(alerting, actions=[{"id": EMAIL, "targetType": "Member",
                                     "targetIdentifier": alerting.owner.user.id}])
    alerting.send(exc_type="KeyError", value="'user_id'")
    alerting.digest()
    [message] = wait_for_mail(alerting, mailbox)
    assert message["To"] == alerting.owner.user.email
    assert "KeyError" in message["Subject"] and "[web]" in message["Subject"]
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    [issue] = _issues(alerting)
    link = f"http://testserver.example/organizations/{alerting.org}/issues/{issue['id']}/"
    assert link in plain and link in html
    assert "jobs.py in boom at line 12" in plain and "jobs.py in boom at line 12" in html
    assert "Events: 1" in plain and "First seen:" in plain and "Last seen:" in plain
    assert "Culprit:" in plain
    # the same issue again: not new, no second e-mail
    alerting.send(exc_type="KeyError", value="'user_id'")
    alerting.digest()
    history = alerting.api.get(f"{alerting.rules_url}{rule['id']}/group-history/")
    assert history.status_code == 200
    assert [(h["group"]["id"], h["count"]) for h in history.json] == [(issue["id"], 1)]
    assert len(mailbox.messages) == 1


def test_issue_owners_fall_through_to_active_members_minus_opt_outs(alerting, mailbox, make_actor):
    from sentryapi.testing import ApiClient

    member = make_actor("member", organization=alerting.owner.organization)
    quiet = make_actor("member", organization=alerting.owner.organization)
    ApiClient(alerting.app.test_client(), quiet.token).put(
        "/api/0/users/me/notification-options/",
        json={"type": "alerts", "scopeType": "project", "scopeIdentifier": str(alerting.project_id), "value": "never"})
    _rule(alerting)  # IssueOwners, fallthrough ActiveMembers
    alerting.send()
    alerting.digest()
    wait_for_mail(alerting, mailbox, 2)
    assert sorted(m["To"] for m in mailbox.messages) == sorted([alerting.owner.user.email, member.user.email])


def wait_for_mail(alerting, mailbox, count: int = 1) -> list:
    """The e-mails, sent at once; one whose attempt failed on the loaded machine (the SMTP
    server slow to answer) is pending in the outbox: the retry sweep sends it. A lost
    e-mail still fails."""
    try:
        return mailbox.wait(count, timeout=10)
    except AssertionError:
        import datetime as dt

        from sentryapi.mail.delivery import deliver_due

        with alerting.app.app_context():
            deliver_due(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
        return mailbox.wait(count)


def test_a_regression_fires_and_a_resolve_does_not(alerting, mailbox):
    _rule(alerting, conditions=[{"id": REGRESSION}],
          actions=[{"id": EMAIL, "targetType": "Member", "targetIdentifier": alerting.owner.user.id}])
    alerting.send()
    alerting.digest()
    [issue] = _issues(alerting)
    resolved = alerting.api.put(f"/api/0/organizations/{alerting.org}/issues/{issue['id']}/",
                                json={"status": "resolved"})
    assert resolved.status_code == 200
    alerting.api.put(f"/api/0/organizations/{alerting.org}/issues/{issue['id']}/", json={"status": "unresolved"})
    assert _fires(alerting) == 0  # unresolving by hand is no regression
    alerting.api.put(f"/api/0/organizations/{alerting.org}/issues/{issue['id']}/", json={"status": "resolved"})
    alerting.send()
    alerting.digest()
    [message] = wait_for_mail(alerting, mailbox)
    assert "KeyError" in message["Subject"]
    assert _fires(alerting) == 1


def test_frequency_conditions_read_counters_and_fire_once_per_frequency(alerting, mailbox):
    _rule(alerting, frequency=5, conditions=[{"id": EVENT_FREQUENCY, "value": 2, "interval": "1m"}],
          actions=[{"id": EMAIL, "targetType": "Member", "targetIdentifier": alerting.owner.user.id}])
    _rule(alerting, frequency=5, conditions=[{"id": EVENT_FREQUENCY, "value": 2, "interval": "1h"}],
          actions=[{"id": SERVICE, "service": "webhooks"}])
    for _ in range(2):
        alerting.send()
    alerting.digest()
    assert _fires(alerting) == 0  # 2 is not more than 2
    alerting.send()
    alerting.digest()
    assert _fires(alerting) == 2
    wait_for_mail(alerting, mailbox)
    for _ in range(3):
        alerting.send()
        alerting.digest()
    assert _fires(alerting) == 2  # within the frequency


def test_user_frequency_counts_users_in_the_interval(alerting, mailbox):
    _rule(alerting, conditions=[{"id": USER_FREQUENCY, "value": 1, "interval": "1h"}],
          actions=[{"id": EMAIL, "targetType": "Member", "targetIdentifier": alerting.owner.user.id}])
    alerting.send(user={"id": "a"})
    alerting.send(user={"id": "a"})
    alerting.digest()
    assert _fires(alerting) == 0
    alerting.send(user={"id": "b"})
    alerting.digest()
    assert _fires(alerting) == 1


def test_filters_and_environment(alerting, mailbox):
    _rule(alerting, environment="production",
          filters=[{"id": LEVEL, "match": "gte", "level": "50"}],
          actions=[{"id": EMAIL, "targetType": "Member", "targetIdentifier": alerting.owner.user.id}])
    alerting.send(exc_type="A", environment="staging", level="fatal")
    alerting.send(exc_type="B", environment="production", level="error")
    alerting.send(exc_type="C", environment="production", level="fatal")
    alerting.digest()
    [message] = wait_for_mail(alerting, mailbox)
    assert message["Subject"].split(": ", 1)[1].startswith("C")
    assert _fires(alerting) == 1


def test_age_category_latest_release_and_none(alerting, mailbox):
    """Each rule fires for a new issue only when its filters say so: one per shape."""
    hook = [{"id": SERVICE, "service": "webhooks"}]
    names = {
        "young error in the latest release": _rule(alerting, conditions=[{"id": FIRST_SEEN}], actions=hook, filters=[
            {"id": AGE, "comparison_type": "newer", "value": 1, "time": "hour"},
            {"id": CATEGORY, "value": "1"}, {"id": LATEST_RELEASE}])["id"],
        "old issues": _rule(alerting, conditions=[{"id": FIRST_SEEN}], actions=hook, filters=[
            {"id": AGE, "comparison_type": "older", "value": 1, "time": "hour"}])["id"],
        "performance issues": _rule(alerting, conditions=[{"id": FIRST_SEEN}], actions=hook,
                                    filters=[{"id": CATEGORY, "value": "2"}])["id"],
        "not a regression": _rule(alerting, actionMatch="none", conditions=[{"id": REGRESSION}], actions=hook,
                                  filters=[{"id": LATEST_RELEASE}], filterMatch="none")["id"],
    }
    alerting.send(release="app@1.0")
    alerting.digest()
    with alerting.app.app_context():
        fired = set(db.session.scalars(select(AlertRuleFire.rule_id)))
    assert fired == {int(names["young error in the latest release"])}


def test_tag_matching():
    tags = [["browser", "Chrome 120"], ["os", "Linux"]]
    assert tag_matches({"key": "browser", "match": "sw", "value": "Chrome"}, tags)
    assert tag_matches({"key": "browser", "match": "co", "value": "120"}, tags)
    assert not tag_matches({"key": "browser", "match": "eq", "value": "Chrome"}, tags)
    assert tag_matches({"key": "browser", "match": "ne", "value": "Chrome"}, tags)
    assert tag_matches({"key": "os", "match": "is", "value": ""}, tags)
    assert tag_matches({"key": "device", "match": "ns", "value": ""}, tags)
    assert not tag_matches({"key": "os", "match": "nc", "value": "Lin"}, tags)
    assert tag_matches({"key": "os", "match": "ew", "value": "nux"}, tags)


def test_a_tagged_filter_keeps_other_events_out(alerting, mailbox):
    _rule(alerting, filters=[{"id": TAGGED, "key": "environment", "match": "eq", "value": "prod"}],
          actions=[{"id": EMAIL, "targetType": "Member", "targetIdentifier": alerting.owner.user.id}])
    alerting.send(exc_type="Dev", environment="dev")
    alerting.digest()
    assert _fires(alerting) == 0
    alerting.send(exc_type="Prod", environment="prod")
    alerting.digest()
    assert _fires(alerting) == 1


def test_the_webhook_action_delivers_event_alert_signed(alerting, app, monkeypatch):
    # The shared app's delivery thread works on the same outbox: it may send it too.
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    receiver = Receiver()
    try:
        hooks = f"/api/0/projects/{alerting.org}/{alerting.project}/hooks/"
        hook = alerting.api.post(hooks, json={"url": receiver.url, "events": ["event.alert"]})
        assert hook.status_code == 201, hook.json
        _rule(alerting, name="Webhook rule", actions=[{"id": SERVICE, "service": "webhooks"}])
        alerting.send(exc_type="HookError")
        alerting.digest()
        [(headers, body)] = receiver.wait_for(1)
        payload = json.loads(body)
        assert payload["action"] == "triggered"
        assert headers["sentry-hook-resource"] == "event_alert"
        assert verify(hook.json["secret"], headers, body)
        assert payload["data"]["triggered_rule"] == "Webhook rule"
        assert payload["data"]["event"]["title"].startswith("HookError")
    finally:
        receiver.stop()


def test_a_claim_holds_for_the_frequency_across_sessions(alerting, make_app):
    rule = _rule(alerting, frequency=10)
    alerting.send()
    alerting.digest()
    [issue] = _issues(alerting)
    other = make_app()
    now = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    with other.app_context():
        row = db.session.get(AlertRule, int(rule["id"]))
        assert claim(row, int(issue["id"]), now) is False  # fired by the digest a moment ago
        db.session.commit()
        assert claim(row, int(issue["id"]), now + dt.timedelta(minutes=10)) is True
        db.session.commit()
    with alerting.app.app_context():
        row = db.session.get(AlertRule, int(rule["id"]))
        assert claim(row, int(issue["id"]), now + dt.timedelta(minutes=11)) is False
        db.session.rollback()
