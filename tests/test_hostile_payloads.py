"""Hostile payloads on every API and ingest endpoint: a clear 4xx, never a 5xx.

Oversized bodies (413), compression bombs (413, fast, memory bounded), deeply nested
JSON (400), invalid UTF-8, huge headers, absurd ``per_page`` and cursors, and broken
search syntax, sent to every operation of the route map.
"""

from __future__ import annotations

import json
import re
import time
import tracemalloc
import zlib

import brotli
import pytest

from sentryapi.probes import (
    WRITE_METHODS,
    ProbeContext,
    api_operations,
    arguments,
    fill,
    load_probes,
    make_all,
)

TOO_LARGE = {"detail": "Request body is too large."}
DEEP = 100_000
ABSURD_PAGES = ["0", "-1", "101", "1" + "0" * 30, "abc", "1.5", " ", "1e3", "0x10"]
ABSURD_CURSORS = ["x", "9" * 400, "1:2:3:4", "-1:-1:0", "1e309:0:0", "nan:0:0", "0:99999999999999999999:0",
                  "\u0663:0:0", "a\x00b", ":::", "0:0:2", "0:-5:1"]
BAD_QUERIES = ['"unterminated', "key:[a, b", "!:", ":value", "level:>", "firstSeen:>notadate",
               "times_seen:>1e400", "a" * 5000, "is:", "has:", "\\", "*" * 300, "key:" + "[" * 50,
               'release:"\\"', "a\x00b", "age:-99999999999999999999d"]


#: For checks that end before any query (body, header and encoding limits): one backend.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def ctx(app, owner):
    load_probes(app)
    context = ProbeContext(app, owner)
    make_all(context, app)
    return context


def operations(app, ctx, methods):
    for rule, method, cls in api_operations(app):
        if method in methods:
            yield rule, method, cls, fill(rule, arguments(ctx, rule))


def paginated_lists(app, ctx):
    """``(rule, path, per_page parameter)`` of every cursor-paginated list."""
    for rule, _method, cls, path in operations(app, ctx, ("GET",)):
        if getattr(cls.get, "sentryapi_paginated", False):
            yield rule, path, cls.get._apidoc["cursor_pagination"]["per_page_param"]


@sqlite_only
def test_oversized_bodies_are_413_on_every_write(app, ctx, figure):
    api = ctx.api.unchecked()
    count = 0
    bodies = {}
    for rule, method, cls, path in operations(app, ctx, (*WRITE_METHODS, "DELETE")):
        limit = cls.max_body_size(app.config)  # API_MAX_BODY_SIZE, or an upload view's own
        body = bodies.setdefault(limit, json.dumps({"name": "x" * (limit + 10)}))
        response = api.request(method, path, data=body, headers={"Content-Type": "application/json"})
        assert (response.status_code, response.json) == (413, TOO_LARGE), (method, rule)
        count += 1
    figure(f"oversized bodies: {count} operations with POST/PUT/DELETE answer 413")


@sqlite_only
def test_bodies_that_are_not_json_objects_are_4xx(app, ctx):
    api = ctx.api.unchecked()
    bodies = [b"\xff\xfe{\"name\": 1}", b"[" * DEEP + b"]" * DEEP, b"{" * DEEP, b"null",
              b"1e999999", b'"just a string"', b'{"a": ' * DEEP]
    for rule, method, cls, path in operations(app, ctx, WRITE_METHODS):
        if not takes_body(app, rule, method):
            continue  # the body is not read (a 413 still applies, see above)
        if method in cls.multipart_methods:  # an upload: any JSON body is the wrong type
            for body in bodies:
                response = api.request(method, path, data=body, headers={"Content-Type": "application/json"})
                assert response.status_code == 415 and "detail" in response.json, (method, rule)
            continue
        for body in bodies:
            response = api.request(method, path, data=body, headers={"Content-Type": "application/json"})
            assert 400 <= response.status_code < 500, (method, rule, body[:20], response.status_code)
            assert "detail" in response.json, (method, rule)
        deep = api.request(method, path, data=b"[" * DEEP + b"]" * DEEP,
                           headers={"Content-Type": "application/json"})
        assert deep.status_code == 400, (method, rule, deep.json)


