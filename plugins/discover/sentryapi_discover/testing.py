"""Helpers for tests: transactions as sentry-sdk sends them; pages walked both ways."""

from __future__ import annotations

import datetime as dt
import uuid


def transaction_event(name: str = "/api/users", duration_ms: float = 120.0, *, status: str = "ok",
                      op: str = "http.server", end: dt.datetime | None = None, **extra) -> dict:
    """A ``transaction`` item's payload, ending at ``end`` (default now) after ``duration_ms``."""
    end = end or dt.datetime.now(dt.UTC)
    start = end - dt.timedelta(milliseconds=duration_ms)
    return {
        "event_id": uuid.uuid4().hex, "type": "transaction", "platform": "python",
        "transaction": name, "start_timestamp": start.timestamp(), "timestamp": end.timestamp(),
        "contexts": {"trace": {"trace_id": uuid.uuid4().hex, "span_id": uuid.uuid4().hex[:16],
                               "op": op, "status": status}},
        "spans": [{"op": "db", "description": "SELECT 1"}], **extra,
    }


def link_cursor(response, rel: str) -> str | None:
    """The cursor of the ``Link`` header's ``rel`` link when it says there are results."""
    marker = f'rel="{rel}"; results="true"; cursor="'
    link = response.headers["Link"]
    return link.split(marker)[1].split('"')[0] if marker in link else None


def walk_pages(get, params: dict) -> list[list[dict]]:
    """Every page of a query, following ``next`` links, then back from the last page along
    ``previous`` links: asserts both walks see the same pages; returns them in order.
    ``get(params)`` answers one request."""
    pages, cursor = [], None
    while True:
        response = get({**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.json
        pages.append(response.json["data"])
        cursor = link_cursor(response, "next")
        if cursor is None:
            break
        assert len(pages) < 100, "the next links do not end"
    back = [pages[-1]]
    while (cursor := link_cursor(response, "previous")) is not None:
        response = get({**params, "cursor": cursor})
        assert response.status_code == 200, response.json
        assert link_cursor(response, "next") is not None  # the page it came from
        back.append(response.json["data"])
        assert len(back) <= len(pages), "the previous links go past the first page"
    assert back[::-1] == pages
    return pages
