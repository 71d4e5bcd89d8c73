"""``query=`` keys shared by the team and project lists."""

from __future__ import annotations

from sentryapi.api import ParseError, SearchFilter, parse_id

TRUE_VALUES = ("1", "true", "yes")


def ids_in(column, search: SearchFilter, message: str):
    """``id:1`` or ``id:[1, 2]`` on an integer column; anything else is a 400 ``message``."""
    if search.operator not in ("=", "in") or not all(parse_id(v) is not None for v in search.values):
        raise ParseError(message)
    return column.in_([int(v) for v in search.values])


def boolean(search: SearchFilter, condition):
    """``key:true`` keeps rows matching ``condition``; ``key:false`` the others."""
    return condition if search.value.lower() in TRUE_VALUES else ~condition