def test_strings_no_database_can_hold_are_400(app, ctx):
    """A NUL, a lone surrogate or invalid UTF-8 in any string field a write reads."""
    api = ctx.api.unchecked()
    checked = 0
    for rule, method, _cls, path in operations(app, ctx, WRITE_METHODS):
        for name in string_fields(app, rule, method):
            for raw in (b'"a\\u0000b"', b'"\\ud800"', b'"\xc3\x28"', b'"\\udfff x"'):
                body = b'{"' + name.encode() + b'": ' + raw + b"}"
                response = api.request(method, path, data=body, headers={"Content-Type": "application/json"})
                assert response.status_code == 400, (method, rule, name, raw, response.status_code)
                checked += 1
    assert checked >= 40


def string_fields(app, rule: str, method: str) -> list[str]:
    from sentryapi.contract import openapi_path

    document = app.extensions["sentryapi.api"].internal_document()
    body = document["paths"][openapi_path(rule)][method.lower()].get("requestBody")
    if not body:
        return []
    if "application/json" not in body["content"]:
        return []  # an upload (multipart): its fields are checked by its own tests
    schema = body["content"]["application/json"]["schema"]
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return [name for name, prop in schema.get("properties", {}).items()
            if prop.get("type") == "string" and not prop.get("enum") and not prop.get("readOnly")]


def takes_body(app, rule: str, method: str) -> bool:
    from sentryapi.contract import openapi_path

    document = app.extensions["sentryapi.api"].internal_document()
    return "requestBody" in document["paths"][openapi_path(rule)][method.lower()]


@sqlite_only
def test_compressed_bodies_are_not_inflated_by_the_api(app, ctx):
    """The API takes JSON as sent; an encoded body is not JSON (and is never inflated)."""
    bomb = zlib.compress(b"\0" * (64 * 1024 * 1024), 9)
    api = ctx.api.unchecked()
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    for rule, method, _cls, path in operations(app, ctx, WRITE_METHODS):
        response = api.request(method, path, data=bomb, headers=headers)
        low = 400 if takes_body(app, rule, method) else 200  # the others do not read it
        assert low <= response.status_code < 500, (method, rule, response.status_code)
    tracemalloc.start()
    for encoding in ("gzip", "deflate", "br"):
        response = api.post("/api/0/organizations/", data=bomb, headers={**headers, "Content-Encoding": encoding})
        assert response.status_code == 400, (encoding, response.json)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


@sqlite_only
def test_huge_and_broken_headers_are_4xx(app, ctx):
    api = ctx.api.unchecked()
    token = ctx.api.token
    cases = [
        {"Authorization": "Bearer " + "x" * 100_000},
        {"Authorization": "Bearer " + token + "x" * 100_000},
        {"Authorization": "Basic " + "=" * 10_000},
        {"Authorization": "Bearer \udcff".encode("utf-8", "surrogateescape").decode("latin-1")},
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json; charset=" + "x" * 10_000},
        {"Authorization": f"Bearer {token}", "X-Forwarded-For": ", ".join(["1.2.3.4"] * 5000)},
        {"Authorization": f"Bearer {token}", "Origin": "https://" + "a" * 50_000},
    ]
    for headers in cases:
        for rule, method, _cls, path in operations(app, ctx, ("GET", "PUT")):
            response = api.client.open(path, method=method, headers=headers, data=b"{}")
            assert response.status_code < 500, (method, rule, list(headers), response.status_code)


def test_absurd_per_page_and_cursors_are_400_on_every_list(app, ctx, figure):
    api = ctx.api.unchecked()
    checked = 0
    for rule, path, per_page in paginated_lists(app, ctx):
        joiner = "&" if "?" in path else "?"
        for value in ABSURD_PAGES:
            response = api.get(f"{path}{joiner}{per_page}={value}")
            assert response.status_code == 400, (rule, value, response.status_code, response.json)
        response = api.get(f"{path}{joiner}{per_page}=101")
        assert response.json["detail"] == f"Invalid {per_page} value. Must be between 1 and 100.", rule
        for cursor in ABSURD_CURSORS:
            response = api.get(f"{path}{joiner}cursor={cursor}")
            # int() reads any Unicode digit, as Sentry's cursor parser does: '\u0663' is 3.
            expected = 200 if cursor == "\u0663:0:0" else 400
            assert response.status_code == expected, (rule, cursor, response.status_code, response.json)
        checked += 1
    assert checked >= 15
    figure(f"pagination: {checked} lists x {len(ABSURD_PAGES) + 1} absurd per_page (400) and "
           f"{len(ABSURD_CURSORS)} broken cursors (400; 200 for a Unicode digit): 0 5xx")


