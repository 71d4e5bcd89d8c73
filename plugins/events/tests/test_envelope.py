"""The envelope parser: the spec's examples (golden), malformed input, and random bytes (fuzz)."""

from __future__ import annotations

import json
import random

import pytest
from sentryapi_events.ingest.envelope import parse
from sentryapi_events.ingest.errors import BadRequest, IngestError, TooLarge

GOLDEN = {
    "implicit length, trailing newline": (
        b'{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc"}\n{"type":"event"}\n{"message":"hi"}\n',
        [("event", b'{"message":"hi"}')]),
    "implicit length, no trailing newline": (
        b'{}\n{"type":"event"}\n{"message":"hi"}', [("event", b'{"message":"hi"}')]),
    "length with \\r\\n inside the payload": (
        b'{}\n{"type":"attachment","length":10}\n\xef\xbb\xbfHello\r\n\n',
        [("attachment", b"\xef\xbb\xbfHello\r\n")]),
    "empty attachments": (
        b'{}\n{"type":"attachment","length":0}\n\n{"type":"attachment","length":0}\n\n',
        [("attachment", b""), ("attachment", b"")]),
    "headers only": (b'{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc"}\n', []),
    "headers only, no newline": (b'{}', []),
    "length at the very end": (b'{}\n{"type":"session","length":2}\n{}', [("session", b"{}")]),
    "unknown item type kept": (b'{}\n{"type":"novel_thing","length":3}\nabc\n',
                               [("novel_thing", b"abc")]),
    "implicit empty payload": (b'{}\n{"type":"attachment"}\n\n', [("attachment", b"")]),
}


@pytest.mark.parametrize("name", list(GOLDEN))
def test_golden(name):
    data, expected = GOLDEN[name]
    envelope = parse(data)
    assert [(item.type, item.payload) for item in envelope.items] == expected


def test_headers_are_kept():
    envelope = parse(b'{"event_id":"abc","sdk":{"name":"x"},"dsn":"http://k@h/1"}\n')
    assert envelope.headers["sdk"] == {"name": "x"}
    assert envelope.headers["dsn"] == "http://k@h/1"


MALFORMED = [
    b"",
    b"\n\n",
    b"nope\n",
    b'{"a":1}{"b":2}\n',
    b'"string"\n',
    b'{}\n{"type":"event","length":10}\n{}\n',
    b'{}\n{"type":"event","length":2}\n{}garbage\n',
    b'{}\n{"type":"event","length":-1}\n{}\n',
    b'{}\n{"type":"event","length":"2"}\n{}\n',
    b'{}\n{"type":"event","length":true}\n{}\n',
    b'{}\n{"type":""}\n{}\n',
    b'{}\n{"type":7}\n{}\n',
    b'{}\n[]\n',
    b'{"sent_at":"2026-01-01T00:00:00Z","sent_at":"2026-01-01T00:00:01Z"}\n',
    b'\xff\xfe\n',
]


@pytest.mark.parametrize("data", MALFORMED)
def test_malformed_is_400(data):
    with pytest.raises(BadRequest):
        parse(data)


def test_item_over_its_limit_is_413():
    payload = json.dumps({"x": "y" * 5000}).encode()
    data = b'{}\n' + json.dumps({"type": "client_report", "length": len(payload)}).encode() + b"\n" + payload
    with pytest.raises(TooLarge) as caught:
        parse(data)
    assert caught.value.status == 413
    assert "client_report" in caught.value.detail


def test_fuzz_never_raises_anything_but_an_ingest_error():
    rng = random.Random(4)
    seeds = [g[0] for g in GOLDEN.values()] + MALFORMED
    alphabet = b'{}[]":,\n\r\\ 0123456789abcdefghijklmnopqrstuvwxyz\x00\xff'
    for _ in range(3000):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 6)):
            action = rng.random()
            position = rng.randint(0, len(data))
            if action < 0.4:
                data[position:position] = bytes([rng.choice(alphabet)])
            elif action < 0.8 and data:
                del data[min(position, len(data) - 1)]
            else:
                data[position:position] = rng.choice(seeds)
        try:
            envelope = parse(bytes(data))
        except IngestError as error:
            assert error.status in (400, 413)
        else:
            assert all(isinstance(item.payload, bytes) for item in envelope.items)
