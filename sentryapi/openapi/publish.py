"""From the internal document (every operation) to the published one (the public contract).

The published document keeps only operations whose view lists the method in
``Endpoint.public``, drops fields and parameters marked private
(``metadata={"private": True}``), then the components and tags nothing refers to any more,
and every ``x-sentryapi-*`` marker.
"""

from __future__ import annotations

from copy import deepcopy

from .operations import OPERATION_METHODS, PUBLIC

#: Property/parameter extension set from a marshmallow field's ``metadata={"private": True}``.
PRIVATE = "x-sentryapi-private"
MARKER_PREFIX = "x-sentryapi-"
TOP_LEVEL_ORDER = ("openapi", "info", "servers", "security", "tags", "paths", "components")


def private_field2property(self, field, **kwargs) -> dict:
    """apispec attribute function: carry the private marker into the document."""
    return {PRIVATE: True} if field.metadata.get("private") else {}


def internal(document: dict) -> dict:
    """Every operation, markers kept (``x-sentryapi-public``, ``x-sentryapi-private``)."""
    return ordered(deepcopy(document))


def published(document: dict) -> dict:
    doc = deepcopy(document)
    paths = {}
    for path, item in doc.get("paths", {}).items():
        operations = {m: op for m, op in item.items() if m in OPERATION_METHODS and op.get(PUBLIC)}
        if operations:
            shared = {k: v for k, v in item.items() if k not in OPERATION_METHODS}
            paths[path] = {**shared, **operations}
    doc["paths"] = paths
    doc = _without_private(doc)
    _prune_components(doc)
    used_tags = {tag for item in paths.values() for op in _operations(item) for tag in op.get("tags", ())}
    doc["tags"] = [tag for tag in doc.get("tags", []) if tag["name"] in used_tags]
    return ordered(_without_markers(doc))


def ordered(doc: dict) -> dict:
    """Top-level keys in the usual reading order (stable output for diffs)."""
    head = {key: doc[key] for key in TOP_LEVEL_ORDER if key in doc}
    return {**head, **{k: v for k, v in doc.items() if k not in head}}


def _operations(item: dict):
    return (op for method, op in item.items() if method in OPERATION_METHODS)


def _is_private(node) -> bool:
    return isinstance(node, dict) and bool(
        node.get(PRIVATE) or (isinstance(node.get("schema"), dict) and node["schema"].get(PRIVATE))
    )


def _without_private(node):
    if isinstance(node, list):
        return [_without_private(item) for item in node if not _is_private(item)]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            hidden = {name for name, prop in value.items() if _is_private(prop)}
            out[key] = {name: _without_private(p) for name, p in value.items() if name not in hidden}
            if hidden and isinstance(node.get("required"), list):
                out["required"] = [name for name in node["required"] if name not in hidden]
        elif key == "required" and "required" in out:
            continue
        else:
            out[key] = _without_private(value)
    if isinstance(out.get("required"), list) and not out["required"]:
        del out["required"]
    return out


def _without_markers(node):
    if isinstance(node, list):
        return [_without_markers(item) for item in node]
    if isinstance(node, dict):
        return {k: _without_markers(v) for k, v in node.items() if not k.startswith(MARKER_PREFIX)}
    return node


def _refs(node, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            found.add(ref)
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def _resolve(doc: dict, ref: str):
    node = doc
    for part in ref[2:].split("/"):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node


def _prune_components(doc: dict) -> None:
    """Drop components no published operation reaches (directly or through other components)."""
    components = doc.get("components", {})
    reached: set[str] = set()
    pending: set[str] = set()
    _refs(doc["paths"], pending)
    while pending:
        ref = pending.pop()
        if ref in reached:
            continue
        reached.add(ref)
        found: set[str] = set()
        _refs(_resolve(doc, ref), found)
        pending |= found - reached
    for section, entries in list(components.items()):
        if section == "securitySchemes":
            continue
        for name in list(entries):
            if f"#/components/{section}/{name}" not in reached:
                del entries[name]
        if not entries:
            del components[section]
    schemes_used = {
        name
        for item in doc["paths"].values()
        for op in _operations(item)
        for requirement in op.get("security", doc.get("security", []))
        for name in requirement
    }
    schemes = components.get("securitySchemes", {})
    for name in list(schemes):
        if name not in schemes_used:
            del schemes[name]
    if "securitySchemes" in components and not schemes:
        del components["securitySchemes"]