def query_parameters(app, rule: str) -> dict[str, dict]:
    """The list's query parameters -> their schemas."""
    from sentryapi.contract import openapi_path

    document = app.extensions["sentryapi.api"].internal_document()
    operation = document["paths"][openapi_path(rule)]["get"]
    return {p["name"]: p.get("schema", {}) for p in operation.get("parameters", []) if p.get("in") == "query"}


def broken_query_answer(response, query: str, max_length: int | None) -> bool:
    """Whether a list answered a broken ``query=`` as it must: too long for the list is a
    400; syntax Sentry reads as free text (``!:``, ``:value``, ``\\``, wildcards) matches
    nothing (200, []); the rest is a 400 saying why. ``release:`` is a key of the lists
    that know releases (200) and unsupported elsewhere (400)."""
    if max_length is not None and len(query) > max_length:
        return response.status_code == 400 and "maximum length" in response.json["detail"]
    if query in FREE_TEXT_QUERIES or (query == "a" * 5000):
        return response.status_code == 200
    if query.startswith("release:") and response.status_code == 200:
        return True
    return response.status_code == 400 and response.json["detail"]


#: Broken-looking queries that Sentry's grammar reads as free text.
FREE_TEXT_QUERIES = {"!:", ":value", "\\", "*" * 300}


def broken_filter_answer(rule: str, name: str, value: str) -> int:
    """What a list answers a broken value of one of its filters."""
    if value == "\x00":
        return 400  # NUL is refused in every parameter
    if name in ("environment", "shortIdLookup", "detailed"):
        return 200  # a name that matches nothing (detailed: anything but "0" means yes)
    if name == "project":
        # Issue and monitor lists take project ids or slugs (an unknown one matches
        # nothing); releases take numeric ids only.
        return 200 if "/issues/" in rule or "/monitors/" in rule or value.isdigit() else 400
    if name in ("checksum", "debug_id", "code_id") and re.fullmatch(r"[0-9a-f-]{1,64}", value):
        return 200  # a well-formed identifier (hex digits) that matches nothing
    if name == "team":
        return 400 if len(value) > 50 else 404  # longer than any slug: invalid; else unknown
    return 400  # a typed parameter (dates, periods, sorts, statuses, ids)


def test_broken_search_syntax_is_never_a_server_error(app, ctx, figure):
    """Each list's own query parameters (the others are ignored), broken every way."""
    api = ctx.api.unchecked()
    sent = 0
    for rule, path, _per_page in paginated_lists(app, ctx):
        joiner = "&" if "?" in path else "?"
        parameters = query_parameters(app, rule)
        max_length = parameters.get("query", {}).get("maxLength")
        fragments = parameters.get("query", {}).get("type") == "array"  # names, not search syntax
        for query in BAD_QUERIES if "query" in parameters else ():
            response = api.get(f"{path}{joiner}query={query}")
            if fragments:
                longest = parameters["query"].get("items", {}).get("maxLength", len(query))
                expected = 400 if "\x00" in query or len(query) > longest else 200
                assert response.status_code == expected, (rule, query, response.status_code)
            else:
                assert broken_query_answer(response, query, max_length), (rule, query, response.status_code)
            sent += 1
        for name in sorted(set(parameters) - {"query", "cursor", "per_page", "limit"}):
            for value in ("\x00", "9" * 40, "-1d" * 100, "%ff"):
                response = api.get(f"{path}{joiner}{name}={value}")
                expected = broken_filter_answer(rule, name, value)
                assert response.status_code == expected, (rule, name, value, response.status_code)
                sent += 1
    assert sent >= 100
    figure(f"search syntax and filters: {sent} broken query parameters over the lists: 0 5xx")


def test_invalid_utf8_in_urls_is_4xx(app, ctx):
    api = ctx.api.unchecked()
    for rule, method, _cls, path in operations(app, ctx, ("GET", "DELETE")):
        for broken in (path.rstrip("/") + "%ff%fe/", path + "?query=%ff%fe&cursor=%c3%28"):
            response = api.request(method, broken)
            assert response.status_code < 500, (method, rule, broken, response.status_code)


