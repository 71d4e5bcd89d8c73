"""Sentry's search syntax as a tree (``sentryapi.api.parse_tree``): AND/OR/parentheses,
aggregate keys, durations; broken queries are 400s naming them."""

from __future__ import annotations

import pytest

from sentryapi.api import BoolOp, ParseError, SearchFilter, Text, leaves, parse_duration, parse_tree


def shape(node):
    """A compact form: ``("or", [...])``, ``"key op value"`` (``!`` when negated), ``'text'``."""
    if isinstance(node, BoolOp):
        return (node.op, [shape(t) for t in node.terms])
    if isinstance(node, Text):
        return repr(node.value)
    value = ",".join(node.values) if node.operator == "in" else node.value
    return f"{'!' if node.negated else ''}{node.key} {node.operator} {value}"


@pytest.mark.parametrize(("query", "expected"), [
    ("", None),
    ("level:error", "level = error"),
    ("is:unresolved level:error", ("and", ["is = unresolved", "level = error"])),
    ("a:1 OR b:2 c:3", ("or", ["a = 1", ("and", ["b = 2", "c = 3"])])),
    ("(a:1 OR b:2) AND c:3", ("and", [("or", ["a = 1", "b = 2"]), "c = 3"])),
    ("((a:1))", "a = 1"),
    ("count():>10 p95(transaction.duration):>=1.5s", ("and", ["count() > 10", "p95(transaction.duration) >= 1.5s"])),
    ("(count():>10)", "count() > 10"),
    ("!has:user tags[os.name]:linux", ("and", ["!has = user", "os.name = linux"])),
    ('transaction:[a, "b c"] "free text"', ("and", ["transaction in a,b c", "'free text'"])),
    ("transaction:/api/* hello", ("and", ["transaction = /api/*", "'hello'"])),
])
def test_queries_parse_to_trees(query, expected):
    tree = parse_tree(query)
    assert (shape(tree) if tree is not None else None) == expected
    assert all(isinstance(leaf, SearchFilter | Text) for leaf in leaves(tree))


@pytest.mark.parametrize(("query", "named"), [
    ("(a:1", "Unbalanced"), ("a:1)", "Unbalanced"), ("a:1 OR", "Unexpected the end"),
    ("AND a:1", "Unexpected 'AND'"), ("a:", "Empty value"), ('a:"open', "Unclosed quote"),
    ("()", "Unexpected ')'"),
])
def test_broken_queries_are_named(query, named):
    with pytest.raises(ParseError) as error:
        parse_tree(query)
    assert named in error.value.detail


@pytest.mark.parametrize(("text", "ms"), [("500", 500), ("500ms", 500), ("1.5s", 1500), ("2m", 120_000),
                                          ("1h", 3_600_000), ("1d", 86_400_000), ("1w", 604_800_000)])
def test_durations_are_milliseconds(text, ms):
    assert parse_duration(text, text) == ms


def test_a_bad_duration_is_named():
    with pytest.raises(ParseError) as error:
        parse_duration("fast", "transaction.duration:>fast")
    assert "transaction.duration:>fast" in error.value.detail
