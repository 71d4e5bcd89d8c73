"""The application factory."""

from __future__ import annotations

import logging
import os

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import RequestRedirect

from .api import headers, lifecycle
from .api.openapi_ext import SentryApi
from .api.root import register_root
from .config import load_config
from .database import install_sqlite_pragmas
from .extensions import db, migrate
from .plugins import discover
from .ratelimit import install_rate_limits
from .sessions import SessionInterface
from .web import fastroutes
from .web.errors import register_error_handlers
from .web.views import check_routes

API_PREFIX = "/api/0/"
MIGRATIONS = os.path.join(os.path.dirname(__file__), "migrations")


@migrate.configure
def _plugin_migrations(config):
    """Alembic sees the core's revisions and every loaded plugin's branch."""
    from flask import current_app

    registry = current_app.extensions["sentryapi.plugins"]
    locations = [os.path.join(MIGRATIONS, "versions")]
    locations += [plugin.migrations for plugin in registry if plugin.migrations]
    config.set_main_option("version_locations", os.pathsep.join(locations))
    return config


class SentryFlask(Flask):
    def raise_routing_exception(self, request):
        """No slash redirects under /api/: Sentry answers 404 with a hint instead."""
        exc = request.routing_exception
        if isinstance(exc, RequestRedirect) and request.path.startswith("/api/"):
            from werkzeug.exceptions import NotFound

            raise NotFound()
        return super().raise_routing_exception(request)


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: settings, extensions, then every plugin found on entry points."""
    instance_path = os.environ.get("SENTRYAPI_INSTANCE_PATH") or None
    app = SentryFlask("sentryapi", instance_path=instance_path, instance_relative_config=True)
    load_config(app, overrides)
    app.session_interface = SessionInterface()
    logging.basicConfig(level=app.config["LOG_LEVEL"].upper())
    app.url_map.strict_slashes = True
    app.json.sort_keys = False
    db.init_app(app)
    with app.app_context():
        install_sqlite_pragmas(db.engine, app.config["SQLITE_SYNCHRONOUS"])

    registry = discover(app.config["DISABLED_PLUGINS"])
    app.extensions["sentryapi.plugins"] = registry
    migrate.init_app(app, db, directory=MIGRATIONS)

    api = SentryApi(app)
    app.extensions["sentryapi.api"] = api
    fast_routes = []
    for plugin in registry:
        fast_routes += plugin.wsgi_routes
        for blueprint in plugin.blueprints:
            api.register_blueprint(blueprint, url_prefix=API_PREFIX.rstrip("/"))
        api.add_plugin_tags(plugin)
        if plugin.init_app is not None:
            plugin.init_app(app)
        if plugin.cli is not None:
            app.cli.add_command(plugin.cli)

    register_root(app)
    register_error_handlers(app)
    headers.install(app)
    lifecycle.install(app)
    _limit_api_bodies(app)
    check_routes(app)
    install_rate_limits(app)
    fastroutes.install(app, fast_routes)
    if app.config["TRUSTED_PROXIES"]:
        # Outermost: both the lean routes and Flask see the client's address.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from .cli import sentryapi_cli

    app.cli.add_command(sentryapi_cli)
    return app


def _body_limit(app: Flask) -> int:
    """The matched view's body limit (``Endpoint.max_body_size``), else ``API_MAX_BODY_SIZE``."""
    view = app.view_functions.get(request.url_rule.endpoint) if request.url_rule else None
    view_class = getattr(view, "view_class", None)
    sized = getattr(view_class, "max_body_size", None)
    return sized(app.config) if sized else app.config["API_MAX_BODY_SIZE"]


def _limit_api_bodies(app: Flask) -> None:
    @app.before_request
    def limit_body_size():
        """Over the limit is a 413 whatever the method, read or not (a declared length is
        refused at once; a chunked body when it passes the limit while being read)."""
        if request.path.startswith("/api/0/"):
            limit = _body_limit(app)
            request.max_content_length = limit
            if request.content_length is not None and request.content_length > limit:
                raise RequestEntityTooLarge()
            if request.content_length is None and request.environ.get("wsgi.input_terminated"):
                # A streamed (chunked) body: werkzeug stops reading at the limit without a
                # word, so a longer body would arrive cut short. Read one byte past it.
                request.max_content_length = limit + 1
                if len(request.get_data(cache=True)) > limit:
                    raise RequestEntityTooLarge()
