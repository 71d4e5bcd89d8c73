"""Our release responses against the response schemas of Sentry's published OpenAPI
document (the subset the core ships in ``sentryapi/conformance``).

Known differences are in ``DIFFERENCES``; none breaks the schemas checked here.
"""

from __future__ import annotations

from sentryapi_releases.testing import release_path

from sentryapi.conformance import violations

ORG, P = "{organization_id_or_slug}", "{project_id_or_slug}"
RELEASES = f"/api/0/organizations/{ORG}/releases/"
DETAIL = RELEASES + "{version}/"

#: Where we knowingly differ from Sentry, and why.
DIFFERENCES = {
    "'/' in versions": "accepted (the issue asks for it; Sentry refuses '/' and '\\\\'); the "
                       "routes take percent-encoded versions with a path converter",
    "versions ending in /deploys or /commits": "refused: the URL could not address them",
    "refs": "stored without fetching commits from a VCS; unknown repositories are created by "
            "name (Sentry refuses refs to repositories it has no integration for)",
    "authors / lastCommit.author": "a member's user when the e-mail matches, else {name, email} "
                                   "(Sentry also matches linked VCS identities)",
    "lastDeploy.name": "\"\" for a deploy without a name: Sentry's schema wants a string there "
                       "(deploy lists keep null, as their schema allows)",
    "health data": "no release health (sessions): hasHealthData is false, adoptionStages absent",
    "in-next-release resolutions": "stay 'inNextRelease' once the next release exists (Sentry "
                                   "turns them into 'inRelease' of it); who regresses is the same",
}


def conforms(response, method, template, status):
    assert response.status_code == status, response.json
    assert violations(method, template, status, response.json) == [], (method, template)


def test_release_responses_match_sentrys_schemas(owner, create_project):
    org = owner.org
    create_project(owner, name="Web", slug="web", platform="javascript")
    body = {"version": "web@1.2.3+45", "projects": ["web"], "ref": "main",
            "url": "https://example.com/r", "owner": owner.user.email,
            "commits": [{"id": "f" * 40, "repository": "acme/web", "message": "m",
                         "author_email": owner.user.email, "author_name": "Owner"}]}
    conforms(owner.api.post(f"/api/0/organizations/{org}/releases/", json=body), "POST", RELEASES, 201)
    conforms(owner.api.post(f"/api/0/organizations/{org}/releases/",
                            json={"version": "bare", "projects": ["web"]}), "POST", RELEASES, 201)
    path = release_path(org, "web@1.2.3+45")
    conforms(owner.api.post(path + "deploys/", json={"environment": "prod"}),
             "POST", DETAIL + "deploys/", 201)
    conforms(owner.api.get(path + "deploys/"), "GET", DETAIL + "deploys/", 200)
    conforms(owner.api.get(path), "GET", DETAIL, 200)
    conforms(owner.api.get(path + "?project=web"), "GET", DETAIL, 200)
    conforms(owner.api.put(path, json={"dateReleased": "2024-01-01T00:00:00Z"}), "PUT", DETAIL, 200)
    conforms(owner.api.get(f"/api/0/organizations/{org}/releases/"), "GET", RELEASES, 200)
    conforms(owner.api.get(f"/api/0/projects/{org}/web/releases/"), "GET",
             f"/api/0/projects/{ORG}/{P}/releases/", 200)
    commits = owner.api.get(path + "commits/")
    assert commits.status_code == 200 and commits.json[0]["author"]["email"] == owner.user.email
    assert violations("GET", DETAIL + "commits/", 200, commits.json) == []
    deleted = owner.api.delete(release_path(org, "bare"))
    assert deleted.status_code == 204


def test_the_documented_examples_match_sentrys_schemas():
    from sentryapi_releases import examples

    assert violations("GET", RELEASES, 200, [examples.RELEASE]) == []
    assert violations("GET", DETAIL, 200, examples.RELEASE) == []
    assert violations("GET", DETAIL + "deploys/", 200, [examples.DEPLOY]) == []
    assert violations("GET", DETAIL + "commits/", 200, [examples.COMMIT]) == []
