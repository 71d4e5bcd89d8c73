"""Lean WSGI routes: a plugin's hottest routes served below Flask's request machinery.

A plugin declares :class:`FastRoute`\\ s (``Plugin.wsgi_routes``). Each is registered twice:
as an ordinary Flask route, and in a small dispatcher in front of the Flask app that
matches the path with one regular expression and calls the same view inside an app
context only. The dispatcher skips what SDK ingestion never needs and what cost it half
its time under load: the request context, URL map matching, the ``before_request`` and
``after_request`` chains and the session. The view gets a werkzeug ``Request`` and
returns a ``Response`` on both paths, so they answer alike; the headers every answer
gets (``headers.SECURITY_HEADERS``) are added here as Flask's ``after_request`` adds them.

Flask still serves:
- each process's first requests, until one of them finishes: the ``before_request``
  functions that start a process's background threads run there;
- methods the route does not declare (Flask's 405, HEAD, automatic OPTIONS);
- an exception a view lets escape (it is answered by the app's error handlers);
- everything, when the ``WSGI_FAST_ROUTES`` setting is off.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import request as flask_request
from werkzeug.wrappers import Request, Response

#: ``<name>`` and ``<int:name>`` as Flask's default and ``int`` converters match them.
_PARTS = re.compile(r"<(?:(int|string):)?([a-z_][a-z0-9_]*)>")
_CONVERTERS = {"int": (r"\d+", int), "string": (r"[^/]+", str), None: (r"[^/]+", str)}


@dataclass(frozen=True)
class FastRoute:
    """A route served by ``view(request, **arguments)`` -> ``Response`` on both paths."""

    rule: str  # a Flask rule, e.g. "/api/<raw_project_id>/envelope/"
    view: Callable[..., Response]
    methods: tuple[str, ...] = ("POST",)
    endpoint: str = ""  # the Flask endpoint name (default: the view's module and name)

    def name(self) -> str:
        return self.endpoint or f"{self.view.__module__}.{self.view.__name__}"

    def compiled(self) -> tuple[re.Pattern, dict[str, Callable]]:
        """The rule as one regular expression, and each argument's converter."""
        converters: dict[str, Callable] = {}
        regex, last = "", 0
        for match in _PARTS.finditer(self.rule):
            pattern, convert = _CONVERTERS[match.group(1)]
            converters[match.group(2)] = convert
            regex += re.escape(self.rule[last:match.start()]) + f"(?P<{match.group(2)}>{pattern})"
            last = match.end()
        return re.compile(regex + re.escape(self.rule[last:]) + r"\Z"), converters


class FastDispatcher:
    """WSGI middleware: declared routes straight to their views, the rest to Flask."""

    def __init__(self, app, flask_wsgi, routes: list[FastRoute]):
        from ..api.headers import SECURITY_HEADERS

        self.app = app
        self.security_headers = SECURITY_HEADERS
        self.flask_wsgi = flask_wsgi
        self.routes = [(route, *route.compiled()) for route in routes]
        #: The process whose ``before_request`` functions have run (``os.getpid()``).
        self.ready_in: int | None = None

    def __call__(self, environ, start_response):
        if self.ready_in == os.getpid():
            path = environ.get("PATH_INFO", "")
            method = environ.get("REQUEST_METHOD")
            for route, regex, converters in self.routes:
                match = regex.match(path)
                if match and method in route.methods:
                    arguments = {name: converters[name](value)
                                 for name, value in match.groupdict().items()}
                    return self.serve(route, arguments, environ, start_response)
            return self.flask_wsgi(environ, start_response)
        answer = self.flask_wsgi(environ, start_response)
        self.ready_in = os.getpid()
        return answer

    def serve(self, route: FastRoute, arguments: dict, environ, start_response):
        with self.app.app_context():
            try:
                response = route.view(Request(environ), **arguments)
            except Exception as error:  # noqa: BLE001 - answered as the Flask path would
                response = self.handle_error(environ, error)
            return response(environ, self.with_security_headers(start_response))

    def with_security_headers(self, start_response):
        """``start_response`` adding the headers every answer has, unless the view set them
        (on the final list of pairs: cheaper than werkzeug's ``Headers.setdefault``)."""
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend(item for item in self.security_headers.items()
                           if item[0].lower() not in present)
            return start_response(status, headers, exc_info)

        return start

    def handle_error(self, environ, error: Exception) -> Response:
        """The app's error handlers and ``after_request`` chain, in a request context."""
        with self.app.request_context(environ):
            return self.app.finalize_request(self.app.handle_user_exception(error))


def _flask_view(route: FastRoute):
    def view(**arguments):
        return route.view(flask_request._get_current_object(), **arguments)

    view.__name__ = route.name().replace(".", "_")
    view.__module__ = route.view.__module__  # the plugin's route (contract checks)
    view.__doc__ = route.view.__doc__
    return view


def install(app, routes: list[FastRoute]) -> None:
    """Register ``routes`` with Flask, and (unless ``WSGI_FAST_ROUTES`` is off) the dispatcher."""
    views: dict[str, Callable] = {}
    for route in routes:
        # Rules sharing an endpoint (and view) share one Flask view function, as Flask wants.
        view = views.setdefault(route.name(), _flask_view(route))
        app.add_url_rule(route.rule, route.name(), view, methods=list(route.methods))
    if routes and app.config["WSGI_FAST_ROUTES"]:
        app.wsgi_app = FastDispatcher(app, app.wsgi_app, routes)
