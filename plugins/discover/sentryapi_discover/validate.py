"""``events/validate/``: each part of a Discover query checked on its own, in the shape
Sentry's MCP server reads before it searches (``{valid, projects, dataset, ...}``)."""

from __future__ import annotations

import datetime as dt

from sentryapi.api import APIError, parse_tree

from .compiler import Query
from .fields import DATASETS, resolve
from .filters import split_having, where
from .functions import is_function, parse_function

TYPES = {"string": "string", "date": "string"}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _check(thing, *args):
    """``(valid, error, value)`` for one check."""
    try:
        return True, None, thing(*args)
    except APIError as error:
        return False, str(error.detail), None


def _field(name: str, kinds) -> dict:
    ok, error, found = _check(parse_function if is_function(name) else resolve, name, kinds)
    kind = TYPES.get(found.type, "number") if found is not None else None
    return {"name": name, "valid": ok, "attrType": kind, "error": error}


def _query(args, kinds) -> None:
    """The query's syntax, and each filter's key and value for the dataset."""
    tree, _having = split_having(parse_tree(args.get("query")))
    query = Query(args.get("dataset") or "discover", kinds, [], tree, [], EPOCH, EPOCH, [], [])
    for kind in kinds:
        where(tree, kind, query)


def validate(endpoint, args, orderby: list[str]) -> dict:
    dataset = args.get("dataset") or "discover"
    kinds = DATASETS.get(dataset, DATASETS["discover"])
    projects_ok, projects_error, _ = _check(endpoint.projects, args["project"])
    fields = [_field(name, kinds) for name in args["field"]]
    names = {f["name"] for f in fields}
    sorts = orderby or ([args["sort"]] if args.get("sort") else [])
    order = []
    for item in sorts:
        name = item.lstrip("-")
        entry = _field(name, kinds)
        if entry["valid"] and name not in names:
            entry.update(valid=False, error=f"{name!r} must be one of the selected fields.")
        order.append(entry)
    query_ok, query_error, _ = _check(_query, args, kinds)
    body = {
        "projects": [{"valid": projects_ok, "error": projects_error}],
        "dataset": [{"name": dataset, "valid": dataset in DATASETS,
                     "error": None if dataset in DATASETS else f"Unknown dataset: {dataset!r}."}],
        "environment": [{"valid": True, "error": None} for _ in args["environment"]],
        "field": fields,
        "query": {"valid": query_ok, "error": query_error, "fields": []},
        "orderby": order,
    }
    body["valid"] = (projects_ok and body["dataset"][0]["valid"] and query_ok
                     and all(f["valid"] for f in fields + order))
    return body
