"""Regressions for what fuzzing found in the core: each was a 500."""

from __future__ import annotations


def test_a_nul_character_in_a_request_string_is_a_400(owner):
    orgs = "/api/0/organizations/"
    response = owner.api.post(orgs, json={"name": "a\x00b"})
    assert response.status_code == 400
    assert response.json["name"] == ["Null characters are not allowed."]
    response = owner.api.get(orgs + "?query=a%00b")
    assert response.status_code == 400 and "query" in response.json
    response = owner.api.put(f"{orgs}{owner.org}/", json={"sensitiveFields": ["ok", "x\x00"]})
    assert response.status_code == 400 and "sensitiveFields" in response.json
    # a field the schema does not read is ignored, NUL or not
    assert owner.api.post(orgs, json={"name": "Fine", "junk": "\x00"}).status_code == 201


def test_a_nul_character_in_a_url_is_a_404(owner, anonymous):
    assert owner.api.get("/api/0/organizations/a%00b/").status_code == 404
    assert owner.api.get(f"/api/0/organizations/{owner.org}/members/1%00/").status_code == 404
    assert anonymous.get("/api/0/organizations/a%00b/").status_code == 401


def test_ids_are_ascii_digits(owner):
    members = f"/api/0/organizations/{owner.org}/members/"
    assert owner.api.get(members + "\u00b3/").status_code == 404  # superscript three
    assert owner.api.get(members + "\u0663/").status_code == 404  # Arabic-Indic three
    assert owner.api.get(f"/api/0/organizations/{owner.organization.id}/").status_code == 200
    assert owner.api.unchecked().get("/api/0/api-tokens/\u00b3/").status_code == 404


def test_an_id_beyond_bigint_is_a_400_not_an_overflow(owner):
    response = owner.api.delete("/api/0/api-tokens/", json={"tokenId": 2**70})
    assert response.status_code == 400 and "tokenId" in response.json
