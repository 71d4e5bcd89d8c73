"""Deleting a project while the digest is storing its queued events: the deletion answers
204 (PostgreSQL may abort one of the two transactions to break a deadlock, and whichever it
aborts runs again), nothing of the project is left, and another project's events are all
kept."""

from __future__ import annotations

import threading
import time

import pytest
from sentryapi_events.digest.batch import digest_batch
from sentryapi_events.models import Event, IngestEvent
from sentryapi_events.testing import exception_event
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from sentryapi.api import db

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

ROUNDS = 4
EVENTS_PER_PROJECT = 120


def count(app, model, project_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)
                                 .where(model.project_id == project_id))


def digest_until_empty(app, aborted: list) -> None:
    """The digest worker's loop: a batch the database aborts is taken again."""
    with app.app_context():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if not digest_batch(100):
                    return
            except OperationalError as error:
                db.session.rollback()
                aborted.append(error)


def test_a_project_deleted_while_its_events_are_digested_goes_entirely(app, owner, sentry_project,
                                                                       digest, monkeypatch):
    kept = sentry_project
    team = owner.api.get(f"/api/0/projects/{kept.org}/{kept.slug}/").json["teams"][0]["slug"]
    monkeypatch.setitem(app.config, "EVENTS_DIGEST", "off")  # queue first, then race
    aborted = []
    for round_ in range(ROUNDS):
        response = owner.api.post(f"/api/0/teams/{owner.org}/{team}/projects/",
                                  json={"name": f"doomed {round_}"})
        doomed = response.json
        key = owner.api.get(f"/api/0/projects/{owner.org}/{doomed['slug']}/keys/").json[0]["public"]
        for n in range(EVENTS_PER_PROJECT):
            event = exception_event(value=f"boom {n % 7}")
            assert kept.send_event(event).status_code == 200
            assert kept.send_event(event, url=f"/api/{doomed['id']}/envelope/",
                                   headers=kept.auth_header(key)).status_code == 200
        digesting = threading.Thread(target=digest_until_empty, args=(app, aborted))
        digesting.start()
        time.sleep(0.01 * round_)  # the deletion lands at a different point of a batch each round
        response = owner.api.delete(f"/api/0/projects/{owner.org}/{doomed['slug']}/")
        digesting.join(40)
        assert response.status_code == 204, response.json
        digest()
        assert count(app, Event, int(doomed["id"])) == 0
        assert count(app, IngestEvent, int(doomed["id"])) == 0
    assert count(app, Event, kept.id) == ROUNDS * EVENTS_PER_PROJECT
