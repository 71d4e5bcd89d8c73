"""The rules API (Sentry's shapes and ids), group history, metric alert rules, notification options."""

from sentryapi_alerts.registry import EMAIL, EVENT_FREQUENCY, FIRST_SEEN, LEVEL, SERVICE, TAGGED
from sentryapi_alerts.testing import rule_body

RULES = "/api/0/projects/{org}/web/rules/"


def test_rules_are_created_listed_read_updated_and_deleted(owner, create_project):
    create_project(owner, name="Web", slug="web")
    url = RULES.format(org=owner.org)
    body = rule_body(name="Errors", actionMatch="any", filterMatch="all", frequency=30,
                     conditions=[{"id": FIRST_SEEN}, {"id": EVENT_FREQUENCY, "value": 100, "interval": "1h"}],
                     filters=[{"id": LEVEL, "match": "gte", "level": "40"},
                              {"id": TAGGED, "key": "browser", "match": "co", "value": "Chrome"}],
                     actions=[{"id": EMAIL, "targetType": "Member", "targetIdentifier": owner.user.id},
                              {"id": SERVICE, "service": "webhooks"}])
    made = owner.api.post(url, json=body)
    assert made.status_code == 201, made.json
    rule = made.json
    assert rule["name"] == "Errors" and rule["frequency"] == 30 and rule["actionMatch"] == "any"
    assert rule["conditions"][1] == {"id": EVENT_FREQUENCY, "value": 100, "interval": "1h",
                                     "comparisonType": "count",
                                     "name": "The issue is seen more than 100 times in 1h"}
    assert rule["actions"][0]["targetIdentifier"] == owner.user.id
    assert rule["projects"] == ["web"] and rule["createdBy"]["id"] == str(owner.user.id)
    listed = owner.api.get(url)
    assert [r["id"] for r in listed.json] == [rule["id"]] and "Link" in listed.headers
    assert owner.api.get(f"{url}{rule['id']}/").json == rule
    changed = owner.api.put(f"{url}{rule['id']}/", json={**body, "name": "Renamed", "frequency": 60})
    assert changed.status_code == 200 and changed.json["name"] == "Renamed"
    assert owner.api.delete(f"{url}{rule['id']}/").status_code == 202
    assert owner.api.get(f"{url}{rule['id']}/").status_code == 404


def test_unknown_ids_are_a_400_naming_them(owner, create_project):
    create_project(owner, name="Web", slug="web")
    url = RULES.format(org=owner.org)
    bad = owner.api.post(url, json=rule_body(conditions=[{"id": "sentry.rules.conditions.Nope"}],
                                             filters=[{"id": "x.Filter"}]))
    assert bad.status_code == 400
    assert "sentry.rules.conditions.Nope" in bad.json["conditions"][0]
    assert "x.Filter" in bad.json["filters"][0]
    assert "sentry.rules.conditions.Nope" in bad.json["detail"]


def test_bad_values_are_400s(owner, create_project, make_actor):
    create_project(owner, name="Web", slug="web")
    url = RULES.format(org=owner.org)
    stranger = make_actor("member")
    cases = [
        rule_body(frequency=1),
        rule_body(actionMatch="some"),
        rule_body(conditions=[]),
        rule_body(conditions=[{"id": EVENT_FREQUENCY, "value": 1, "interval": "2h"}]),
        rule_body(actions=[{"id": EMAIL, "targetType": "Member", "targetIdentifier": stranger.user.id}]),
        rule_body(actions=[{"id": SERVICE, "service": "slack"}]),
        rule_body(filters=[{"id": LEVEL, "match": "gt", "level": "40"}]),
    ]
    for body in cases:
        answer = owner.api.post(url, json=body)
        assert answer.status_code == 400, (body, answer.json)
    assert owner.api.get(url).json == []


def test_metric_alert_rules_are_an_empty_list_and_a_400_on_create(owner):
    url = f"/api/0/organizations/{owner.org}/alert-rules/"
    listed = owner.api.get(url)
    assert listed.status_code == 200 and listed.json == []
    made = owner.api.post(url, json={"name": "p95", "aggregate": "p95(transaction.duration)"})
    assert made.status_code == 400 and "Metric alerts are not available" in made.json["detail"]


def test_notification_options_are_the_users_own(owner, make_actor):
    url = "/api/0/users/me/notification-options/"
    put = owner.api.put(url, json={"type": "alerts", "scopeType": "user", "scopeIdentifier": "me", "value": "never"})
    assert put.status_code == 200 and put.json["value"] == "never"
    again = owner.api.put(url, json={"type": "alerts", "scopeType": "user", "scopeIdentifier": "me", "value": "always"})
    assert again.json["id"] == put.json["id"] and again.json["value"] == "always"
    assert [o["id"] for o in owner.api.get(url).json] == [put.json["id"]]
    other = make_actor("owner")
    assert other.api.get(f"/api/0/users/{owner.user.id}/notification-options/").status_code == 404
    assert other.api.delete(f"/api/0/users/{owner.user.id}/notification-options/{put.json['id']}/").status_code == 404
    assert owner.api.delete(f"{url}{put.json['id']}/").status_code == 204
    assert owner.api.get(url).json == []


def test_the_plugin_keeps_the_contract(plugin_contract):
    plugin_contract("alerts")


def test_tenant_isolation(tenant_isolation):
    tenant_isolation("alerts")
