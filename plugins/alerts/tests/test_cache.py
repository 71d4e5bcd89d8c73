"""What each app remembers of rules and firings: a change on another host counts from the
next batch, a firing elsewhere holds a rule back here too, and a batch whose issues keep
matching costs one statement more than a batch without rules."""

import contextlib
import datetime as dt
import threading

from sentryapi_alerts import cache
from sentryapi_alerts.models import AlertRuleFire
from sentryapi_alerts.registry import EMAIL, EVENT_FREQUENCY, SERVICE
from sentryapi_alerts.testing import rule_body
from sentryapi_events import GroupStat
from sentryapi_events.retention import drop_fine_buckets
from sentryapi_events.testing import digest_now, envelope, exception_event
from sqlalchemy import event, func, select

from sentryapi.api import db
from sentryapi.testing import ApiClient


def _fires(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AlertRuleFire))


@contextlib.contextmanager
def statements_here(app):
    """The statements this thread runs (not those of the app's mail and webhook threads)."""
    here, mine = threading.get_ident(), []

    def record(conn, cursor, statement, *args):
        if threading.get_ident() == here:
            mine.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield mine
    finally:
        event.remove(engine, "before_cursor_execute", record)


def digest_one_on(alerting, app) -> None:
    """Send an event until ``app`` is the one that digests it (the shared test app's digest
    thread, on the same database, may take a batch first)."""
    for _ in range(10):
        alerting.send()
        if digest_now(app):
            return
    raise AssertionError("another app digested every batch")


def _other_host(alerting, make_app):
    """Another app on the same database (its own memory, as another host's)."""
    app = make_app(EVENTS_DIGEST="off", SMTP_HOST="", WEBHOOK_ALLOW_PRIVATE=True)
    return app, ApiClient(app.test_client(), alerting.owner.token)


def test_a_change_on_another_host_counts_from_the_next_batch(alerting, make_app):
    alerting.send(exc_type="Before")
    alerting.digest()  # this app now remembers that the project has no rules
    other, api = _other_host(alerting, make_app)
    made = api.post(alerting.rules_url, json=rule_body(actions=[{"id": SERVICE, "service": "webhooks"}]))
    assert made.status_code == 201, made.json
    alerting.send(exc_type="After")
    alerting.digest()
    assert _fires(alerting.app) == 1  # no waiting for an expiry
    assert api.put(f"{alerting.rules_url}{made.json['id']}/", json=rule_body(
        environment="nowhere", actions=[{"id": SERVICE, "service": "webhooks"}])).status_code == 200
    alerting.send(exc_type="Elsewhere")
    alerting.digest()
    assert _fires(alerting.app) == 1
    assert api.delete(f"{alerting.rules_url}{made.json['id']}/").status_code == 202
    with alerting.app.app_context():
        assert cache.rules_for([alerting.project_id]) == []


def test_a_firing_on_another_host_holds_the_rule_back_here(alerting, make_app):
    rule = alerting.api.post(alerting.rules_url, json=rule_body(
        frequency=5, conditions=[{"id": EVENT_FREQUENCY, "value": 1, "interval": "1h"}],
        actions=[{"id": SERVICE, "service": "webhooks"}])).json
    other, _ = _other_host(alerting, make_app)
    alerting.send()
    alerting.send()
    alerting.digest()
    assert _fires(alerting.app) == 1
    digest_one_on(alerting, other)  # matches too, and its claim loses: the frequency holds
    assert _fires(alerting.app) == 1
    with other.app_context():
        [(pair, until)] = cache.held().items()
    issue_id = pair[1]
    assert pair == (int(rule["id"]), issue_id)
    assert dt.timedelta(minutes=4) < until - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=5)
    with statements_here(other) as statements:
        digest_one_on(alerting, other)
    assert not [s for s in statements if "alerts_rule_issue" in s]  # held: no read, no claim
    assert _fires(alerting.app) == 1


def test_an_issue_that_keeps_matching_costs_one_statement_more(alerting, create_project):
    """The figure the benchmark reports, without its noise: 10 rules, issues already alerted on."""
    plain = create_project(alerting.owner, name="Plain", slug="plain")
    plain_key = alerting.api.get(f"/api/0/projects/{alerting.org}/plain/keys/").json[0]["public"]
    member = {"id": EMAIL, "targetType": "Member", "targetIdentifier": alerting.owner.user.id}
    for value, interval in ((0, "1m"), (0, "1h"), (1000, "1h"), (0, "5m"), (1000, "1d")):
        for action in (member, {"id": SERVICE, "service": "webhooks"}):
            made = alerting.api.post(alerting.rules_url, json=rule_body(
                conditions=[{"id": EVENT_FREQUENCY, "value": value, "interval": interval}], actions=[action]))
            assert made.status_code == 201, made.json

    def batch(project_id, key, issues=3):
        for issue in range(issues):
            for _ in range(2):
                sent = alerting.app.test_client().post(
                    f"/api/{project_id}/envelope/", data=envelope(exception_event(exc_type=f"Repeated{issue}")),
                    headers={"X-Sentry-Auth": f"Sentry sentry_key={key}, sentry_version=7"})
                assert sent.status_code == 200, sent.json
        with statements_here(alerting.app) as statements:
            taken = alerting.digest()
        return taken, len(statements)

    ruled = (alerting.project_id, alerting.public_key)
    batch(int(plain["id"]), plain_key)
    batch(*ruled)
    assert _fires(alerting.app) == 3 * 6  # the three issues, by the rules with a reachable threshold
    for _ in range(5):  # until this app digested both batches whole (the shared app's thread may take one)
        (plain_taken, plain_statements), (ruled_taken, ruled_statements) = batch(int(plain["id"]), plain_key), batch(*ruled)
        if plain_taken == ruled_taken == 6:
            break
    assert ruled_statements == plain_statements + 1  # the issues' facts; no claim, no write
    assert _fires(alerting.app) == 3 * 6
    with alerting.app.app_context():
        fine = db.session.execute(select(GroupStat.group_id, func.sum(GroupStat.count))
                                  .where(GroupStat.resolution == 60).group_by(GroupStat.group_id)).all()
        counts = sorted(count for _, count in fine)
        assert len(counts) == 3 and counts[0] == counts[-1] >= 4  # the ruled project's issues only
        assert drop_fine_buckets(dt.datetime.now(dt.UTC)) == 0
        assert drop_fine_buckets(dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)) >= 3
