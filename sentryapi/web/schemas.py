"""Base schema and field types that render Sentry's JSON conventions.

Sentry sends ids as strings, timestamps as ISO-8601 UTC with a ``Z``, and ignores request
fields it does not know. Server-owned fields are ``dump_only`` and never loaded.
"""

from __future__ import annotations

import datetime as dt
import re

import marshmallow as ma
from marshmallow import fields, validate

UTC = dt.UTC

SLUG_RE = re.compile(r"^(?![0-9]+$)[a-z0-9_\-]+$")
SLUG_MESSAGE = (
    "Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens. "
    "It cannot be entirely numeric."
)


class Schema(ma.Schema):
    """Unknown request fields are dropped (Sentry ignores them), never an error."""

    class Meta:
        unknown = ma.EXCLUDE


class DateTime(fields.DateTime):
    """ISO-8601 UTC with a ``Z`` on output; any ISO-8601 with a zone (or naive = UTC) on input."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        if result.tzinfo is None:
            result = result.replace(tzinfo=UTC)
        return result.astimezone(UTC)


class Id(fields.String):
    """A numeric id rendered as a string, as Sentry does."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value)


#: The largest id a BIGINT holds; a larger number in a request would overflow the query.
MAX_ID = 2**63 - 1


def IdNumber(**kwargs) -> fields.Integer:  # noqa: N802 - reads like a field class
    """A numeric id in a request (query or body): 1 to :data:`MAX_ID`, else a 400."""
    return fields.Integer(strict=False, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def Slug(**kwargs) -> fields.String:  # noqa: N802 - reads like a field class
    """A URL-safe slug: lowercase letters, digits, ``_`` and ``-``, not all digits, 1..50."""
    return fields.String(
        validate=[validate.Length(min=1, max=50), validate.Regexp(SLUG_RE, error=SLUG_MESSAGE)],
        **kwargs,
    )


def slugify(text: str, max_length: int = 50) -> str:
    """A slug from a human name: ``"My Team!"`` -> ``"my-team"``; never purely numeric."""
    slug = re.sub(r"[^a-z0-9_\-]+", "-", text.strip().lower()).strip("-")
    slug = re.sub(r"-{2,}", "-", slug)[:max_length].strip("-")
    if not slug or slug.isdigit():
        slug = (f"s-{slug}" if slug else "s")[:max_length]
    return slug
