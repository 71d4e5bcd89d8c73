"""The project's flask-smorest ``Api``: our errors, plugin tags, the published document.

``api.spec`` holds every operation (the internal document); ``published_document()`` is
the public contract, which ``/api/docs/openapi.json`` serves and ``flask openapi write``
writes (see ``sentryapi.openapi``).
"""

from __future__ import annotations

from copy import deepcopy

import flask
import flask_smorest

from ..openapi import docs, errors, publish
from ..openapi.cli import openapi_cli
from ..openapi.operations import OperationsPlugin

SECURITY_SCHEMES = {
    "auth_token": {
        "type": "http",
        "scheme": "bearer",
        "description": (
            "A user auth token (`sntryu_...`) or organization token (`sntrys_...`) in "
            "`Authorization: Bearer <token>`. An operation lists the scopes that allow it; "
            "any one of them suffices."
        ),
    },
    "dsn": {
        "type": "http",
        "scheme": "DSN",
        "description": "A project key (DSN) as SDKs send it in `X-Sentry-Auth`.",
    },
}

DESCRIPTION = (
    "A self-hosted, Sentry-compatible API. Paths, fields, status codes and error bodies "
    "follow Sentry's public API: ids are strings, dates ISO-8601 UTC, errors "
    '`{"detail": "..."}`, lists are paged with cursors in the `Link` header.'
)


class SentryApi(flask_smorest.Api):
    DEFAULT_ERROR_RESPONSE_NAME = None  # errors are listed per operation instead

    def __init__(self, app=None, **kwargs):
        spec_kwargs = kwargs.setdefault("spec_kwargs", {})
        spec_kwargs.setdefault("components", {"securitySchemes": SECURITY_SCHEMES})
        spec_kwargs.setdefault("info", {"description": DESCRIPTION})
        spec_kwargs.setdefault("extra_plugins", [OperationsPlugin(self)])
        self._documents: dict[str, dict] = {}
        super().__init__(app, **kwargs)

    def init_app(self, app, *args, **kwargs):
        docs.configure(app.config)
        super().init_app(app, *args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(publish.private_field2property)
        docs.add_content_security_policy(app, self._make_doc_blueprint_name())
        app.cli.add_command(openapi_cli)  # replaces smorest's group of the same name

    def _register_error_handlers(self):
        """Errors are rendered by sentryapi.web.errors for the whole app, not by smorest."""

    def _register_responses(self):
        errors.register(self.spec)

    def register_blueprint(self, blp, *, parameters=None, **options):
        if blp.url_prefix and "url_prefix" in options:
            # The blueprint chose its own prefix (e.g. ingestion under /api/<project_id>/).
            options.pop("url_prefix")
        self._documents.clear()
        super().register_blueprint(blp, parameters=parameters, **options)

    def add_plugin_tags(self, plugin) -> None:
        """Replace the bare tag smorest made per blueprint with the plugin's description."""
        declared = {tag["name"]: tag for tag in plugin.tags}
        tags = self.spec._tags  # apispec keeps tags in a list; there is no public setter
        for index, tag in enumerate(tags):
            if tag["name"] in declared:
                tags[index] = {**tag, **declared.pop(tag["name"])}
        tags.extend(declared.values())
        self._documents.clear()

    def internal_document(self) -> dict:
        """Every operation; ``x-sentryapi-public`` tells which ones are published."""
        if "internal" not in self._documents:
            self._documents["internal"] = publish.internal(self.spec.to_dict())
        return deepcopy(self._documents["internal"])

    def published_document(self) -> dict:
        """The public contract: public operations only, private fields left out."""
        if "published" not in self._documents:
            self._documents["published"] = publish.published(self.internal_document())
        return deepcopy(self._documents["published"])

    def _openapi_json(self):
        return flask.current_app.response_class(
            flask.json.dumps(self.published_document(), indent=2, sort_keys=False),
            mimetype="application/json",
        )
