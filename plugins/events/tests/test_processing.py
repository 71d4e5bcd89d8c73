"""Decompression limits, normalization and fingerprints (no server needed)."""

from __future__ import annotations

import datetime as dt
import gzip
import zlib

import brotli
import pytest
import zstandard
from sentryapi_events.digest.derived import event_tags
from sentryapi_events.digest.grouping import group_hash
from sentryapi_events.digest.normalize import normalize
from sentryapi_events.ingest.decompress import decode
from sentryapi_events.ingest.errors import BadRequest, TooLarge, UnsupportedEncoding
from sentryapi_events.testing import exception_event

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
ENCODERS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": lambda data: zstandard.ZstdCompressor().compress(data),
}


@pytest.mark.parametrize("encoding", list(ENCODERS))
def test_round_trip_and_limit(encoding):
    data = b"hello world " * 1000
    assert decode(ENCODERS[encoding](data), encoding, 1_000_000) == data
    with pytest.raises(TooLarge):
        decode(ENCODERS[encoding](data), encoding, 5000)


@pytest.mark.parametrize("encoding", list(ENCODERS))
def test_corrupt_or_truncated_is_400(encoding):
    encoded = ENCODERS[encoding](b"hello world " * 100)
    with pytest.raises(BadRequest):
        decode(encoded[: len(encoded) // 2], encoding, 1_000_000)
    with pytest.raises(BadRequest):
        decode(b"definitely not compressed", encoding, 1_000_000)


def test_raw_deflate_and_identity_and_unknown():
    raw = zlib.compressobj(wbits=-15)
    body = raw.compress(b"abc") + raw.flush()
    assert decode(body, "deflate", 100) == b"abc"
    assert decode(b"abc", "identity", 100) == b"abc"
    with pytest.raises(UnsupportedEncoding):
        decode(b"abc", "lzma", 100)


def make(data: dict, **kwargs) -> dict:
    return normalize(data, event_id="a" * 32, received=NOW, **kwargs)


def test_normalize_survives_wrong_types():
    event = make({"timestamp": "yesterday", "level": 5, "platform": ["x"], "tags": "nope",
                  "user": [], "exception": {"values": [1, {"type": 2}]}, "message": {"a": 1},
                  "breadcrumbs": 3, "contexts": {"os": "linux"}, "fingerprint": [None]})
    assert event["level"] == "error" and event["platform"] == "other"
    assert event["timestamp"] == NOW.timestamp()
    assert event["errors"][0]["name"] == "timestamp"
    assert event["title"] == "2"  # the type, made a string; the value is absent


def test_timestamps_are_clamped():
    future = make({"timestamp": (NOW + dt.timedelta(hours=1)).timestamp()})
    past = make({"timestamp": (NOW - dt.timedelta(days=60)).isoformat()})
    fine = make({"timestamp": (NOW - dt.timedelta(minutes=5)).isoformat()})
    assert future["timestamp"] == past["timestamp"] == NOW.timestamp()
    assert fine["timestamp"] == (NOW - dt.timedelta(minutes=5)).timestamp()


def test_message_formatting_levels_and_user():
    event = make({"logentry": {"message": "User %s failed", "params": ["bob"]}, "level": "warn",
                  "user": {"ip_address": "{{auto}}", "email": "bob@example.com"}},
                 remote_addr="10.0.0.1")
    assert event["logentry"] == {"formatted": "User bob failed", "message": "User %s failed",
                                 "params": ["bob"]}
    assert event["title"] == "User bob failed"
    assert event["level"] == "warning"
    assert event["user"]["ip_address"] == "10.0.0.1"
    assert ["user", "email:bob@example.com"] in event_tags(event)


def test_exception_title_culprit_and_tags():
    event = make(exception_event(release="1.0", environment="prod",
                                 contexts={"runtime": {"name": "CPython", "version": "3.11.7"}}))
    assert event["type"] == "error"
    assert event["title"] == "KeyError: 'missing'"
    assert event["culprit"] == "app.jobs in boom"
    assert event["metadata"]["function"] == "boom"
    tags = dict(event_tags(event))
    assert tags["release"] == "1.0" and tags["handled"] == "yes"
    assert tags["runtime"] == "CPython 3.11.7" and tags["level"] == "error"


def test_same_error_in_other_lines_groups_together():
    one = exception_event(value="'a'")
    two = exception_event(value="'b'")
    two["exception"]["values"][0]["stacktrace"]["frames"][1]["lineno"] = 99
    assert group_hash(make(one)) == group_hash(make(two))


def test_different_function_or_type_groups_apart():
    base = group_hash(make(exception_event()))
    assert group_hash(make(exception_event(function="other"))) != base
    assert group_hash(make(exception_event("ValueError"))) != base


def test_messages_group_by_template():
    one = make({"logentry": {"message": "User %s failed", "params": ["a"]}})
    two = make({"logentry": {"message": "User %s failed", "params": ["b"]}})
    other = make({"message": "something else"})
    assert group_hash(one) == group_hash(two) != group_hash(other)


def test_custom_fingerprints():
    plain = make(exception_event(fingerprint=["payments"]))
    other_error = make(exception_event("ValueError", fingerprint=["payments"]))
    assert group_hash(plain) == group_hash(other_error)
    with_default = make(exception_event(fingerprint=["{{ default }}", "tenant-1"]))
    with_default_2 = make(exception_event(fingerprint=["{{default}}", "tenant-2"]))
    assert group_hash(with_default) != group_hash(with_default_2)
    assert group_hash(with_default) != group_hash(make(exception_event()))
