"""Organizations: list, detail, create, update, delete; Sentry's shapes and errors."""

ORGS = "/api/0/organizations/"
ORG = "/api/0/organizations/{organization_id_or_slug}/"


def test_list_matches_sentrys_schema(owner, sentry_conforms):
    r = owner.api.get(ORGS)
    assert r.status_code == 200
    assert [o["slug"] for o in r.json] == [owner.org]
    assert sentry_conforms("GET", ORGS, 200, r.json) == []
    org = r.json[0]
    assert isinstance(org["id"], str)
    assert org["requireEmailVerification"] is False and isinstance(org["features"], list)
    assert org["dateCreated"].endswith("Z")


def test_detail_by_slug_or_id(owner, sentry_conforms):
    by_slug = owner.api.get(f"{ORGS}{owner.org}/")
    by_id = owner.api.get(f"{ORGS}{owner.organization.id}/")
    assert by_slug.status_code == by_id.status_code == 200
    assert by_slug.json == by_id.json
    assert by_slug.json["orgRole"] == "owner"
    assert "org:admin" in by_slug.json["access"]
    assert sentry_conforms("GET", ORG, 200, by_slug.json) == []
    assert sentry_conforms("PUT", ORG, 200, by_slug.json) == []


def test_list_filters_and_owner_flag(make_actor, owner, make_org):
    member = make_actor("member", organization=owner.organization)
    mine = make_org(name="Zebra Works", owner=member.user)
    slugs = {o["slug"] for o in member.api.get(ORGS).json}
    assert slugs == {owner.org, mine.slug}
    assert [o["slug"] for o in member.api.get(ORGS + "?owner=1").json] == [mine.slug]
    assert [o["slug"] for o in member.api.get(ORGS + "?query=zebra").json] == [mine.slug]
    assert [o["slug"] for o in member.api.get(ORGS + f"?query=slug:{owner.org}").json] == [owner.org]
    assert [o["slug"] for o in member.api.get(ORGS + f"?query=id:{mine.id}").json] == [mine.slug]
    assert member.api.get(ORGS + "?query=nosuchkey:1").status_code == 400


def test_create_makes_the_caller_owner(owner):
    r = owner.api.post(ORGS, json={"name": "Acme Corp"})
    assert r.status_code == 201, r.json
    assert r.json["slug"] == "acme-corp"
    detail = owner.api.get(f"{ORGS}acme-corp/").json
    assert detail["orgRole"] == "owner"
    again = owner.api.post(ORGS, json={"name": "Acme Corp"})
    assert again.json["slug"] == "acme-corp-2"


def test_create_with_taken_slug_is_409(owner):
    r = owner.api.post(ORGS, json={"name": "Dup", "slug": owner.org})
    assert r.status_code == 409
    assert r.json["detail"] == "An organization with this slug already exists."


def test_create_validates_input(owner):
    assert owner.api.post(ORGS, json={}).json == {"name": ["Missing data for required field."],
                                                  "detail": "name: Missing data for required field."}
    r = owner.api.post(ORGS, json={"name": "x" * 65})
    assert r.status_code == 400 and "name" in r.json
    r = owner.api.post(ORGS, json={"name": "ok", "slug": "123"})
    assert r.status_code == 400 and "slug" in r.json
    r = owner.api.post(ORGS, json={"name": "ok", "slug": "Bad Slug"})
    assert r.status_code == 400 and "slug" in r.json
    r = owner.api.post(ORGS, json={"name": 42})
    assert r.status_code == 400 and "name" in r.json
    assert len(owner.api.get(ORGS).json) == 1


def test_update_name_slug_and_settings(owner):
    r = owner.api.put(f"{ORGS}{owner.org}/", json={
        "name": "Renamed", "slug": "renamed", "openMembership": False, "defaultRole": "admin",
        "sensitiveFields": ["password"], "unknownField": "ignored",
        "id": "999", "dateCreated": "2001-01-01T00:00:00Z", "status": {"id": "x"},
    })
    assert r.status_code == 200, r.json
    assert (r.json["name"], r.json["slug"]) == ("Renamed", "renamed")
    assert r.json["id"] == str(owner.organization.id)
    assert r.json["openMembership"] is False and r.json["defaultRole"] == "admin"
    assert r.json["sensitiveFields"] == ["password"]
    assert r.json["status"]["id"] == "active"
    assert "unknownField" not in r.json
    assert owner.api.get(f"{ORGS}{owner.org}/").status_code == 404
    assert owner.api.get(f"{ORGS}renamed/").json["dateCreated"] == r.json["dateCreated"]


def test_update_rejects_bad_values_and_keeps_data(owner, make_org):
    other = make_org()
    before = owner.api.get(f"{ORGS}{owner.org}/").json
    for body in ({"slug": other.slug}, {"defaultRole": "emperor"}, {"openMembership": "perhaps"},
                 {"name": ""}, {"sensitiveFields": "password"}):
        r = owner.api.put(f"{ORGS}{owner.org}/", json=body)
        assert r.status_code == (409 if "slug" in body else 400), (body, r.json)  # a taken slug: 409
        assert "detail" in r.json
    assert owner.api.get(f"{ORGS}{owner.org}/").json == before


def test_delete_needs_org_admin_and_removes_everything(owner, make_actor):
    manager = make_actor("manager", organization=owner.organization)
    assert manager.api.delete(f"{ORGS}{owner.org}/").status_code == 403
    r = owner.api.delete(f"{ORGS}{owner.org}/")
    assert r.status_code == 202
    assert r.json["status"]["id"] == "pending_deletion"
    assert owner.api.get(f"{ORGS}{owner.org}/").status_code == 404
    assert owner.api.get(ORGS).json == []


def test_unknown_organization_is_404(owner):
    r = owner.api.get(f"{ORGS}no-such-org/")
    assert (r.status_code, r.json) == (404, {"detail": "The requested resource does not exist"})
    assert owner.api.get(f"{ORGS}99999999999999999999999/").status_code == 404
