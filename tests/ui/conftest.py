"""A signed-in browser for the web UI's tests: Flask's test client holding a session cookie."""

from __future__ import annotations

import re

import pytest

PASSWORD = "correct horse battery staple"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(client, email: str, password: str = PASSWORD) -> str:
    """Sign ``client`` in through the sign-in page; answer the new session's CSRF token (as
    the web app reads it, from ``/ui/bootstrap.json``)."""
    page = client.get("/auth/login/")
    token = CSRF_FIELD.search(page.text).group(1)
    answer = client.post("/auth/login/", data={"csrf_token": token, "email": email, "password": password})
    assert answer.status_code == 302, answer.text
    return client.get("/ui/bootstrap.json").json["csrfToken"]


@pytest.fixture
def browser_user(app, make_user, make_org):
    """(test client signed in, its CSRF token, the user, their organization)."""
    user = make_user(password=PASSWORD)
    organization = make_org(owner=user)
    client = app.test_client()
    return client, sign_in(client, user.email), user, organization
