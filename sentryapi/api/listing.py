"""What a list endpoint lets a caller filter and sort by, declared once per list.

A :class:`Listing` names the columns its ``query`` matches: Sentry's search syntax, whose
free text matches case-insensitively anywhere in them (LIKE wildcards escaped) and whose
``key:value`` filters are the ones the list declares (an unknown key or broken syntax is a
400, as on every list that searches); its ``sort`` choices (each an :class:`Ordering` on an
indexed column with the id as tie-break; ``-name`` sorts descending) and any further
filters named as Sentry names them (``status``, ``environment``...). From that it builds
the marshmallow schema of the query string, so the parameters, their enum and their
descriptions reach the OpenAPI document, and it applies a request's values to a select
before :func:`paginate` runs it::

    TOKENS = Listing("ApiTokenListArgs", query=(ApiToken.name,),
                     sorts={"dateCreated": Ordering(ApiToken.date_created, ApiToken.id)},
                     default_sort="-dateCreated")

    @blp.arguments(TOKENS.schema, location="query")
    @blp.paginated_response(ApiTokenSchema(many=True))
    def get(self, args):
        return TOKENS.paginate(own_tokens, args).serialize(...)

An unknown ``sort`` is a 400 whose ``detail`` lists the choices.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from marshmallow import fields, validate

from ..web.schemas import Schema
from .pagination import CursorPage, Ordering, paginate
from .search import FilterBuilder, build_filters, parse_query

QUERY_MAX_LENGTH = 200


@dataclasses.dataclass(frozen=True)
class ListFilter:
    """A query parameter besides ``query`` and ``sort``: its field and the condition it adds.

    ``condition`` gets the loaded value; the filter is left out when the parameter is absent.
    """

    field: fields.Field
    condition: Callable[[Any], Any]


class Listing:
    def __init__(
        self,
        name: str,
        *,
        sorts: Mapping[str, Ordering],
        default_sort: str,
        query: Sequence = (),
        query_help: str = "",
        filters: Mapping[str, ListFilter] | None = None,
        search_keys: Mapping[str, FilterBuilder] | None = None,
        base: type[Schema] = Schema,
    ):
        self.sorts = dict(sorts)
        self.query_columns = tuple(query)
        self.search_keys = dict(search_keys or {})
        self.filters = dict(filters or {})
        self.choices = [form for key in self.sorts for form in (key, f"-{key}")]
        if default_sort not in self.choices:
            raise ValueError(f"{name}: default sort {default_sort!r} is not one of {self.choices}")
        self.default_sort = default_sort
        self.schema = base.from_dict(self._fields(query_help), name=name)

    def _fields(self, query_help: str) -> dict[str, fields.Field]:
        listed = ", ".join(f"`{key}`" for key in self.sorts)
        sort_error = f"Invalid sort: use one of {', '.join(self.choices)}."
        declared: dict[str, fields.Field] = {
            "sort": fields.String(
                load_default=self.default_sort,
                validate=validate.OneOf(self.choices, error=sort_error),
                metadata={"description": f"Sort by {listed}; prefix `-` for descending. "
                                         f"Default `{self.default_sort}`."},
            ),
        }
        if self.query_columns:
            declared["query"] = fields.String(
                load_default="",
                validate=validate.Length(max=QUERY_MAX_LENGTH),
                metadata={"description": (query_help or "Free text the items' name contains "
                                                        "(case-insensitive).")
                          + " Sentry's search syntax: quote text that holds a colon."},
            )
        for key, list_filter in self.filters.items():
            declared[key] = list_filter.field
        return declared

    def ordering(self, sort: str) -> Ordering:
        """The :class:`Ordering` a loaded ``sort`` value stands for."""
        return dataclasses.replace(self.sorts[sort.removeprefix("-")], descending=sort.startswith("-"))

    def where(self, stmt, args: Mapping[str, Any]):
        """``stmt`` narrowed to what ``query`` and the filters in ``args`` ask for."""
        text = (args.get("query") or "").strip()
        if text and self.query_columns:
            condition = build_filters(parse_query(text), self.search_keys,
                                      text_columns=self.query_columns)
            if condition is not None:
                stmt = stmt.where(condition)
        for key, list_filter in self.filters.items():
            value = args.get(key)
            if value is not None:
                stmt = stmt.where(list_filter.condition(value))
        return stmt

    def paginate(self, stmt, args: Mapping[str, Any], **kwargs) -> CursorPage:
        """The page of ``stmt``, filtered and sorted as ``args`` ask."""
        return paginate(self.where(stmt, args), self.ordering(args.get("sort", self.default_sort)),
                        **kwargs)
