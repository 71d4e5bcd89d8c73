"""/api/0/api-applications/: register, list, update, delete, rotate the secret."""

import pytest

APPS = "/api/0/api-applications/"


def test_create_shows_the_secret_once(person):
    answer = person.api.post(APPS, json={
        "name": "Acme", "redirectUris": ["https://acme.example/cb"],
        "allowedOrigins": ["https://acme.example"], "homepageUrl": "https://acme.example",
        "privacyUrl": "", "termsUrl": None, "unknownField": 1})
    assert answer.status_code == 201, answer.json
    created = answer.json
    assert set(created) == {"id", "clientID", "clientSecret", "name", "homepageUrl", "privacyUrl",
                            "termsUrl", "allowedOrigins", "redirectUris"}
    assert created["id"] == created["clientID"] and len(created["clientID"]) == 64
    assert len(created["clientSecret"]) == 64
    assert created["redirectUris"] == ["https://acme.example/cb"]
    assert created["privacyUrl"] is None and created["termsUrl"] is None
    detail = person.api.get(f"{APPS}{created['id']}/").json
    assert detail == {**created, "clientSecret": None}
    assert person.api.get(APPS).json == [detail]


def test_create_with_no_body_names_the_application(person):
    answer = person.api.post(APPS)
    assert answer.status_code == 201
    assert answer.json["name"].startswith("Application ") and answer.json["redirectUris"] == []


def test_update_and_delete(person):
    created = person.api.post(APPS, json={"name": "Before"}).json
    path = f"{APPS}{created['id']}/"
    updated = person.api.put(path, json={"name": "After", "redirectUris": ["http://localhost:3000/cb"]})
    assert updated.status_code == 200 and updated.json["name"] == "After"
    assert updated.json["redirectUris"] == ["http://localhost:3000/cb"]
    assert updated.json["clientSecret"] is None
    assert person.api.put(path, json={}).json["name"] == "After"
    assert person.api.delete(path).status_code == 204
    assert person.api.get(path).status_code == 404
    assert person.api.delete(path).status_code == 404


def test_rotate_secret(person):
    created = person.api.post(APPS).json
    rotated = person.api.post(f"{APPS}{created['id']}/rotate-secret/")
    assert rotated.status_code == 200 and list(rotated.json) == ["clientSecret"]
    assert rotated.json["clientSecret"] not in (created["clientSecret"], None)


@pytest.mark.parametrize("body, field", [
    ({"name": ""}, "name"),
    ({"name": "x" * 65}, "name"),
    ({"redirectUris": ["not a url"]}, "redirectUris"),
    ({"redirectUris": ["javascript:alert(1)"]}, "redirectUris"),
    ({"redirectUris": ["https://acme.example/cb#frag"]}, "redirectUris"),
    ({"redirectUris": "https://acme.example/cb"}, "redirectUris"),
    ({"redirectUris": ["https://acme.example/" + "x" * 255]}, "redirectUris"),
    ({"redirectUris": [f"https://acme.example/{i}" for i in range(33)]}, "redirectUris"),
    ({"homepageUrl": "ftp://acme.example"}, "homepageUrl"),
    ({"allowedOrigins": [""]}, "allowedOrigins"),
])
def test_bad_input_is_a_400(person, body, field):
    answer = person.api.post(APPS, json=body)
    assert answer.status_code == 400 and field in answer.json and "detail" in answer.json
    created = person.api.post(APPS, json={"name": "Kept"}).json
    assert person.api.put(f"{APPS}{created['id']}/", json=body).status_code == 400
    assert person.api.get(f"{APPS}{created['id']}/").json["name"] == "Kept"


def test_other_users_applications_are_invisible(person, make_person):
    other = make_person()
    theirs = other.api.post(APPS, json={"name": "Theirs"}).json
    for method, suffix in (("GET", ""), ("PUT", ""), ("DELETE", ""), ("POST", "rotate-secret/")):
        answer = person.api.request(method, f"{APPS}{theirs['id']}/{suffix}", json={"name": "Mine"})
        assert answer.status_code == 404, (method, suffix)
    assert person.api.get(APPS).json == []
    assert other.api.get(f"{APPS}{theirs['id']}/").json["name"] == "Theirs"


def test_organization_tokens_are_refused(person, make_token, anonymous):
    org_token = make_token(organization=person.organization, scopes=["org:read", "org:write"])
    answer = anonymous.as_(org_token).post(APPS, json={"name": "x"})
    assert answer.status_code == 403
    assert anonymous.get(APPS).status_code == 401


def test_listing_is_paginated_by_name(person):
    for name in ("charlie", "alpha", "bravo"):
        person.api.post(APPS, json={"name": name})
    first = person.api.get(f"{APPS}?per_page=2")
    assert [a["name"] for a in first.json] == ["alpha", "bravo"]
    assert 'rel="next"; results="true"' in first.headers["Link"]
    cursor = first.headers["Link"].split('rel="next"; results="true"; cursor="')[1].split('"')[0]
    second = person.api.get(f"{APPS}?per_page=2&cursor={cursor}")
    assert [a["name"] for a in second.json] == ["charlie"]


def test_listing_costs_the_same_for_1_and_20(person, count_queries):
    person.api.post(APPS, json={"name": "first"})
    with count_queries() as one:
        assert len(person.api.get(APPS).json) == 1
    for i in range(19):
        person.api.post(APPS, json={"name": f"app {i}"})
    with count_queries() as twenty:
        assert len(person.api.get(APPS).json) == 20
    assert len(one) == len(twenty), twenty


def test_list_filters_by_name_and_sorts(person):
    from sentryapi.testing import walk_sorted

    for name in ("beta tool", "alpha tool", "gamma bot"):
        assert person.api.post(APPS, json={"name": name}).status_code == 201
    assert [a["name"] for a in person.api.get(APPS).json] == ["alpha tool", "beta tool", "gamma bot"]
    assert [a["name"] for a in person.api.get(f"{APPS}?query=TOOL").json] == ["alpha tool", "beta tool"]
    order = {"beta tool": 0, "alpha tool": 1, "gamma bot": 2}
    newest = walk_sorted(person.api, APPS, "-dateCreated", key=lambda a: order[a["name"]])
    assert [a["name"] for a in newest] == ["gamma bot", "alpha tool", "beta tool"]
    walk_sorted(person.api, APPS, "-name", key=lambda a: a["name"])
    assert person.api.get(f"{APPS}?sort=clientID").status_code == 400
