"""Ingestion quotas and outcomes: the primitives the ingest endpoint builds on.

The last test serves a minimal envelope endpoint built from these primitives and checks
that the real sentry-sdk reads our ``X-Sentry-Rate-Limits`` and stops sending.
"""

import gzip
import json
import logging
import socket

import pytest
import sentry_sdk
from flask import jsonify, request
from sentry_sdk.transport import _parse_rate_limits

from sentryapi.api import (
    Outcome,
    Quota,
    consume_quotas,
    key_quota,
    organization_quota,
    rate_limited_outcomes,
    rate_limits_header,
)
from sentryapi.testing import redis_url, serve


def test_a_key_quota_counts_error_events_only(app):
    with app.app_context():
        quota = key_quota(7, 2, 60)
        assert consume_quotas([quota], {"error": 1, "transaction": 50}) == []
        assert consume_quotas([quota], {"error": 1}) == []
        [exceeded] = consume_quotas([quota], {"error": 1, "transaction": 50})
    assert (exceeded.refused, exceeded.scope, exceeded.reason_code) == ({"error"}, "key", "key_quota")
    assert exceeded.categories == {"default", "error", "security"}  # what clients hold back
    assert isinstance(exceeded.retry_after, int) and 1 <= exceeded.retry_after <= 60


def test_a_category_refused_by_one_quota_counts_against_none(app):
    with app.app_context():
        key = key_quota(1, 5, 3600)
        org = Quota("o", "organization", "1", 3, 3600, reason_code="org_quota")
        assert [e.scope for e in consume_quotas([key, org], {"error": 4})] == ["organization"]
        assert consume_quotas([key, org], {"error": 3}) == []  # the 4 were not counted
        assert [e.scope for e in consume_quotas([key, org], {"error": 1})] == ["organization"]
        assert [e.reason_code for e in consume_quotas([key], {"error": 3})] == ["key_quota"]


def test_zero_refuses_all_and_none_only_counts(app):
    with app.app_context():
        closed = Quota("o", "organization", "2", 0, 60, frozenset({"replay"}), "disabled")
        counted = Quota("c", "project", "3", None, 60)
        [exceeded] = consume_quotas([counted, closed], {"replay": 1, "error": 1000})
        assert exceeded.refused == exceeded.categories == {"replay"}
        assert consume_quotas([counted], {"error": 10**6}) == []


def test_bad_quotas_are_refused():
    with pytest.raises(ValueError):
        Quota("o", "galaxy", "1", 1, 60)
    with pytest.raises(ValueError):
        Quota("o", "organization", "1", 1, 60, frozenset({"errors"}))
    assert key_quota(1, None, None) is None and key_quota(1, 0, 60) is None


def test_organization_quota_from_the_setting(make_app):
    app = make_app(INGEST_ORGANIZATION_QUOTA="3 per hour")
    with app.app_context():
        quota = organization_quota(9)
        assert (quota.limit, quota.window, quota.categories) == (3, 3600, frozenset())
        consume_quotas([quota], {"transaction": 2, "error": 1})
        assert {e.reason_code for e in consume_quotas([quota], {"attachment": 1})} == {"org_quota"}
    with make_app().app_context():
        assert organization_quota(9) is None


def test_header_as_the_sdk_parses_it(app):
    with app.app_context():
        key = key_quota(1, 1, 60)
        org = Quota("o", "organization", "1", 1, 3600, frozenset({"transaction"}), "org_quota")
        consume_quotas([key, org], {"error": 1, "transaction": 1})
        exceeded = consume_quotas([key, org], {"error": 1, "transaction": 1, "span": 1})
    header = rate_limits_header(exceeded)
    assert header.startswith(f"{exceeded[0].retry_after}:default;error;security:key:key_quota, ")
    assert header.endswith(":transaction:organization:org_quota")
    parsed = dict(_parse_rate_limits(header))
    assert set(parsed) == {"default", "error", "security", "transaction"}
    all_categories = Quota("o", "organization", "1", 0, 60, reason_code="disabled")
    with app.app_context():
        header = rate_limits_header(consume_quotas([all_categories], {"span": 1}))
    assert header == "60::organization:disabled"
    assert list(_parse_rate_limits(header))[0][0] is None  # the SDK: every category
    records = rate_limited_outcomes(exceeded, {"error": 1, "transaction": 1, "span": 1},
                                    organization_id=1, project_id=2, key_id=3)
    assert [(r.outcome, r.category, r.reason) for r in records] == [
        (Outcome.RATE_LIMITED, "error", "key_quota"),
        (Outcome.RATE_LIMITED, "transaction", "org_quota"),
    ]


def test_outcomes_are_sentrys_names():
    assert list(Outcome) == ["accepted", "filtered", "rate_limited", "invalid", "abuse",
                             "client_discard", "cardinality_limited"]
    assert Outcome("rate_limited") is Outcome.RATE_LIMITED


