"""The breaking-change check: the committed openapi/public.json against the code."""

from __future__ import annotations

import json
import warnings
from copy import deepcopy
from pathlib import Path

import pytest

from sentryapi.openapi.compat import compare

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "public.json"


class SpecOutOfDate(UserWarning):
    """The committed document lacks additions; ``make spec`` updates it."""


def test_the_published_api_keeps_its_contract(spec_app):
    committed = json.loads(COMMITTED.read_text())
    current = spec_app.extensions["sentryapi.api"].published_document()
    report = compare(committed, current)
    assert not report.breaks, report.message("openapi/public.json")
    if current != committed:
        warnings.warn(SpecOutOfDate(
            report.message("openapi/public.json") if report.additions else
            "openapi/public.json differs from the code (text, examples or errors): run `make spec` and commit it"
        ), stacklevel=1)


# -- the checker itself, on a small document --------------------------------------------------

def _document() -> dict:
    owner = {"type": "object", "properties": {"name": {"type": "string"}, "id": {"type": "string"}}}
    widget = {"type": "object", "properties": {
        "id": {"type": "string"},
        "dateCreated": {"type": "string", "format": "date-time"},
        "owner": {"$ref": "#/components/schemas/Owner"},
        "tags": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "string"}}}},
    }}
    create = {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}, "color": {"type": "string", "enum": ["red", "blue"]},
        "size": {"type": "integer"},
    }}
    return {
        "openapi": "3.0.3", "info": {"title": "t", "version": "0"},
        "paths": {
            "/w/{org}/": {
                "parameters": [{"in": "path", "name": "org", "required": True, "schema": {"type": "string"}}],
                "get": {
                    "parameters": [{"in": "query", "name": "query", "schema": {"type": "string"}}],
                    "security": [{"auth_token": ["org:read", "org:write"]}],
                    "responses": {"200": {"description": "OK", "headers": {"Link": {"schema": {"type": "string"}}},
                                          "content": {"application/json": {"schema": {
                                              "type": "array", "items": {"$ref": "#/components/schemas/Widget"}}}}}},
                },
                "post": {
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/WidgetCreate"}}}},
                    "responses": {"201": {"description": "Created", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Widget"}}}}},
                },
            },
            "/w/{org}/{id}/": {"delete": {"responses": {"204": {"description": "gone"}}}},
        },
        "components": {"schemas": {"Widget": widget, "Owner": owner, "WidgetCreate": create}},
    }


def _breaks(change) -> list[str]:
    old = _document()
    new = deepcopy(old)
    change(new)
    return compare(old, new).breaks


LIST = "GET /w/{org}/"
CREATE = "POST /w/{org}/"


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["paths"].pop("/w/{org}/{id}/"), "/w/{org}/{id}/: path removed"),
    (lambda d: d["paths"]["/w/{org}/"].pop("post"), f"{CREATE}: operation removed"),
    (lambda d: d["paths"]["/w/{org}/"]["get"].pop("parameters"), f"{LIST}: query parameter `query` removed"),
    (lambda d: d["paths"]["/w/{org}/"]["get"]["parameters"][0].update(required=True),
     f"{LIST}: query parameter `query` is now required"),
    (lambda d: d["paths"]["/w/{org}/"]["get"]["parameters"][0].update(schema={"type": "integer"}),
     f"{LIST}: query parameter `query` retyped from string to integer"),
    (lambda d: d["components"]["schemas"]["Owner"]["properties"].pop("name"),
     f"{LIST}: response 200: attribute `[].owner.name` removed"),  # and in POST's 201
    (lambda d: d["components"]["schemas"]["Widget"]["properties"]["tags"]["items"]["properties"].pop("key"),
     f"{CREATE}: response 201: attribute `tags[].key` removed"),
    (lambda d: d["components"]["schemas"]["Widget"]["properties"].update(id={"type": "integer"}),
     f"{CREATE}: response 201: id retyped from string to integer"),
    (lambda d: d["components"]["schemas"]["Widget"]["properties"]["dateCreated"].pop("format"),
     f"{CREATE}: response 201: dateCreated retyped from string(date-time) to string"),
    (lambda d: d["components"]["schemas"]["Widget"]["properties"]["id"].update(nullable=True),
     f"{CREATE}: response 201: id may now be null"),
    (lambda d: d["components"]["schemas"]["WidgetCreate"]["required"].append("color"),
     f"{CREATE}: field `color` is now required"),
    (lambda d: d["components"]["schemas"]["WidgetCreate"].update(
        required=["name", "shape"], properties={**d["components"]["schemas"]["WidgetCreate"]["properties"],
                                                "shape": {"type": "string"}}),
     f"{CREATE}: new required field `shape`"),
    (lambda d: d["components"]["schemas"]["WidgetCreate"]["properties"]["color"].update(enum=["red"]),
     f"{CREATE}: color no longer accepts ['blue']"),
    (lambda d: d["components"]["schemas"]["WidgetCreate"]["properties"].pop("size"),
     f"{CREATE}: field `size` removed"),
    (lambda d: d["paths"]["/w/{org}/"]["post"]["responses"].update({"200": d["paths"]["/w/{org}/"]["post"]["responses"].pop("201")}),
     f"{CREATE}: no longer answers 201"),
    (lambda d: d["paths"]["/w/{org}/"]["get"]["responses"]["200"].pop("headers"),
     f"{LIST}: response 200: header `Link` removed"),
    (lambda d: d["paths"]["/w/{org}/"]["get"].update(security=[{"auth_token": ["org:write"]}]),
     f"{LIST}: no longer accepts tokens with scope org:read"),
])
def test_each_kind_of_break_is_named(change, expected):
    breaks = _breaks(change)
    assert expected in breaks
    assert len(breaks) <= 2, breaks  # Widget is in both GET's and POST's responses


def test_additions_pass_and_say_how_to_update():
    old = _document()
    new = deepcopy(old)
    new["paths"]["/w/{org}/stats/"] = {"get": {"responses": {"200": {"description": "OK"}}}}
    new["paths"]["/w/{org}/"]["get"]["parameters"].append({"in": "query", "name": "sort", "schema": {"type": "string"}})
    new["components"]["schemas"]["Widget"]["properties"]["color"] = {"type": "string"}
    new["components"]["schemas"]["WidgetCreate"]["properties"]["note"] = {"type": "string"}
    report = compare(old, new)
    assert report.breaks == []
    assert "GET /w/{org}/stats/: new operation" in report.additions
    assert f"{LIST}: new query parameter `sort`" in report.additions
    assert f"{LIST}: response 200: new attribute `[].color`" in report.additions
    assert f"{CREATE}: new field `note`" in report.additions
    assert "make spec" in report.message("openapi/public.json")


def test_the_failure_message_names_every_break_and_the_way_out():
    old = _document()
    new = deepcopy(old)
    new["paths"].pop("/w/{org}/{id}/")
    new["components"]["schemas"]["Owner"]["properties"]["id"] = {"type": "integer"}
    report = compare(old, new)
    message = report.message("openapi/public.json")
    assert len(report.breaks) == 3  # the path, and `id` in both responses that embed Owner
    for item in report.breaks:
        assert f"  - {item}" in message
    assert "make spec" in message and "can't be removed or retyped" in message


def test_recursive_schemas_terminate():
    old = _document()
    old["components"]["schemas"]["Owner"]["properties"]["parent"] = {"$ref": "#/components/schemas/Owner"}
    assert compare(old, deepcopy(old)).breaks == []
