"""Organization-wide lists keep to the projects the caller reaches (issue 16, reads):
issues, events-stats and stats_v2 per project, with open membership off."""

from __future__ import annotations

import pytest

from sentryapi.probes import ProbeContext, load_probes

ORG_ISSUE = "/api/0/organizations/<organization_id_or_slug>/issues/<issue_id>/"


@pytest.fixture
def closed(app, owner, make_actor, set_org_option):
    """An issue in a project of the owner's team; an admin and a member on no team."""
    load_probes(app)
    issue = ProbeContext(app, owner).need(ORG_ISSUE)
    set_org_option(owner.organization, "openMembership", False)
    project_id = owner.api.get(f"/api/0/projects/{owner.org}/{issue['project_id_or_slug']}/").json["id"]
    outsiders = [make_actor(role, organization=owner.organization) for role in ("member", "admin")]
    return owner, issue, project_id, outsiders


def test_the_organizations_issue_list_shows_only_reachable_projects(closed):
    owner, issue, project_id, outsiders = closed
    url = f"/api/0/organizations/{owner.org}/issues/?query="
    assert [i["id"] for i in owner.api.get(url).json] == [issue["issue_id"]]
    for actor in outsiders:
        assert actor.api.get(url).json == []
        assert actor.api.get(url + "&project=-1").json == []
        assert actor.api.get(f"{url}&project={project_id}").status_code == 403
        assert actor.api.get(f"/api/0/organizations/{owner.org}/issues/{issue['issue_id']}/").status_code == 403
        assert actor.api.get(f"/api/0/organizations/{owner.org}/issues/?query=&shortIdLookup=1").json == []


def test_event_counts_per_project_need_the_project(closed):
    owner, issue, project_id, outsiders = closed
    stats = f"/api/0/organizations/{owner.org}/events-stats/?query=issue.id:{issue['issue_id']}"
    assert sum(p[1][0]["count"] for p in owner.api.get(stats).json["data"]) == 1
    usage = (f"/api/0/organizations/{owner.org}/stats_v2/?field=sum(quantity)&category=error"
             f"&groupBy=project&statsPeriod=1d&interval=1h")
    assert owner.api.get(usage).json["groups"]
    for actor in outsiders:
        assert sum(p[1][0]["count"] for p in actor.api.get(stats).json["data"]) == 0
        assert actor.api.get(f"{stats}&project={project_id}").status_code == 403
        assert actor.api.get(usage).json["groups"] == []
        assert actor.api.get(f"{usage}&project={project_id}").status_code == 403
        # Organization totals (no project named or grouped) stay every member's, as in Sentry.
        totals = usage.replace("&groupBy=project", "")
        assert actor.api.get(totals).json == owner.api.get(totals).json
