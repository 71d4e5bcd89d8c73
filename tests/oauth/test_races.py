"""Racing requests over real HTTP: a code or refresh token buys at most one token pair."""

import threading

import requests
from sqlalchemy import func, select

from sentryapi.auth.models import ApiToken

RACERS = 6


def race(url: str, form: dict, auth: tuple) -> list[int]:
    barrier = threading.Barrier(RACERS)
    statuses: list[int] = []

    def post():
        barrier.wait(5)
        statuses.append(requests.post(url, data=form, auth=auth, timeout=30).status_code)

    threads = [threading.Thread(target=post) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


def oauth_token_rows(app) -> int:
    from sentryapi.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.kind == "oauth"))


def test_one_code_one_token(app, live_server, signed_in):
    flow, _, registered = signed_in
    code, verifier = flow.code(registered)
    statuses = race(f"{live_server.url}/oauth/token/", {
        "grant_type": "authorization_code", "code": code, "code_verifier": verifier,
        "redirect_uri": registered.redirect_uri}, (registered.client_id, registered.secret))
    assert sorted(statuses) == [200] + [400] * (RACERS - 1)
    # A late racer counts as a replay and may revoke what the winner got: never more than one.
    assert oauth_token_rows(app) <= 1


def test_one_refresh_one_new_pair(app, live_server, signed_in):
    flow, _, registered = signed_in
    body = flow.tokens(registered)
    statuses = race(f"{live_server.url}/oauth/token/", {
        "grant_type": "refresh_token", "refresh_token": body["refresh_token"]},
        (registered.client_id, registered.secret))
    assert sorted(statuses) == [200] + [400] * (RACERS - 1)
    assert oauth_token_rows(app) == 1
