"""Breaking-change check between two published documents (the committed one and the new one).

Once public, an operation, a parameter, a request field or a response attribute cannot
be removed (unless it was deprecated with a sunset that has passed, and a release's
changelog announced it: see ``sentryapi.api.lifecycle``) and its type cannot change; an optional request field or parameter cannot
become required, no required one can be added, a response attribute cannot become
nullable and a request field cannot stop accepting a value it accepted (null, an enum
member), nor an operation a scope. Additions are fine. Each finding names the operation and
the attribute (``links.regionUrl``, ``teams[].slug``...).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..api.lifecycle import Deprecation
from .operations import OPERATION_METHODS

UPDATE_HINT = "run `make spec` and commit {path}"
_ROOTS = ("body", "request body")


@dataclass
class Report:
    breaks: list[str] = field(default_factory=list)
    additions: list[str] = field(default_factory=list)
    #: Parts deprecated in the new document and not in the old, with how (for the changelog).
    deprecations: list[str] = field(default_factory=list)
    #: Parts removed after their announced sunset.
    removals: list[str] = field(default_factory=list)

    def message(self, committed: str = "openapi/public.json") -> str:
        lines = []
        if self.breaks:
            lines.append(f"The published API breaks its contract ({committed}) in "
                         f"{len(self.breaks)} place(s):")
            lines += [f"  - {item}" for item in self.breaks]
            lines.append(
                "Public paths, operations, parameters and response attributes can't be removed "
                "or retyped, and request fields can't become required. Undo the change, or, if "
                "the break was agreed on, " + UPDATE_HINT.format(path=committed) + " with it."
            )
        if self.additions:
            lines.append(f"{len(self.additions)} addition(s) not yet in {committed} "
                         f"(e.g. {'; '.join(self.additions[:3])}): "
                         + UPDATE_HINT.format(path=committed) + ".")
        return "\n".join(lines) or f"{committed} is up to date."


def compare(old: dict, new: dict, *, today: dt.date | None = None,
            announced: frozenset[str] = frozenset()) -> Report:
    """What changed from ``old`` to ``new``. ``announced``: the deprecations a released
    version's changelog listed (see :func:`announced_deprecations`); a deprecated part may
    go once its sunset is before ``today`` and it was announced."""
    report = Report()
    walker = _Walker(old, new, report, today or dt.date.today(), announced)
    old_paths, new_paths = old.get("paths", {}), new.get("paths", {})
    for path, old_item in old_paths.items():
        new_item = new_paths.get(path, {})
        if not new_item and not any(Deprecation.from_document(old_item.get(m)) for m in OPERATION_METHODS):
            report.breaks.append(f"{path}: path removed")
            continue
        for method in OPERATION_METHODS:
            if method not in old_item:
                continue
            where = f"{method.upper()} {path}"
            if method not in new_item:
                walker.removed(where, "", "operation removed", old_item[method])
                continue
            walker.operation(where, old_item, new_item, method)
    for path, new_item in new_paths.items():
        for method in OPERATION_METHODS:
            if method in new_item and method not in old_paths.get(path, {}):
                report.additions.append(f"{method.upper()} {path}: new operation")
    return report


class _Walker:
    def __init__(self, old_doc: dict, new_doc: dict, report: Report, today: dt.date,
                 announced: frozenset[str]):
        self.docs = {"old": old_doc, "new": new_doc}
        self.report = report
        self.today = today
        self.announced = announced

    # -- the lifecycle ---------------------------------------------------------------------
    def removed(self, where: str, label: str, text: str, old_node) -> None:
        """``label`` (an operation when empty) is gone: fine only after its announced sunset."""
        part = f"{where}: {label}" if label else where
        deprecation = Deprecation.from_document(self.resolve("old", old_node))
        if deprecation is None:
            self._break(where, text)
        elif deprecation.sunset is None or deprecation.sunset >= self.today:
            when = deprecation.sunset.isoformat() if deprecation.sunset else "none set"
            self._break(where, f"{text} (deprecated, but before its sunset: {when})")
        elif part not in self.announced:
            self._break(where, f"{text} (its deprecation is in no released version's changelog)")
        else:
            self.report.removals.append(f"{part} (sunset {deprecation.sunset.isoformat()})")

    def deprecation(self, where: str, label: str, old_node, new_node) -> None:
        """Record a part the new document deprecates and the old one did not."""
        new = Deprecation.from_document(self.resolve("new", new_node))
        if new is not None and Deprecation.from_document(self.resolve("old", old_node)) is None:
            part = f"{where}: {label}" if label else where
            self.report.deprecations.append(f"{part} — {new.description()}")

    # -- resolving -------------------------------------------------------------------------
    def resolve(self, side: str, node):
        node = node or {}
        for _ in range(50):
            if "$ref" in node:
                target = self.docs[side]
                for part in node["$ref"][2:].split("/"):
                    target = target.get(part, {})
                node = {**{k: v for k, v in node.items() if k != "$ref"}, **target}
            elif len(node.get("allOf", ())) == 1 and "type" not in node:
                node = {**{k: v for k, v in node.items() if k != "allOf"}, **node["allOf"][0]}
            else:
                break
        return node

    def _break(self, where: str, text: str) -> None:
        self.report.breaks.append(f"{where}: {text}")

    # -- operations ------------------------------------------------------------------------
    def operation(self, where: str, old_item: dict, new_item: dict, method: str) -> None:
        old_op, new_op = old_item[method], new_item[method]
        self.deprecation(where, "", old_op, new_op)
        self.parameters(where, self._params("old", old_item, old_op), self._params("new", new_item, new_op))
        self.request_body(where, old_op.get("requestBody"), new_op.get("requestBody"))
        self.security(where, old_op.get("security"), new_op.get("security"))
        for status, old_response in old_op.get("responses", {}).items():
            if not str(status).startswith("2"):
                continue
            new_response = new_op.get("responses", {}).get(status)
            if new_response is None:
                self._break(where, f"no longer answers {status}")
                continue
            self.response(f"{where}: response {status}", old_response, new_response)

    def _params(self, side: str, item: dict, op: dict) -> dict:
        params = {}
        for param in [*item.get("parameters", ()), *op.get("parameters", ())]:
            param = self.resolve(side, param)
            params[(param.get("in"), param.get("name"))] = param
        return params

    def parameters(self, where: str, old: dict, new: dict) -> None:
        for key, old_param in old.items():
            name = f"{key[0]} parameter `{key[1]}`"
            new_param = new.get(key)
            if new_param is None:
                self.removed(where, name, f"{name} removed", _parameter_marks(old_param))
                continue
            self.deprecation(where, name, _parameter_marks(old_param), _parameter_marks(new_param))
            if new_param.get("required") and not old_param.get("required"):
                self._break(where, f"{name} is now required")
            self.schema(where, name, old_param.get("schema"), new_param.get("schema"), "request", set())
        for key, new_param in new.items():
            if key in old:
                continue
            text = f"{key[0]} parameter `{key[1]}`"
            if new_param.get("required"):
                self._break(where, f"new required {text}")
            else:
                self.report.additions.append(f"{where}: new {text}")

    def request_body(self, where: str, old, new) -> None:
        old, new = self.resolve("old", old), self.resolve("new", new)
        if old and not new:
            self._break(where, "request body removed")
            return
        if not new:
            return
        if new.get("required") and not (old or {}).get("required"):
            self._break(where, "the request body is now required")
        old_schema = _json_schema(old) if old else {}
        self.schema(where, "request body", old_schema, _json_schema(new), "request", set())

    def security(self, where: str, old, new) -> None:
        if old is None or new is None:
            return
        if {} in old and {} not in new:
            self._break(where, "now requires authentication")
        new_schemes = {name: set(scopes) for req in new for name, scopes in req.items()}
        for requirement in old:
            for scheme, scopes in requirement.items():
                if scheme not in new_schemes:
                    self._break(where, f"no longer accepts {scheme} credentials")
                elif scopes and new_schemes[scheme] and set(scopes) - new_schemes[scheme]:
                    missing = ", ".join(sorted(set(scopes) - new_schemes[scheme]))
                    self._break(where, f"no longer accepts tokens with scope {missing}")

    def response(self, where: str, old, new) -> None:
        old, new = self.resolve("old", old), self.resolve("new", new)
        for header in old.get("headers", {}):
            if header not in new.get("headers", {}):
                self._break(where, f"header `{header}` removed")
        old_schema = _json_schema(old)
        if old_schema:
            self.schema(where, "body", old_schema, _json_schema(new), "response", set())

    # -- schemas ---------------------------------------------------------------------------
    def schema(self, where: str, name: str, old, new, direction: str, seen: set) -> None:
        """Compare two schemas; ``direction`` is "request" (what clients send) or "response"."""
        if old is None:
            return
        key = (_identity(old), _identity(new))
        if key in seen:
            return
        seen = seen | {key}
        old, new = self.resolve("old", old), self.resolve("new", new or {})
        old_type, new_type = _type(old), _type(new)
        if old_type != new_type:
            self._break(where, f"{name} retyped from {old_type} to {new_type}")
            return
        if direction == "response" and new.get("nullable") and not old.get("nullable"):
            self._break(where, f"{name} may now be null")
        if direction == "request" and old.get("nullable") and not new.get("nullable"):
            self._break(where, f"{name} no longer accepts null")
        if direction == "request" and "enum" in new:
            dropped = [v for v in old.get("enum", []) if v not in new["enum"]] if "enum" in old else None
            if dropped is None:
                self._break(where, f"{name} now only accepts {new['enum']}")
            elif dropped:
                self._break(where, f"{name} no longer accepts {dropped}")
        if "items" in old:
            items = "[]" if name in _ROOTS else f"{name}[]"
            self.schema(where, items, old["items"], new.get("items"), direction, seen)
        self.properties(where, name, old, new, direction, seen)

    def properties(self, where: str, name: str, old: dict, new: dict, direction: str, seen: set) -> None:
        prefix = "" if name in _ROOTS else f"{name}."
        noun = "attribute" if direction == "response" else "field"
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        for prop, old_prop in old_props.items():
            label = f"{noun} `{prefix}{prop}`"
            if prop not in new_props:
                self.removed(where, label, f"{label} removed", old_prop)
                continue
            self.deprecation(where, label, old_prop, new_props[prop])
            if direction == "request" and prop in new_required and prop not in old_required:
                self._break(where, f"{label} is now required")
            if direction == "response" and prop in old_required and prop not in new_required:
                self._break(where, f"{label} is no longer always present")
            self.schema(where, f"{prefix}{prop}", old_prop, new_props[prop], direction, seen)
        for prop in new_props.keys() - old_props.keys():
            if direction == "request" and prop in new_required:
                self._break(where, f"new required {noun} `{prefix}{prop}`")
            else:
                self.report.additions.append(f"{where}: new {noun} `{prefix}{prop}`")


def _parameter_marks(param: dict) -> dict:
    """A parameter's deprecation marks: ``deprecated`` is on the parameter, the dates on its
    schema (where apispec leaves a field's extensions)."""
    schema = param.get("schema") if isinstance(param.get("schema"), dict) else {}
    return {**schema, **param}


def _json_schema(container: dict) -> dict:
    content = (container or {}).get("content", {})
    media = content.get("application/json") or next(iter(content.values()), {})
    return media.get("schema") or {}


def _identity(node) -> object:
    """A ``$ref`` by name (so recursive schemas end), an inline schema by identity."""
    if isinstance(node, dict) and "$ref" in node:
        return node["$ref"]
    return id(node)


def _type(schema: dict) -> str:
    kind = schema.get("type", "any")
    return f"{kind}({schema['format']})" if schema.get("format") else kind
