"""Sentry's search syntax as a tree: ``AND`` / ``OR`` / parentheses, aggregate keys, durations.

``(transaction:foo AND release:abc) OR transaction:[bar,baz] count():>10
transaction.duration:>500ms has:user !has:release``

Adjacent terms are joined by ``AND``, which binds tighter than ``OR``, as in Sentry.
Keys may be aggregates (``count()``, ``p95(transaction.duration)``): the caller decides
whether they are having-clauses. Each leaf is a :class:`SearchFilter` (``has`` is a
filter whose value is the field) or a :class:`Text`; a broken query is a 400 naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..exceptions import ParseError
from .search import _split, _unquote, parse_term

AGGREGATE_KEY = r"[A-Za-z_][\w]*\([^()\s]*\)"
TREE_KEY_RE = re.compile(
    rf"^(!?)((?:tags\[[^\]\s]+\])|{AGGREGATE_KEY}|[A-Za-z_][\w.\-]*(?:\[[^\]\s]+\])?):(.*)$", re.S)
DURATION_RE = re.compile(r"^(-?\d+(?:\.\d+)?)(ms|s|m|min|h|hr|d|w)?$")
DURATION_MS = {None: 1, "ms": 1, "s": 1000, "m": 60_000, "min": 60_000, "h": 3_600_000,
               "hr": 3_600_000, "d": 86_400_000, "w": 604_800_000}


@dataclass(frozen=True)
class Text:
    """Free text (``"some words"`` or bare words)."""

    value: str


@dataclass(frozen=True)
class BoolOp:
    """``op`` is ``"and"`` or ``"or"``; ``terms`` are filters, texts or other operations."""

    op: str
    terms: tuple


def parse_duration(value: str, token: str) -> float:
    """``500ms``, ``1.5s``, ``2m``, ``1h``, ``3d`` (a bare number is milliseconds) -> ms."""
    match = DURATION_RE.match(value.strip())
    if match is None:
        raise ParseError(f"Invalid query. Expected a number or a duration (e.g. 500ms, 2s) "
                         f"in: {token}")
    return float(match[1]) * DURATION_MS[match[2]]


def _leaf(token: str):
    search = parse_term(token, TREE_KEY_RE)
    return Text(_unquote(token)) if search is None else search


def _lex(query: str) -> list:
    """Tokens, with ``(`` / ``)`` split off a token's ends (an aggregate key keeps its own)."""
    out: list = []
    for token in _split(query):
        if token.startswith('"'):
            out.append(_leaf(token))
            continue
        opened = 0
        while token.startswith("("):
            opened += 1
            token = token[1:]
        out.extend(["("] * opened)
        closed = 0
        while token.endswith(")") and token.count(")") > token.count("("):
            closed += 1
            token = token[:-1]
        if token in ("AND", "OR"):
            out.append(token)
        elif token:
            out.append(_leaf(token))
        out.extend([")"] * closed)
    return out


class _Parser:
    def __init__(self, tokens: list, query: str):
        self.tokens, self.pos, self.query = tokens, 0, query

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self):
        token = self.peek()
        self.pos += 1
        return token

    def expression(self):
        terms = [self.conjunction()]
        while self.peek() == "OR":
            self.take()
            terms.append(self.conjunction())
        return terms[0] if len(terms) == 1 else BoolOp("or", tuple(terms))

    def conjunction(self):
        terms = [self.term()]
        while self.peek() not in (None, "OR", ")"):
            if self.peek() == "AND":
                self.take()
            terms.append(self.term())
        return terms[0] if len(terms) == 1 else BoolOp("and", tuple(terms))

    def term(self):
        token = self.take()
        if token == "(":
            inner = self.expression()
            if self.take() != ")":
                raise ParseError(f"Invalid query. Unbalanced parentheses in: {self.query}")
            return inner
        if token in (None, ")", "AND", "OR"):
            where = "the end" if token is None else repr(token)
            raise ParseError(f"Invalid query. Unexpected {where} in: {self.query}")
        return token


def parse_tree(query: str | None):
    """The query as a tree (``None`` when empty)."""
    tokens = _lex(query or "")
    if not tokens:
        return None
    parser = _Parser(tokens, query)
    tree = parser.expression()
    if parser.peek() is not None:
        raise ParseError(f"Invalid query. Unbalanced parentheses in: {query}")
    return tree


def leaves(tree):
    """Every filter and text of a tree, in order."""
    if tree is None:
        return
    if isinstance(tree, BoolOp):
        for term in tree.terms:
            yield from leaves(term)
    else:
        yield tree
