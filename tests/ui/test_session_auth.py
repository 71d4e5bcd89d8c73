"""API calls from the signed-in browser: the session stands for a token, CSRF guards writes."""

from __future__ import annotations


def test_reads_act_as_the_signed_in_user_within_their_organizations(browser_user, make_org):
    client, _, user, organization = browser_user
    other = make_org()
    assert client.get("/api/0/").json["user"]["email"] == user.email
    assert client.get(f"/api/0/organizations/{organization.slug}/").status_code == 200
    assert client.get(f"/api/0/organizations/{other.slug}/").status_code == 404  # not a member


def test_writes_need_the_csrf_token_and_this_origin(browser_user):
    client, csrf, _, organization = browser_user
    path = f"/api/0/organizations/{organization.slug}/teams/"
    refused = client.post(path, json={"slug": "no-token"})
    assert refused.status_code == 403 and refused.json["detail"].startswith("CSRF Failed")
    assert client.post(path, json={"slug": "bad"}, headers={"X-CSRFToken": "guess"}).status_code == 403
    cross = client.post(path, json={"slug": "cross"},
                        headers={"X-CSRFToken": csrf, "Origin": "https://evil.example"})
    assert cross.status_code == 403 and "Origin" in cross.json["detail"]
    made = client.post(path, json={"slug": "made"}, headers={"X-CSRFToken": csrf, "Origin": "http://localhost"})
    assert made.status_code == 201, made.json


def test_a_token_wins_over_the_session_and_sign_out_ends_it(browser_user, make_user, make_token):
    client, csrf, user, organization = browser_user
    other = make_token(make_user())  # another user's token: the header decides who calls
    assert client.get("/api/0/", headers={"Authorization": f"Bearer {other}"}).json["user"]["email"] != user.email
    client.post("/auth/logout/", data={"csrf_token": csrf})
    assert client.get(f"/api/0/organizations/{organization.slug}/").status_code == 401
