"""Who a token belongs to (``/auth/``) and where its organizations live (``/users/me/regions/``):
what Sentry's current clients ask before anything else."""

AUTH = "/api/0/auth/"
REGIONS = "/api/0/users/me/regions/"


def test_auth_answers_the_user_the_index_names(owner, make_actor):
    body = owner.api.get(AUTH)
    assert body.status_code == 200, body.json
    assert body.json == owner.api.get("/api/0/").json["user"]
    other = make_actor("member", organization=owner.organization)
    assert other.api.get(AUTH).json["email"] == other.user.email


def test_auth_needs_a_user(owner, anonymous, make_token):
    assert anonymous.get(AUTH).status_code == 401
    org_token = make_token(organization=owner.organization, scopes=["org:ci"])
    answer = anonymous.get(AUTH, headers={"Authorization": f"Bearer {org_token}"})
    assert answer.status_code == 400
    assert "organization tokens" in answer.json["detail"]


def test_regions_name_the_public_url(app, owner, anonymous):
    body = owner.api.get(REGIONS)
    assert body.status_code == 200
    assert body.json == {"regions": [{"name": "--monolith--", "url": app.config["PUBLIC_URL"]}]}
    assert anonymous.get(REGIONS).status_code == 401
