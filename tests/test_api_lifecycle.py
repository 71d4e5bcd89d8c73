"""The API lifecycle: deprecations are flagged in the document and announced in headers
(RFC 9745 ``Deprecation``, RFC 8594 ``Sunset``, a successor ``Link``); a deprecated part may
be removed only after its sunset, once a release's changelog announced it."""

import copy
import datetime as dt
import json
import os
from email.utils import parsedate_to_datetime

import pytest
from marshmallow import Schema, fields

from sentryapi.api import deprecated
from sentryapi.api.lifecycle import Deprecation, _declared, headers
from sentryapi.openapi.changelog import announced_deprecations, render
from sentryapi.openapi.compat import compare

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SINCE_EPOCH = "@1796256000"  # 2026-12-03T00:00:00Z
PROJECT_ISSUES = "GET /api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/issues/"


# -- announced in responses -----------------------------------------------------------------

def test_a_deprecated_operation_says_so_and_keeps_its_pagination_link(owner, create_project):
    project = create_project(owner, name="Backend", slug="backend")
    response = owner.api.get(f"/api/0/projects/{owner.org}/{project['slug']}/issues/")
    assert response.status_code == 200
    assert response.headers["Deprecation"] == SINCE_EPOCH
    assert "Sunset" not in response.headers  # Sentry still serves it: no sunset set
    assert response.headers["Link"].count('rel="next"') == 1  # pagination's, untouched
    assert "successor-version" not in response.headers["Link"]


def test_operations_that_are_not_deprecated_say_nothing(owner):
    response = owner.api.get(f"/api/0/organizations/{owner.org}/issues/")
    assert response.status_code == 200
    assert "Deprecation" not in response.headers and "Sunset" not in response.headers


def test_a_deprecated_parameter_is_announced_only_when_sent(owner, create_project, create_release):
    create_project(owner, name="Frontend", slug="frontend")
    create_release(owner, "frontend@1.0.0", ["frontend"])
    url = f"/api/0/organizations/{owner.org}/releases/frontend@1.0.0/"
    assert "Deprecation" not in owner.api.get(url + "?project=frontend").headers
    response = owner.api.get(url + "?project_id=frontend")
    assert response.status_code == 200
    assert response.headers["Deprecation"] == SINCE_EPOCH
    assert "Link" not in response.headers  # its successor is a parameter, not a link


def test_refusals_of_a_deprecated_operation_are_not_announced(owner):
    response = owner.api.get(f"/api/0/projects/{owner.org}/no-such-project/issues/")
    assert response.status_code == 404
    assert "Deprecation" not in response.headers


