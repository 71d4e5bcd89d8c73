"""The sign-in page: password check, CSRF, safe redirects, sign-out, session cookie."""

import pytest
from sqlalchemy import update

from sentryapi.auth.models import User

from .conftest import PASSWORD


def signed_in_as(flow):
    page = flow.client.get("/auth/login/")
    return "Signed in" in page.text


def test_sign_in_and_out(flow, person):
    page = flow.client.get("/auth/login/")
    assert page.status_code == 200 and 'name="password"' in page.text
    answer = flow.sign_in(person.user.email)
    assert answer.status_code == 302 and answer.headers["Location"] == "/auth/login/"
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("sentryapi_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert signed_in_as(flow)
    page = flow.client.get("/auth/login/")
    assert flow.client.post("/auth/logout/", data={}).status_code == 400  # no CSRF token
    assert signed_in_as(flow)
    out = flow.client.post("/auth/logout/", data={"csrf_token": flow.csrf(page.text)})
    assert out.status_code == 302 and not signed_in_as(flow)


@pytest.mark.parametrize("email, password", [
    ("{email}", "wrong password"), ("nobody@example.com", PASSWORD), ("", ""), ("{email}", ""),
])
def test_wrong_credentials(flow, person, email, password):
    answer = flow.sign_in(email.format(email=person.user.email), password)
    assert answer.status_code == 400 and "Invalid e-mail or password." in answer.text
    assert not signed_in_as(flow)


def test_the_form_needs_its_csrf_token(flow, person):
    answer = flow.client.post("/auth/login/", data={"email": person.user.email, "password": PASSWORD})
    assert answer.status_code == 400 and "expired" in answer.text
    assert not signed_in_as(flow)


@pytest.mark.parametrize("target, expected", [
    ("/oauth/authorize/?client_id=x", "/oauth/authorize/?client_id=x"),
    ("//evil.example/", "/auth/login/"),
    ("https://evil.example/", "/auth/login/"),
    ("/\\evil.example", "/auth/login/"),
    ("javascript:alert(1)", "/auth/login/"),
])
def test_next_stays_on_this_server(flow, person, target, expected):
    page = flow.client.get("/auth/login/")
    answer = flow.client.post("/auth/login/", data={
        "csrf_token": flow.csrf(page.text), "email": person.user.email, "password": PASSWORD,
        "next": target})
    assert answer.status_code == 302 and answer.headers["Location"] == expected


def test_a_password_change_ends_the_session(flow, person, db_session):
    flow.sign_in(person.user.email)
    assert signed_in_as(flow)
    user = db_session.get(User, person.user.id)
    user.set_password("another password entirely")
    db_session.commit()
    assert not signed_in_as(flow)


def test_deactivated_users_cannot_sign_in(flow, person, db_session):
    db_session.execute(update(User).where(User.id == person.user.id).values(is_active=False))
    db_session.commit()
    assert flow.sign_in(person.user.email).status_code == 400


def test_pages_refuse_frames_and_scripts(flow):
    page = flow.client.get("/auth/login/")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "script" not in page.headers["Content-Security-Policy"]
    assert "<script" not in page.text and "http" not in page.text.split("<body>")[1]
