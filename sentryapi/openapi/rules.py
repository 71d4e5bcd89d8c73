"""The rules every public operation keeps, shared by the core's suite and ``check-plugin``.

What Sentry's document has per operation (a summary, a description, one described tag,
its security, the errors its shape can answer, an example for every body) and examples
that validate against their schemas. ``paths`` narrows a check to one plugin's paths.
"""

from __future__ import annotations

from .operations import OPERATION_METHODS

BODY_METHODS = {"post", "put", "patch"}


def operations(document: dict, paths=None):
    """``(path, method, operation)`` of the document, only under ``paths`` when given."""
    for path, item in document["paths"].items():
        if paths is not None and path not in paths:
            continue
        for method, operation in item.items():
            if method in OPERATION_METHODS:
                yield path, method, operation


def documentation_problems(document: dict, paths=None) -> list[str]:
    """Every way the (published) document's operations fall short of Sentry's."""
    problems = []
    operation_ids: dict = {}
    tags = {tag["name"] for tag in document.get("tags", []) if tag.get("description")}
    for path, method, op in operations(document):
        operation_ids.setdefault(op.get("operationId"), []).append(f"{method.upper()} {path}")
    for path, method, op in operations(document, paths):
        problems += _operation_problems(f"{method.upper()} {path}", path, method, op, tags)
    problems += [f"operationId {oid!r} is used by {', '.join(where)}"
                 for oid, where in operation_ids.items()
                 if len(where) > 1 and (paths is None or any(w.split(" ", 1)[1] in paths for w in where))]
    return problems


def _operation_problems(where: str, path: str, method: str, op: dict, tags: set[str]) -> list[str]:
    problems = []
    if not op.get("summary"):
        problems.append(f"{where}: no summary (the first line of the method's docstring)")
    if not op.get("description"):
        problems.append(f"{where}: no description (the docstring's paragraph after its first line)")
    if len(op.get("tags", [])) != 1 or op["tags"][0] not in tags:
        problems.append(f"{where}: needs exactly one tag described in its plugin's tags")
    if "security" not in op:
        problems.append(f"{where}: no security requirement")
    if not any(status.startswith("2") for status in op["responses"]):
        problems.append(f"{where}: no success response")
    for status, response in op["responses"].items():
        for media in response.get("content", {}).values():
            if "schema" not in media or not ("example" in media or "examples" in media):
                problems.append(f"{where}: response {status} lacks a schema or an example "
                                "(pass example= to @blp.response / @blp.paginated_response)")
    if "401" not in op["responses"]:
        problems.append(f"{where}: reads a token, but 401 is not documented")
    if "403" not in op["responses"] and {} not in op.get("security", [{}]):
        problems.append(f"{where}: needs a token, but 403 is not documented")
    if "{" in path and "404" not in op["responses"]:
        problems.append(f"{where}: names an object but documents no 404")
    if method in BODY_METHODS and not {"400", "413", "415"} <= set(op["responses"]):
        problems.append(f"{where}: takes a body but lacks 400/413/415")
    return problems


def example_problems(document: dict, paths=None) -> tuple[int, list[str]]:
    """How many examples there are (under ``paths``), and each way one breaks its schema."""
    from .validation import DocumentValidator  # openapi-schema-validator: a dev dependency

    validator = DocumentValidator(document)
    checked, problems = 0, []
    for where, schema, example, is_request in validator.examples():
        if paths is not None and where.split(" ")[1] not in paths:
            continue
        checked += 1
        problems += [f"{where}: example: {error}"
                     for error in validator.schema_errors(schema, example, request=is_request)]
    return checked, problems
