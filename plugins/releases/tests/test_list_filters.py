"""A release's deploys and commits: ``query``, ``environment`` and ``sort``."""

from __future__ import annotations

from sentryapi_releases.testing import release_path

from sentryapi.testing import walk_sorted

from .test_views import create


def test_deploys_filter_by_environment_and_name_and_sort(owner, create_project):
    create_project(owner, name="Frontend", slug="frontend")
    create(owner, "1.0", ["frontend"])
    path = release_path(owner.org, "1.0", "deploys")
    for environment, name in (("staging", "canary"), ("production", "blue"), ("qa", None)):
        body = {"environment": environment, **({"name": name} if name else {})}
        assert owner.api.post(path, json=body).status_code == 201
    assert [d["environment"] for d in owner.api.get(path).json] == ["qa", "production", "staging"]
    assert [d["environment"] for d in owner.api.get(f"{path}?environment=production").json] == [
        "production"]
    assert owner.api.get(f"{path}?environment=nowhere").json == []
    assert [d["environment"] for d in owner.api.get(f"{path}?query=CANA").json] == ["staging"]
    assert [d["environment"] for d in owner.api.get(f"{path}?query=prod").json] == ["production"]
    by_environment = walk_sorted(owner.api, path, "environment", key=lambda d: d["environment"])
    assert [d["environment"] for d in by_environment] == ["production", "qa", "staging"]
    oldest = walk_sorted(owner.api, path, "dateFinished", key=lambda d: d["dateFinished"])
    assert [d["environment"] for d in oldest] == ["staging", "production", "qa"]
    assert owner.api.get(f"{path}?sort=name").status_code == 400


def test_commits_filter_by_id_or_message_and_keep_their_order(owner, create_project):
    commits = [{"id": f"{char}" * 40, "repository": "acme/web", "message": message}
               for char, message in (("c", "Fix the login"), ("b", "Add a feature"), ("a", "fix typo"))]
    create_project(owner, name="Frontend", slug="frontend")
    assert create(owner, "1.0", ["frontend"], commits=commits).status_code == 201
    for path in (release_path(owner.org, "1.0", "commits"),
                 f"/api/0/projects/{owner.org}/frontend/releases/1.0/commits/"):
        assert [c["message"] for c in owner.api.get(f"{path}?query=FIX").json] == [
            "Fix the login", "fix typo"]
        assert [c["id"] for c in owner.api.get(f"{path}?query=bbbb").json] == ["b" * 40]
        order = {c["id"]: index for index, c in enumerate(commits)}
        listed = walk_sorted(owner.api, path, "position", key=lambda c: order[c["id"]])
        reverse = walk_sorted(owner.api, path, "-position", key=lambda c: order[c["id"]])
        assert [c["id"] for c in listed] == [c["id"] for c in commits] == [c["id"] for c in reversed(reverse)]
