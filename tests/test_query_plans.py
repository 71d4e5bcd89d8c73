"""Every list is served by indexes: no sequential scan and no OFFSET, whatever it is asked.

Each GET operation of the internal document that takes a ``cursor`` is called (on
PostgreSQL, by an organization's owner, over the objects the access tests' probes make) as
it comes, with each
documented ``sort`` value, with a ``query`` and with each value of its other enum
parameters, and then for its second page (the keyset predicate). Each SELECT the request
ran is explained with ``enable_seqscan`` off: a ``Seq Scan`` still in the plan means no
index can serve that statement, so its cost grows with the table (and, on a list, with the
page depth). Lists added later are checked by construction: their plugin's probe makes the
objects their path names.
"""

from __future__ import annotations

import re
import tempfile
from urllib.parse import urlencode

import pytest

from sentryapi.probes import RULE_ARG, ProbeContext, api_operations, arguments, fill, load_probes
from sentryapi.testing.apps import executed_statements

#: Parameters of a list that are not filters to try one by one.
NOT_FILTERS = {"cursor", "per_page", "limit", "sort", "sortBy", "query"}
#: What a ``query`` case searches for: free text every list's query takes.
QUERY_TEXT = "a"


def _list_operations() -> list:
    """(route rule, query arguments) for every cursor-paginated GET (collected once)."""
    from sentryapi.testing import build_app

    with tempfile.TemporaryDirectory(prefix="sentryapi-plans-") as instance:
        app = build_app("sqlite://", instance)
        document = app.extensions["sentryapi.api"].internal_document()
    rules = {RULE_ARG.sub(lambda m: "{" + m.group(2) + "}", rule): rule
             for rule, method, _cls in api_operations(app) if method == "GET"}
    cases = []
    for path, item in document["paths"].items():
        operation = item.get("get")
        parameters = {p["name"]: p for p in (operation or {}).get("parameters", []) if p["in"] == "query"}
        if "cursor" not in parameters:
            continue
        page_size = "limit" if "limit" in parameters else "per_page"
        for args in _argument_sets(parameters):
            label = urlencode(args) or "default"
            cases.append(pytest.param(rules[path], {**args, page_size: 1}, id=f"GET {path}?{label}"))
    return cases


def _argument_sets(parameters: dict) -> list[dict]:
    sets: list[dict] = [{}]
    for name in ("sort", "sortBy"):
        sets += [{name: value} for value in parameters.get(name, {}).get("schema", {}).get("enum", [])]
    if "query" in parameters:
        sets.append({"query": QUERY_TEXT})
    for name, parameter in parameters.items():
        if name not in NOT_FILTERS:
            sets += [{name: value} for value in parameter.get("schema", {}).get("enum", []) if value]
    return sets


@pytest.fixture
def owner_objects(app, make_actor):
    """An owner's probe context: the objects behind every route's path, made on demand."""
    load_probes(app)
    return ProbeContext(app, make_actor("owner"))


def sequential_scans(app, statement: str, parameters) -> list[str]:
    """The tables a statement still reads sequentially when sequential scans are disabled."""
    from sentryapi.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        with connection.begin():
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar()
    return sorted({node.get("Relation Name", "?") for node in _nodes(plan[0]["Plan"])
                   if node["Node Type"] == "Seq Scan" or _full_index_scan(node)})


def _full_index_scan(node: dict) -> bool:
    """An index read from end to end (no condition on it): a sequential scan in disguise."""
    return node["Node Type"] in ("Index Scan", "Index Only Scan") and "Index Cond" not in node


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _next_url(response) -> str | None:
    match = re.search(r'<([^>]+)>; rel="next"', response.headers.get("Link", ""))
    return match.group(1) if match else None


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize(("rule", "args"), _list_operations())
def test_list_is_served_by_indexes(app, owner_objects, rule, args):
    url = f"{fill(rule, arguments(owner_objects, rule))}?{urlencode(args)}"
    api = owner_objects.api
    with executed_statements(app, with_parameters=True) as executed:
        first = api.get(url)
        assert first.status_code == 200, (url, first.status_code, first.get_data(as_text=True))
        following = _next_url(first)
        if following:  # the second page: the keyset predicate, whatever the first page held
            second = api.get(following)
            assert second.status_code == 200, (following, second.get_data(as_text=True))
    statements = [(statement, parameters) for statement, parameters in executed
                  if statement.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert statements, f"GET {url} ran no SELECT"
    problems = []
    for statement, parameters in statements:
        if re.search(r"\bOFFSET\b", statement, re.IGNORECASE):
            problems.append(f"OFFSET (lists are keyset-paginated):\n{statement}")
        tables = sequential_scans(app, statement, parameters)
        if tables:
            problems.append(f"no index serves {', '.join(tables)} (a sequential or end-to-end scan):\n{statement}")
    assert not problems, f"GET {url}:\n\n" + "\n\n".join(problems)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_statement_no_index_serves_is_caught(app):
    """The check above can fail: an unindexed filter, and an index read end to end."""
    assert sequential_scans(app, "SELECT id FROM service_hook WHERE url = %(url)s",
                            {"url": "https://example.com"}) == ["service_hook"]
    assert sequential_scans(app, "SELECT id FROM service_hook ORDER BY id LIMIT 2", {}) == ["service_hook"]
    assert sequential_scans(app, "SELECT id FROM service_hook WHERE id = %(id)s", {"id": 1}) == []
