"""Fixtures for the OAuth tests: a user with a password, an application, the flow's steps."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from sentryapi.testing import ApiClient

PASSWORD = "correct horse battery staple"
REDIRECT_URI = "http://127.0.0.1:8765/callback"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@dataclass
class Person:
    """A user with a password, owning an organization, holding a user token."""

    user: object
    organization: object
    token: str
    api: ApiClient


@dataclass
class Registered:
    client_id: str
    secret: str
    redirect_uri: str


class Flow:
    """The authorization-code flow, step by step, through the Flask test client."""

    def __init__(self, client):
        self.client = client

    def csrf(self, html: str) -> str:
        return CSRF.search(html).group(1)

    def sign_in(self, email: str, password: str = PASSWORD):
        page = self.client.get("/auth/login/")
        return self.client.post("/auth/login/", data={
            "csrf_token": self.csrf(page.text), "email": email, "password": password})

    def authorize_url(self, app: Registered, scope="org:read", *, challenge=None, state="xyz",
                      method="S256", **extra) -> str:
        params = {"response_type": "code", "client_id": app.client_id,
                  "redirect_uri": app.redirect_uri, "scope": scope, "state": state,
                  "code_challenge": challenge, "code_challenge_method": method, **extra}
        return "/oauth/authorize/?" + urlencode({k: v for k, v in params.items() if v is not None})

    def decide(self, url: str, op: str = "approve"):
        page = self.client.get(url)
        assert page.status_code == 200, page.text
        return self.client.post(url, data={"csrf_token": self.csrf(page.text), "op": op})

    def code(self, app: Registered, scope="org:read") -> tuple[str, str]:
        """Approve a request; return the code and its PKCE verifier."""
        verifier, challenge = pkce_pair()
        answer = self.decide(self.authorize_url(app, scope, challenge=challenge))
        assert answer.status_code == 302, answer.text
        params = query_of(answer.headers["Location"])
        assert params["state"] == "xyz"
        return params["code"], verifier

    def token(self, app: Registered, secret: str | None = None, **form):
        """POST /oauth/token/ with HTTP Basic client authentication."""
        basic = base64.b64encode(f"{app.client_id}:{secret or app.secret}".encode()).decode()
        return self.client.post("/oauth/token/", data=form,
                                headers={"Authorization": f"Basic {basic}"})

    def exchange(self, app: Registered, code: str, verifier: str, **extra):
        return self.token(app, grant_type="authorization_code", code=code, code_verifier=verifier,
                          redirect_uri=app.redirect_uri, **extra)

    def tokens(self, app: Registered, scope="org:read") -> dict:
        code, verifier = self.code(app, scope)
        answer = self.exchange(app, code, verifier)
        assert answer.status_code == 200, answer.json
        return answer.json


@pytest.fixture(scope="session")
def password_hash():
    """Hashed once: the real hasher is slow on purpose, and every person shares the password."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD)


@pytest.fixture
def make_person(app, client, make_user, make_org, make_token, password_hash):
    def make(role: str = "owner", organization=None) -> Person:
        user = make_user(name="Jane Doe")
        user.password_hash = password_hash  # detached: the fixtures below merge it in
        if organization is None:
            organization = make_org(owner=user)
        from sentryapi.extensions import db
        from sentryapi.tenants.models import OrganizationMember

        with app.app_context():
            db.session.merge(user)
            member = db.session.query(OrganizationMember).filter_by(
                organization_id=organization.id, user_id=user.id).one_or_none()
            if member is None:
                member = OrganizationMember(organization_id=organization.id, user_id=user.id)
                db.session.add(member)
            member.role = role
            db.session.commit()
        token = make_token(user)
        return Person(user, organization, token, ApiClient(client, token))

    return make


@pytest.fixture
def person(make_person):
    return make_person("owner")


@pytest.fixture
def register():
    def make(person: Person, redirect_uri: str = REDIRECT_URI, **fields) -> Registered:
        answer = person.api.post("/api/0/api-applications/",
                                 json={"name": "Acme Dashboard", "redirectUris": [redirect_uri], **fields})
        assert answer.status_code == 201, answer.json
        return Registered(answer.json["clientID"], answer.json["clientSecret"], redirect_uri)

    return make


@pytest.fixture
def flow(client):
    return Flow(client)


@pytest.fixture
def signed_in(flow, person, register):
    """``(flow, person, application)`` with the person signed in to the browser session."""
    assert flow.sign_in(person.user.email).status_code == 302
    return flow, person, register(person)