def test_outcomes_go_to_every_plugin_with_the_hook(make_app):
    from sentryapi.api import OutcomeRecord, record_outcomes
    from sentryapi.plugins import Plugin

    app = make_app()
    taken = []
    registry = app.extensions["sentryapi.plugins"]
    registry.add(Plugin("probe-stats", hooks={"record_outcomes": lambda records: taken.extend(records) or 1}))
    takers = len(registry.implementers("record_outcomes"))  # others may count too
    record = OutcomeRecord(Outcome.RATE_LIMITED, "error", 3, organization_id=1, project_id=2,
                           reason="key_quota")
    with app.app_context():
        assert record_outcomes([record]) == takers
        assert record_outcomes([]) == 0
    assert taken == [record] and record.outcome == "rate_limited"


def test_quotas_in_redis_are_shared_by_every_process(make_app, redis_prefix):
    apps = [make_app(REDIS_URL=redis_url(), RATELIMIT_KEY_PREFIX=redis_prefix) for _ in range(2)]
    quota = key_quota(11, 3, 60)
    refused = []
    for n in range(6):
        with apps[n % 2].app_context():
            refused.append(bool(consume_quotas([quota], {"error": 1})))
    assert refused == [False] * 3 + [True] * 3


def test_quotas_fail_open_without_redis(make_app, caplog):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{port}/0")
    caplog.set_level(logging.WARNING)
    with app.app_context():
        results = [consume_quotas([key_quota(1, 100, 60)], {"error": 1}) for _ in range(20)]
    assert results == [[]] * 20
    assert [r.getMessage()[:30] for r in caplog.records] == ["Redis for ingestion quotas unr"]


ITEM_CATEGORIES = {"event": "error", "transaction": "transaction", "client_report": "internal"}


def _envelope_items(body: bytes):
    """(item type, payload) of an envelope; enough of the format for this test."""
    lines = body.split(b"\n", 1)[1]
    while lines.strip():
        header, rest = lines.split(b"\n", 1)
        item = json.loads(header)
        length = item.get("length")
        if length is None:
            payload, _, lines = rest.partition(b"\n")
        else:
            payload, lines = rest[:length], rest[length + 1:]
        yield item["type"], json.loads(payload)


class EnvelopeProbe:
    """A stand-in ingest endpoint: a key quota of 2 errors a minute, answering like Relay."""

    def __init__(self, app):
        self.received: list[tuple[str, dict]] = []
        self.statuses: list[int] = []
        app.add_url_rule("/api/<int:project_id>/envelope/", "probe_envelope", self.ingest,
                         methods=["POST"])

    def ingest(self, project_id):
        body = request.get_data()
        if request.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        items = list(_envelope_items(body))
        quantities = {}
        for kind, _ in items:
            category = ITEM_CATEGORIES.get(kind, "default")
            quantities[category] = quantities.get(category, 0) + 1
        exceeded = consume_quotas([key_quota(project_id, 2, 60)], quantities)
        refused = {c for e in exceeded for c in e.refused}
        self.received += [(k, p) for k, p in items if ITEM_CATEGORIES.get(k) not in refused]
        if exceeded:
            self.statuses.append(429)
            response = jsonify({"detail": "event submission rejected with_reason: key_quota"})
            response.status_code = 429
            response.headers["X-Sentry-Rate-Limits"] = rate_limits_header(exceeded)
            response.headers["Retry-After"] = str(max(e.retry_after for e in exceeded))
            return response
        self.statuses.append(200)
        return {"id": items[0][1].get("event_id", "") if items else ""}


@pytest.mark.slow
def test_the_real_sdk_backs_off_on_our_header(make_app):
    app = make_app(DISABLED_PLUGINS=["events", "stats", "alerts", "monitors", "sourcemaps", "discover"])  # the probe stands in for ingestion
    probe = EnvelopeProbe(app)
    with serve(app) as server:
        dsn = f"http://{'a' * 32}@127.0.0.1:{server.server_port}/42"
        # gzip: the probe decodes only that (the SDK prefers br when brotli is installed).
        sentry_sdk.init(dsn=dsn, default_integrations=False, traces_sample_rate=1.0,
                        send_client_reports=True,
                        _experiments={"transport_compression_algo": "gzip"})
        try:
            for n in range(5):
                sentry_sdk.capture_message(f"message {n}")
                sentry_sdk.flush(timeout=5)
            with sentry_sdk.start_transaction(name="still sent"):
                pass
        finally:
            sentry_sdk.get_client().close(timeout=5)
            sentry_sdk.get_global_scope().set_client(None)
    events = [p for k, p in probe.received if k == "event"]
    assert [e["message"] if "message" in e else e["logentry"]["message"] for e in events] == [
        "message 0", "message 1"]
    assert probe.statuses[:3] == [200, 200, 429]
    assert set(probe.statuses[3:]) == {200}  # no error event was tried again
    assert [p["transaction"] for k, p in probe.received if k == "transaction"] == ["still sent"]
    reports = [p for k, p in probe.received if k == "client_report"]
    backed_off = sum(d["quantity"] for r in reports for d in r["discarded_events"]
                     if (d["reason"], d["category"]) == ("ratelimit_backoff", "error"))
    assert backed_off == 2  # messages 3 and 4, dropped by the SDK and reported
