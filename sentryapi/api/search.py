"""Sentry's search syntax (``query=``) parsed into filters, and helpers to apply them.

``is:unresolved level:error !environment:prod release:"my app@1.0" age:-24h
timesSeen:>10 browser:[Chrome, Firefox] tags[os]:linux has:user free text``

Each ``key:value`` becomes a :class:`SearchFilter`; everything else is free text. A
token that cannot be parsed is a 400 naming it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import and_, not_, or_

from ..exceptions import ParseError

OPERATORS = (">=", "<=", ">", "<", "=")
KEY_RE = re.compile(r"^(!?)((?:tags\[[^\]\s]+\])|[A-Za-z_][\w.\-]*):(.*)$", re.S)
RELATIVE_RE = re.compile(r"^([+-])(\d+)([smhdw])$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class SearchFilter:
    key: str
    operator: str  # "=", ">", ">=", "<", "<=", "in"
    value: str | tuple[str, ...]
    negated: bool = False
    token: str = ""

    @property
    def values(self) -> tuple[str, ...]:
        return self.value if isinstance(self.value, tuple) else (self.value,)

    @property
    def has_wildcard(self) -> bool:
        return self.operator == "=" and any("*" in v for v in self.values)


@dataclass(frozen=True)
class SearchQuery:
    filters: tuple[SearchFilter, ...]
    text: str

    def pop(self, key: str) -> list[SearchFilter]:
        return [f for f in self.filters if f.key == key]


def _split(query: str) -> list[str]:
    """Whitespace-separated tokens; quotes and ``[...]`` lists keep their spaces."""
    tokens, current, quote, bracket = [], [], False, 0
    for char in query:
        if char == '"' and not bracket:
            quote = not quote
        elif char == "[" and not quote:
            bracket += 1
        elif char == "]" and not quote and bracket:
            bracket -= 1
        if char.isspace() and not quote and not bracket:
            if current:
                tokens.append("".join(current))
                current = []
            continue
        current.append(char)
    if quote:
        raise ParseError(f"Invalid query. Unclosed quote in: {''.join(current) or query}")
    if bracket:
        raise ParseError(f"Invalid query. Unclosed list in: {''.join(current)}")
    if current:
        tokens.append("".join(current))
    return tokens


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"')
    return value


def parse_term(token: str, key_re: re.Pattern = KEY_RE) -> SearchFilter | None:
    """One ``key:value`` token as a filter; ``None`` when it is free text."""
    match = key_re.match(token)
    if not match or token.startswith('"'):
        return None
    negated, key, raw = match.group(1) == "!", match.group(2), match.group(3)
    if key.startswith("tags["):
        key = key[5:-1]
    if raw == "":
        raise ParseError(f"Invalid query. Empty value for key in: {token}")
    if raw.startswith("[") and raw.endswith("]"):
        items = tuple(_unquote(v.strip()) for v in raw[1:-1].split(",") if v.strip())
        if not items:
            raise ParseError(f"Invalid query. Empty list in: {token}")
        return SearchFilter(key, "in", items, negated, token)
    operator = "="
    for op in OPERATORS:
        if raw.startswith(op) and not raw.startswith('"'):
            operator, raw = op, raw[len(op):]
            break
    value = _unquote(raw)
    if value == "":
        raise ParseError(f"Invalid query. Empty value for key in: {token}")
    return SearchFilter(key, operator, value, negated, token)


def parse_query(query: str | None) -> SearchQuery:
    filters, text = [], []
    for token in _split(query or ""):
        search = parse_term(token)
        if search is None:
            text.append(_unquote(token))
        else:
            filters.append(search)
    return SearchQuery(tuple(filters), " ".join(text).strip())


def parse_datetime(value: str, token: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """An ISO-8601 time (naive means UTC) or a relative ``-24h`` / ``+7d``."""
    now = now or dt.datetime.now(dt.UTC)
    rel = RELATIVE_RE.match(value)
    if rel:
        try:
            return now - dt.timedelta(**{UNITS[rel.group(3)]: int(rel.group(2))})
        except OverflowError:  # -99999999999d: before year 1, or past what timedelta holds
            raise ParseError(f"Invalid query. Invalid date in: {token}") from None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ParseError(f"Invalid query. Invalid date in: {token}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def parse_number(value: str, token: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ParseError(f"Invalid query. Expected a number in: {token}") from None
    if abs(number) > 2**62:
        raise ParseError(f"Invalid query. Number out of range in: {token}")
    return number


def compare(column, search: SearchFilter, value):
    """``column <op> value`` for one filter (negation applied by the caller)."""
    return {
        "=": lambda: column == value,
        ">": lambda: column > value,
        ">=": lambda: column >= value,
        "<": lambda: column < value,
        "<=": lambda: column <= value,
    }[search.operator]()


def text_match(column, search: SearchFilter):
    """Equality, ``*`` wildcards, or an ``in`` list, on a text column."""
    if search.operator == "in":
        return column.in_(search.values)
    if search.operator != "=":
        raise ParseError(f"Invalid query. Comparison is not supported in: {search.token}")
    if search.has_wildcard:
        pattern = search.value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return column.like(pattern.replace("*", "%"), escape="\\")
    return column == search.value


def contains(column, text: str):
    """Case-insensitive substring match (free text)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


FilterBuilder = Callable[[SearchFilter], object]


def build_filters(
    query: SearchQuery,
    builders: Mapping[str, FilterBuilder],
    *,
    text_columns=(),
    fallback: FilterBuilder | None = None,
):
    """SQL conditions for a parsed query.

    ``builders`` maps a key to a function turning its filter into a condition;
    ``fallback`` handles other keys (e.g. tags); without one, an unknown key is a 400.
    Free text matches any of ``text_columns``.
    """
    conditions = []
    for search in query.filters:
        builder = builders.get(search.key, fallback)
        if builder is None:
            raise ParseError(f"Invalid query. Unsupported search key in: {search.token}")
        condition = builder(search)
        conditions.append(not_(condition) if search.negated else condition)
    if query.text:
        if not text_columns:
            raise ParseError(f"Invalid query. Free text is not supported here: {query.text}")
        conditions.append(or_(*(contains(column, query.text) for column in text_columns)))
    return and_(*conditions) if conditions else None