def test_headers_take_the_earliest_dates_and_fill_the_successor_path():
    found = [Deprecation.of("2026-12-03", "2027-06-30", "/api/0/organizations/{org}/things/"),
             Deprecation.of("2026-01-01", "2028-01-01")]
    out = headers(found, {"org": "acme"})
    assert out["Deprecation"] == "@1767225600"  # 2026-01-01
    assert parsedate_to_datetime(out["Sunset"]) == dt.datetime(2027, 6, 30, tzinfo=dt.UTC)
    assert out["Sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
    assert out["Link"] == '</api/0/organizations/acme/things/>; rel="successor-version"'
    assert "Link" not in headers([Deprecation.of("2026-12-03", successor="/x/{missing}/")], {})
    assert headers([]) == {}


def test_a_sunset_before_the_deprecation_is_refused():
    with pytest.raises(ValueError, match="before the deprecation"):
        Deprecation.of("2027-01-01", "2026-01-01")


def test_deprecated_response_attributes_mark_their_operation_at_any_depth():
    class Inner(Schema):
        old = fields.Str(metadata=deprecated("2026-12-03", "2027-06-30", "new"))

    class Outer(Schema):
        items = fields.List(fields.Nested(Inner))

    def view():
        """A view whose 200 body holds a deprecated attribute two levels down."""

    view._apidoc = {"response": {"responses": {200: [{"schema": Outer(many=True)}]}}}
    assert [d.sunset for d in _declared(view)] == [dt.date(2027, 6, 30)]


# -- the breaking-change check and the changelog -------------------------------------------

def _document():
    with open(os.path.join(ROOT, "openapi", "public.json")) as fh:
        return json.load(fh)


def _without_project_issues(document):
    new = copy.deepcopy(document)
    del new["paths"]["/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/issues/"]["get"]
    return new


def test_removing_a_deprecated_operation_before_its_sunset_breaks():
    report = compare(_document(), _without_project_issues(_document()),
                     announced=frozenset({PROJECT_ISSUES}))
    assert report.breaks == [f"{PROJECT_ISSUES}: operation removed (deprecated, but before its sunset: none set)"]


def _with_sunset(document, sunset: str):
    old = copy.deepcopy(document)
    old["paths"]["/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/issues/"]["get"]["x-sunset"] = sunset
    return old


def test_removing_it_after_its_sunset_needs_a_released_announcement():
    old = _with_sunset(_document(), "2027-06-30")
    new = _without_project_issues(_document())
    after = dt.date(2027, 7, 1)
    assert compare(old, new, today=dt.date(2027, 6, 30), announced=frozenset({PROJECT_ISSUES})).breaks
    unannounced = compare(old, new, today=after)
    assert unannounced.breaks == [f"{PROJECT_ISSUES}: operation removed (its deprecation is in no "
                                  "released version's changelog)"]
    announced = compare(old, new, today=after, announced=frozenset({PROJECT_ISSUES}))
    assert announced.breaks == []
    assert announced.removals == [f"{PROJECT_ISSUES} (sunset 2027-06-30)"]
    assert "### Removed" in render(announced)


def test_removing_a_deprecated_parameter_after_its_sunset():
    path = "/api/0/organizations/{organization_id_or_slug}/releases/{version}/"
    old = copy.deepcopy(_document())
    param = next(p for p in old["paths"][path]["get"]["parameters"] if p["name"] == "project_id")
    param["schema"]["x-sunset"] = "2027-01-01"
    new = copy.deepcopy(old)
    new["paths"][path]["get"]["parameters"].remove(
        next(p for p in new["paths"][path]["get"]["parameters"] if p["name"] == "project_id"))
    part = f"GET {path}: query parameter `project_id`"
    assert compare(old, new, today=dt.date(2027, 2, 1), announced=frozenset({part})).breaks == []
    assert compare(old, new, today=dt.date(2026, 12, 31), announced=frozenset({part})).breaks


def test_removing_what_was_never_deprecated_still_breaks():
    document = _document()
    new = copy.deepcopy(document)
    del new["paths"]["/api/0/organizations/{organization_id_or_slug}/issues/"]
    report = compare(document, new, today=dt.date(2100, 1, 1))
    assert report.breaks == ["/api/0/organizations/{organization_id_or_slug}/issues/: path removed"]


def test_only_released_sections_announce():
    changelog = "\n".join([
        "# Changelog", "## Unreleased", "### Deprecated", "- GET /a/ \u2014 Deprecated since 2026-12-03.",
        "## 0.2.0 (2026-12-01)", "### Added", "- GET /c/: new operation",
        "### Deprecated", "- GET /b/: query parameter `x` \u2014 Deprecated since 2026-11-01.",
    ])
    assert announced_deprecations(changelog) == frozenset({"GET /b/: query parameter `x`"})


def test_the_changelog_lists_every_deprecation_of_the_published_document():
    with open(os.path.join(ROOT, "CHANGELOG.md"), encoding="utf-8") as fh:
        changelog = fh.read()
    document = _document()
    marked = [f"{method.upper()} {path}" for path, item in document["paths"].items()
              for method, op in item.items() if isinstance(op, dict) and op.get("deprecated")]
    marked += [f"{method.upper()} {path}: {p['in']} parameter `{p['name']}`"
               for path, item in document["paths"].items() for method, op in item.items()
               if isinstance(op, dict) for p in op.get("parameters", ()) if p.get("deprecated")]
    assert PROJECT_ISSUES in marked
    missing = [part for part in marked if f"- {part} \u2014" not in changelog]
    assert not missing, f"deprecated in openapi/public.json but not in CHANGELOG.md: {missing}"
