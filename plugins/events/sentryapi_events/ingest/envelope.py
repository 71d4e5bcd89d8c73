"""The envelope format SDKs send: parse it strictly, as Relay does, without copying payloads.

    Envelope = Headers { "\\n" Item } [ "\\n" ]
    Item     = Headers "\\n" Payload
    Payload  = exactly ``length`` bytes when the item header has a length, else the
               bytes up to the next "\\n" (or the end)

Headers are one line of JSON each. A length-prefixed payload must be followed by a
newline or the end; a short payload, garbage after it, a second ``sent_at``, or a
header that is not a JSON object is malformed (400). Unknown item types are kept, so
the caller can count and skip them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .errors import BadRequest, TooLarge

#: Per item type, the largest payload accepted (Relay's documented defaults, smaller
#: where a single host should not hold more in memory).
ITEM_LIMITS = {
    "event": 1024 * 1024,
    "transaction": 1024 * 1024,
    "security": 1024 * 1024,
    "span": 1024 * 1024,
    "log": 1024 * 1024,
    "check_in": 100 * 1024,
    "client_report": 4 * 1024,
    "session": 100 * 1024,
    "sessions": 1024 * 1024,
    "user_report": 100 * 1024,
    "feedback": 1024 * 1024,
}
#: At most this many items in one envelope (Relay caps sessions at 100 per envelope).
MAX_ITEMS = 1000


@dataclass(slots=True)
class Item:
    headers: dict
    payload: bytes

    @property
    def type(self) -> str:
        return self.headers["type"]

    def json(self):
        """The payload as JSON, or a 400 naming the item type."""
        return parse_json(self.payload, f"invalid {self.type} item")


@dataclass(slots=True)
class Envelope:
    headers: dict
    items: list[Item] = field(default_factory=list)

    def items_of(self, *types: str) -> list[Item]:
        return [item for item in self.items if item.type in types]


def _reject_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise BadRequest("invalid envelope", f"duplicate envelope header: {key}")
        seen[key] = value
    return seen


def parse_json(data: bytes, what: str, *, hook=None):
    """JSON from bytes; any defect (bad UTF-8, syntax, nesting too deep) is a 400."""
    try:
        return json.loads(data, object_pairs_hook=hook)
    except BadRequest:
        raise
    except RecursionError:
        raise BadRequest(what, "JSON nesting is too deep") from None
    except (ValueError, TypeError) as error:
        raise BadRequest(what, str(error)[:200]) from None


def _line(data: bytes, start: int) -> tuple[bytes, int]:
    """The bytes from ``start`` to the next newline (excluded) and where the next line starts."""
    end = data.find(b"\n", start)
    if end == -1:
        return data[start:], len(data)
    return data[start:end], end + 1


def _header(line: bytes, what: str, hook=None) -> dict:
    headers = parse_json(line, "invalid envelope", hook=hook)
    if not isinstance(headers, dict):
        raise BadRequest("invalid envelope", f"{what} is not a JSON object")
    return headers


def parse(data: bytes, item_limits: dict[str, int] | None = None,
          default_item_limit: int | None = None) -> Envelope:
    """Split an envelope into its headers and items (payloads are slices of ``data``).

    ``item_limits`` maps item types to their largest payload; an item over its limit
    (or over ``default_item_limit``) is a 413, as in Relay.
    """
    limits = ITEM_LIMITS if item_limits is None else item_limits
    if not data.strip():
        raise BadRequest("empty envelope")
    line, pos = _line(data, 0)
    envelope = Envelope(_header(line, "envelope header", hook=_reject_duplicates))
    size = len(data)
    while pos < size:
        line, next_pos = _line(data, pos)
        if not line.strip():
            # Only a trailing newline (or blank line) may stand where an item header would.
            pos = next_pos
            continue
        headers = _header(line, "item header")
        item_type = headers.get("type")
        if not isinstance(item_type, str) or not item_type:
            raise BadRequest("invalid envelope", "item header has no type")
        length = headers.get("length")
        if length is None:
            payload, pos = _line(data, next_pos)
        else:
            if not isinstance(length, int) or isinstance(length, bool) or length < 0:
                raise BadRequest("invalid envelope", f"invalid item length: {length!r}")
            end = next_pos + length
            if end > size:
                raise BadRequest("invalid envelope", f"{item_type} item is shorter than its length")
            payload = data[next_pos:end]
            if end < size and data[end:end + 1] != b"\n":
                raise BadRequest("invalid envelope", f"unexpected data after the {item_type} item")
            pos = end + 1
        limit = limits.get(item_type, default_item_limit)
        if limit is not None and len(payload) > limit:
            raise TooLarge.for_item(item_type)
        envelope.items.append(Item(headers, payload))
        if len(envelope.items) > MAX_ITEMS:
            raise TooLarge(f"envelope has more than {MAX_ITEMS} items")
    return envelope
