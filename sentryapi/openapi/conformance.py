"""Response conformance in tests: every response of a public operation must match the document.

``sentryapi.testing.ApiClient`` hands each response here. When the request hit a public
operation, the status must be one the published document lists and the body must
validate against that response's schema; otherwise the test fails on the spot, naming
the operation and each violation. Counts feed the summary pytest prints at the end.
"""

from __future__ import annotations

from collections import Counter
from weakref import WeakKeyDictionary

from flask_smorest.spec.plugins import FlaskPlugin
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException

from .validation import DocumentValidator


class ConformanceError(AssertionError):
    pass


class Conformance:
    def __init__(self):
        self._validators: WeakKeyDictionary = WeakKeyDictionary()
        self.checked: Counter = Counter()  # "GET /api/0/..." -> responses validated
        self.public: set[str] = set()

    def validator(self, app) -> DocumentValidator:
        if app not in self._validators:
            document = app.extensions["sentryapi.api"].published_document()
            self._validators[app] = DocumentValidator(document)
            self.public |= {
                f"{method.upper()} {path}"
                for path, item in document["paths"].items()
                for method in item
                if method != "parameters"
            }
        return self._validators[app]

    def check(self, app, method: str, path: str, response) -> bool:
        """Raise :class:`ConformanceError` if a public operation's response breaks its document;
        ``True`` when the response was checked, ``False`` when it is outside the contract."""
        method = method.upper()
        if method in ("HEAD", "OPTIONS"):
            return False
        template = route_template(app, method, path.split("?", 1)[0])
        if template is None:
            return False
        validator = self.validator(app)
        if validator.operation(method, template) is None:
            return False  # a private operation: not part of the contract
        problems = validator.response_errors(
            method, template, response.status_code, response.content_type, response.get_data()
        )
        self.checked[f"{method} {template}"] += 1
        if problems:
            raise ConformanceError(
                f"{method} {path} ({template}) answered {response.status_code}, which does not "
                "match the published OpenAPI document:\n  - " + "\n  - ".join(problems)
                + f"\nbody: {response.get_data(as_text=True)[:500]}"
            )
        return True

    def summary(self) -> list[str]:
        if not self.checked:
            return []
        missed = sorted(self.public - set(self.checked))
        lines = [f"{sum(self.checked.values())} responses of {len(self.checked)}/{len(self.public)} "
                 "public operations matched the published document"]
        if missed and len(missed) <= 10:
            lines.append("public operations no test called: " + ", ".join(missed))
        elif missed:
            lines.append(f"{len(missed)} public operations no test called (run the whole suite)")
        return lines


def route_template(app, method: str, path: str) -> str | None:
    """The OpenAPI path template of the route ``path`` reaches, or None."""
    try:
        rule, _ = app.url_map.bind("localhost").match(path, method=method, return_rule=True)
    except (HTTPException, RoutingException):
        return None
    return FlaskPlugin.flaskpath2openapi(rule.rule)
