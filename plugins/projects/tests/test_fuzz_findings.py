"""Regressions for what fuzzing found in the projects plugin."""

from __future__ import annotations


def test_an_organization_id_beyond_bigint_is_a_400(owner):
    response = owner.api.get(f"/api/0/projects/?organizationId={2**70}")
    assert response.status_code == 400 and "organizationId" in response.json


def test_a_nul_character_in_a_project_name_is_a_400(owner):
    response = owner.api.post(f"/api/0/organizations/{owner.org}/projects/", json={"name": "a\x00"})
    assert response.status_code == 400 and "name" in response.json
