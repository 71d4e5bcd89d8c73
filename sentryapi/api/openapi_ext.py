"""The project's flask-smorest ``Api``: our error handlers, plugin tags, security schemes."""

from __future__ import annotations

import flask_smorest

SECURITY_SCHEMES = {
    "auth_token": {
        "type": "http",
        "scheme": "bearer",
        "description": "A user auth token (`sntryu_...`) or organization token (`sntrys_...`).",
    },
    "dsn": {
        "type": "http",
        "scheme": "DSN",
        "description": "A project key (DSN) as SDKs send it in `X-Sentry-Auth`.",
    },
}


class SentryApi(flask_smorest.Api):
    def __init__(self, app=None, **kwargs):
        kwargs.setdefault("spec_kwargs", {}).setdefault(
            "components", {"securitySchemes": SECURITY_SCHEMES}
        )
        super().__init__(app, **kwargs)

    def _register_error_handlers(self):
        """Errors are rendered by sentryapi.api.errors for the whole app, not by smorest."""

    def register_blueprint(self, blp, *, parameters=None, **options):
        if blp.url_prefix and "url_prefix" in options:
            # The blueprint chose its own prefix (e.g. ingestion under /api/<project_id>/).
            options.pop("url_prefix")
        super().register_blueprint(blp, parameters=parameters, **options)

    def add_plugin_tags(self, plugin) -> None:
        """Replace the bare tag smorest made per blueprint with the plugin's description."""
        declared = {tag["name"]: tag for tag in plugin.tags}
        tags = self.spec._tags  # apispec keeps tags in a list; there is no public setter
        for index, tag in enumerate(tags):
            if tag["name"] in declared:
                tags[index] = {**tag, **declared.pop(tag["name"])}
        tags.extend(declared.values())
