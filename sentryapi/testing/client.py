"""The API client tests call the app with: bearer tokens, JSON bodies, and every response of a
public operation checked against the published OpenAPI document."""

from __future__ import annotations

import json as jsonlib
import re

from .summary import contract


class ApiClient:
    """The Flask test client with a bearer token and JSON bodies.

    Every response of a public operation is checked against the published OpenAPI
    document (status listed, body valid); ``unchecked()`` gives a client that skips it,
    for a test that deliberately goes outside the contract.
    """

    def __init__(self, client, token: str | None = None, *, check_contract: bool = True):
        self.client = client
        self.token = token
        self.check_contract = check_contract

    def request(self, method: str, path: str, json=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        if json is not None:
            kwargs["data"] = jsonlib.dumps(json)
            headers.setdefault("Content-Type", "application/json")
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        if self.check_contract:
            contract().check(self.client.application, method, path, response)
        return response

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def delete(self, path, json=None, **kw):
        return self.request("DELETE", path, json=json, **kw)

    def as_(self, token: str | None) -> ApiClient:
        return ApiClient(self.client, token, check_contract=self.check_contract)

    def unchecked(self) -> ApiClient:
        return ApiClient(self.client, self.token, check_contract=False)


def follow_links(api, url: str, max_pages: int = 1000):
    """Walk a list through its ``rel="next"`` links; return (pages, link headers)."""
    pages, links = [], []
    for _ in range(max_pages):
        response = api.get(url)
        assert response.status_code == 200, response.json
        pages.append(response.json)
        link = response.headers["Link"]
        links.append(link)
        match = re.search(r'<([^>]+)>; rel="next"; results="(true|false)"', link)
        if match.group(2) == "false":
            return pages, links
        url = "/" + match.group(1).split("://", 1)[1].split("/", 1)[1]
    raise AssertionError("pagination did not end")


def schema_errors(openapi_schema: dict, body, limit: int = 10) -> list[str]:
    """Where ``body`` breaks an OpenAPI 3.0 response schema: ``["path: message", ...]``."""
    from sentryapi.conformance import schema_errors as errors

    return errors(openapi_schema, body, limit)


def walk_sorted(api, url: str, sort: str, key, identity: str = "id") -> list:
    """The rows of a list sorted by ``sort``, checked: in ``key`` order (descending for a
    ``-`` sort), and walked one row per page the same rows come back once each, in order."""
    joiner = "&" if "?" in url else "?"
    whole = api.get(f"{url}{joiner}sort={sort}&per_page=100")
    assert whole.status_code == 200, whole.json
    keys = [key(row) for row in whole.json]
    assert keys == sorted(keys, reverse=sort.startswith("-")), (sort, keys)
    pages, _ = follow_links(api, f"{url}{joiner}sort={sort}&per_page=1")
    walked = [row for page in pages for row in page]
    assert [row[identity] for row in walked] == [row[identity] for row in whole.json], sort
    return whole.json
