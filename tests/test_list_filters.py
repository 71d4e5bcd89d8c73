"""Lists' ``query`` and ``sort`` (``sentryapi.api.Listing``): user and organization tokens,
the OpenAPI document's parameters, and the 400 for an unknown sort."""

from __future__ import annotations

import pytest

from sentryapi.testing import walk_sorted

TOKENS = "/api/0/api-tokens/"


def named_tokens(actor, url: str, names) -> dict[str, str]:
    made = {}
    for name in names:
        answer = actor.api.post(url, json={"scopes": ["org:ci"] if "org-auth" in url else ["org:read"],
                                           "name": name})
        assert answer.status_code == 201, answer.json
        made[name] = answer.json["id"]
    return made


@pytest.mark.parametrize("kind", ["user", "org"])
def test_tokens_filter_by_name_and_sort(owner, kind):
    url = TOKENS if kind == "user" else f"/api/0/organizations/{owner.org}/org-auth-tokens/"
    made = named_tokens(owner, url, ["deploy-b", "deploy-a", "ci", "100%_sure", "100 sure"])
    found = owner.api.get(f"{url}?query=DEPLOY").json
    assert [t["name"] for t in found] == ["deploy-b", "deploy-a"]  # oldest first by default
    # LIKE wildcards are taken literally.
    assert [t["name"] for t in owner.api.get(f"{url}?query=%25_").json] == ["100%_sure"]
    assert owner.api.get(f"{url}?query=nothing-like-it").json == []
    by_name = walk_sorted(owner.api, f"{url}?query=e", "name", key=lambda t: t["name"] or "")
    assert [t["name"] for t in by_name] == ["100 sure", "100%_sure", "deploy-a", "deploy-b"]
    newest = walk_sorted(owner.api, url, "-dateCreated", key=lambda t: t["dateCreated"])
    ours = [t["id"] for t in newest if t["id"] in made.values()]
    assert ours == list(reversed(made.values()))


def test_an_unknown_sort_is_a_400_naming_the_choices(owner):
    answer = owner.api.get(f"{TOKENS}?sort=weird")
    assert answer.status_code == 400
    assert "dateCreated, -dateCreated, name, -name" in answer.json["detail"]
    assert owner.api.get(f"{TOKENS}?query=" + "x" * 201).status_code == 400


def test_sort_and_query_are_documented(spec_app):
    document = spec_app.extensions["sentryapi.api"].internal_document()
    parameters = {p["name"]: p for p in document["paths"]["/api/0/api-tokens/"]["get"]["parameters"]}
    assert parameters["sort"]["schema"]["enum"] == ["dateCreated", "-dateCreated", "name", "-name"]
    assert parameters["sort"]["schema"]["default"] == "dateCreated"
    assert "descending" in parameters["sort"]["description"]
    assert "name" in parameters["query"]["description"]
