"""No secret, code, token or password is stored in plaintext: every table is scanned."""

import json

from sqlalchemy import select

from sentryapi.auth.tokens import hash_token

from .conftest import PASSWORD


def every_stored_value(app) -> str:
    """Every cell of every table, as one string."""
    from sentryapi.extensions import db

    cells = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                cells.extend(json.dumps(value, default=str) for value in row)
    return "\n".join(cells)


def test_nothing_secret_is_stored_in_plaintext(app, signed_in):
    flow, person, registered = signed_in
    secrets = {"client secret": registered.secret, "password": PASSWORD}
    code, verifier = flow.code(registered, "org:read project:read")
    secrets["exchanged code"] = code
    secrets["code verifier"] = verifier
    issued = flow.exchange(registered, code, verifier).json
    secrets["access token"] = issued["access_token"]
    secrets["refresh token"] = issued["refresh_token"]
    rotated = flow.token(registered, grant_type="refresh_token",
                         refresh_token=issued["refresh_token"]).json
    secrets["rotated access token"] = rotated["access_token"]
    secrets["rotated refresh token"] = rotated["refresh_token"]
    secrets["pending code"], _ = flow.code(registered)
    new_secret = person.api.post(
        f"/api/0/api-applications/{registered.client_id}/rotate-secret/").json["clientSecret"]
    secrets["rotated client secret"] = new_secret
    secrets["user token"] = person.token

    stored = every_stored_value(app)
    # The scan sees the data: public values and the secrets' hashes are there...
    assert registered.client_id in stored and person.user.email in stored
    for name in ("rotated client secret", "pending code", "rotated access token",
                 "rotated refresh token", "user token"):
        assert hash_token(secrets[name]) in stored, name
    # ...and no secret is.
    for name, value in secrets.items():
        assert value not in stored, f"{name} is stored in plaintext"
