"""Our project and key responses against the response schemas of Sentry's published
OpenAPI document (the subset the core ships in ``sentryapi/conformance``).

Every documented response must validate. Where we knowingly differ from Sentry (none
breaks these schemas; each behaviour is pinned by its own test):

- renaming a project to a taken slug: 409 with the slug's message (Sentry: 400); every
  slug clash here is a 409;
- a renamed project's old slug: 404 (Sentry answers 302 to the new slug);
- ``POST /organizations/{org}/projects/`` with an organization token: 403 with a detail
  (Sentry: 401);
- the key list's page size: 100 by default like every list here (Sentry: 10);
- a key's secret: derived from the public key and ``SECRET_KEY``, never stored; stable
  while ``SECRET_KEY`` is;
- settings (data scrubbing, grouping, symbol sources, digests) are fixed defaults, not
  writable;
- ``GET /api/0/projects/`` is private in Sentry (not in its document); we answer Sentry's
  ProjectWithOrganization shape, checked against ``listOrganizationProjects``;
- bookmarked projects are not listed first (Sentry does): we order by slug only, so the
  keyset cursor stays on an index.
"""

from __future__ import annotations

from sentryapi.conformance import violations

ORG, P, T = "{organization_id_or_slug}", "{project_id_or_slug}", "{team_id_or_slug}"


def conforms(response, method, template, status):
    assert response.status_code == status, (method, template, response.json)
    assert violations(method, template, response.status_code, response.json) == [], (method, template)


def test_project_and_key_responses_match_sentrys_schemas(owner, create_team):
    org = owner.org
    create_team(owner, slug="backend")
    create_team(owner, slug="ops")
    created = owner.api.post(f"/api/0/teams/{org}/backend/projects/",
                             json={"name": "Check Project", "platform": "python"})
    conforms(created, "POST", f"/api/0/teams/{ORG}/{T}/projects/", 201)
    own = owner.api.post(f"/api/0/organizations/{org}/projects/", json={"name": "Own"})
    conforms(own, "POST", f"/api/0/organizations/{ORG}/projects/", 201)
    slug = created.json["slug"]
    project = f"/api/0/projects/{org}/{slug}/"
    conforms(owner.api.get(f"/api/0/organizations/{org}/projects/"), "GET", f"/api/0/organizations/{ORG}/projects/", 200)
    conforms(owner.api.get("/api/0/projects/"), "GET", f"/api/0/organizations/{ORG}/projects/", 200)
    conforms(owner.api.get(f"/api/0/teams/{org}/backend/projects/"), "GET", f"/api/0/teams/{ORG}/{T}/projects/", 200)
    conforms(owner.api.get(project), "GET", f"/api/0/projects/{ORG}/{P}/", 200)
    conforms(owner.api.put(project, json={"name": "Renamed", "isBookmarked": True}),
             "PUT", f"/api/0/projects/{ORG}/{P}/", 200)
    conforms(owner.api.get(f"{project}teams/"), "GET", f"/api/0/projects/{ORG}/{P}/teams/", 200)
    conforms(owner.api.post(f"{project}teams/ops/"), "POST", f"/api/0/projects/{ORG}/{P}/teams/{T}/", 201)
    conforms(owner.api.delete(f"{project}teams/ops/"), "DELETE", f"/api/0/projects/{ORG}/{P}/teams/{T}/", 200)
    # A project left with no team at all.
    owner.api.delete(f"{project}teams/backend/")
    conforms(owner.api.get(project), "GET", f"/api/0/projects/{ORG}/{P}/", 200)
    conforms(owner.api.get(f"/api/0/organizations/{org}/projects/"), "GET", f"/api/0/organizations/{ORG}/projects/", 200)

    keys = f"/api/0/projects/{ORG}/{P}/keys/"
    conforms(owner.api.get(f"{project}keys/"), "GET", keys, 200)
    key = owner.api.post(f"{project}keys/", json={"name": "CI", "rateLimit": {"window": 60, "count": 10}})
    conforms(key, "POST", keys, 201)
    url = f"{project}keys/{key.json['id']}/"
    conforms(owner.api.get(url), "GET", keys + "{key_id}/", 200)
    conforms(owner.api.put(url, json={"isActive": False, "rateLimit": None}), "PUT", keys + "{key_id}/", 200)
    conforms(owner.api.get(f"/api/0/organizations/{org}/project-keys/"), "GET",
             f"/api/0/organizations/{ORG}/project-keys/", 200)
