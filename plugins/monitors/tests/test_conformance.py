"""Our monitor and check-in bodies against Sentry's published schemas.

Where Sentry's schema disagrees with what Sentry answers we answer as Sentry does: a
monitor's ``environments`` is a list (the schema says an object), an interval schedule
is ``[1, "day"]`` (the schema says two integers), and a first check-in has no expected
time (``expectedTime: null``), an unowned monitor has ``owner: null``.
"""

from __future__ import annotations

import re

KNOWN = re.compile(r"^(\d+/)?(environments: \[|config/schedule: \[\d+, '\w+'\] is not valid|expectedTime: None|owner: None)")

ORG = "/api/0/organizations/{organization_id_or_slug}/monitors/"
DETAIL = ORG + "{monitor_id_or_slug}/"
PROJECT_DETAIL = "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/monitors/{monitor_id_or_slug}/"


def test_bodies_conform_to_sentrys_schemas(cron_project, owner, sentry_conforms):
    cron_project.envelope({"monitor_slug": "nightly", "status": "ok", "monitor_config": {
        "schedule": {"type": "crontab", "value": "0 * * * *"}}})
    owner.api.put(f"/api/0/organizations/{owner.org}/monitors/nightly/", json={"owner": f"user:{owner.user.id}"})
    base = f"/api/0/organizations/{owner.org}/monitors/"
    made = owner.api.post(base, json={"project": "jobs", "name": "Made", "config": {"schedule": [1, "day"]}})
    report = {
        "list": sentry_conforms("GET", ORG, 200, owner.api.get(base).json),
        "create": sentry_conforms("POST", ORG, 201, made.json),
        "detail": sentry_conforms("GET", DETAIL, 200, owner.api.get(base + "nightly/").json),
        "project detail": sentry_conforms("GET", PROJECT_DETAIL, 200,
                                          owner.api.get(f"/api/0/projects/{owner.org}/jobs/monitors/nightly/").json),
        "checkins": sentry_conforms("GET", DETAIL + "checkins/", 200, owner.api.get(base + "nightly/checkins/").json),
    }
    unexpected = {name: [v for v in found if not KNOWN.match(v)] for name, found in report.items()}
    assert unexpected == {name: [] for name in report}, report
    assert any(v.startswith("0/environments") for v in report["list"])  # the check sees them