def _bomb(encoding: str, size: int = 64 * 1024 * 1024) -> bytes:
    """``size`` zero bytes compressed (a few KB to a few tens of KB on the wire)."""
    zeros = b"\0" * (1024 * 1024)
    if encoding == "br":
        compressor = brotli.Compressor(quality=5)
        return b"".join(compressor.process(zeros) for _ in range(size // len(zeros))) + compressor.finish()
    wbits = {"gzip": 31, "deflate": 15}[encoding]
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    once = b"".join(compressor.compress(zeros) for _ in range(size // len(zeros))) + compressor.flush()
    return zlib.compress(once, 9) if encoding == "deflate" else once


@pytest.fixture(scope="module")
def bombs():
    return {encoding: _bomb(encoding) for encoding in ("gzip", "deflate", "br")}


@sqlite_only
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
@pytest.mark.parametrize("endpoint", ["envelope", "store"])
def test_ingest_compression_bombs_are_413_fast_with_bounded_memory(app, ctx, bombs, encoding, endpoint,
                                                                   figure):
    key = ctx.need("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/keys/<key_id>/")
    project = ctx.need("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/")
    body = bombs[encoding]
    header = "deflate, deflate" if encoding == "deflate" else encoding
    tracemalloc.start()
    # CPU time of this thread (the test client serves the request in it), not wall time: the
    # bound says "stops inflating at the limit" whatever else the machine is running.
    started = time.thread_time()
    response = ctx.api.client.post(f"/api/{project['project_id']}/{endpoint}/", data=body, headers={
        "X-Sentry-Auth": f"Sentry sentry_key={key['public_key']}, sentry_version=7",
        "Content-Encoding": header, "Content-Type": "application/x-sentry-envelope"})
    elapsed = time.thread_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(body) < 100_000
    assert response.status_code == 413, (response.status_code, response.json)
    assert elapsed < 1.0
    assert peak < app.config["EVENTS_MAX_ENVELOPE_SIZE"] + 10 * 1024 * 1024
    figure(f"{encoding} bomb to /{endpoint}/: {len(body):,} bytes inflating to 64 MiB -> 413 in "
           f"{elapsed * 1000:.0f} ms of CPU, {peak / 2**20:.0f} MiB peak (limit "
           f"{app.config['EVENTS_MAX_ENVELOPE_SIZE'] // 2**20} MiB)")


def test_hostile_ingest_bodies_are_4xx(app, ctx):
    key = ctx.need("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/keys/<key_id>/")
    project = ctx.need("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/")
    auth = {"X-Sentry-Auth": f"Sentry sentry_key={key['public_key']}, sentry_version=7"}
    deep = b"[" * DEEP + b"]" * DEEP
    item = b'{"type":"event","length":%d}\n'
    bodies = [
        b"{}\n" + item % len(deep) + deep + b"\n",
        b"{}\n" + item % 14 + b'{"m": "\xc3\x28"}\n',
        b"\xff\xfe\n",
        b'{"event_id": "' + b"f" * 10_000 + b'"}\n' + item % 2 + b"{}\n",
        b"{}\n" + b'{"type":"event","length":999999999999999999999}\n{}\n',
        b"{}\n" + b'{"type":"event","length":-5}\n{}\n',
        b"{}\n" + b"{" * DEEP + b"\n",
    ]
    for endpoint in ("envelope", "store"):
        for body in bodies:
            response = ctx.api.client.post(f"/api/{project['project_id']}/{endpoint}/", data=body,
                                           headers=auth)
            assert 400 <= response.status_code < 500, (endpoint, body[:40], response.status_code)
    for headers in ({"X-Sentry-Auth": "Sentry sentry_key=" + "a" * 100_000},
                    {"X-Sentry-Auth": "Sentry sentry_key=\xff\xfe\x00, sentry_version=7"},
                    {**auth, "Content-Encoding": "\xff"},
                    {"X-Sentry-Auth": "Sentry " + ", ".join(["x=y"] * 10_000)},
                    {**auth, "Content-Encoding": "gzip, " * 1000}):
        response = ctx.api.client.post(f"/api/{project['project_id']}/envelope/", data=b"{}\n",
                                       headers=headers)
        assert 400 <= response.status_code < 500, (list(headers), response.status_code)
    for path in ("/api/99999999999999999999999/envelope/", "/api/%ff/store/", "/api/-1/envelope/"):
        assert 400 <= ctx.api.client.post(path, data=b"{}\n", headers=auth).status_code < 500
