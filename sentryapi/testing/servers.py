"""The app served over real HTTP for tests whose clients need a socket (SDKs, CLIs, browsers)."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest


def wait_until(predicate, timeout: float = 20.0):
    """Poll ``predicate`` until it returns something true (returned) or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s: {predicate.__doc__ or predicate}")


@contextlib.contextmanager
def serve(app, port: int = 0, sever: bool = False):
    """Serve ``app`` over real HTTP (werkzeug, threaded) on ``port`` (default: an ephemeral
    one); ``.url``. ``sever``: on exit also cut the connections still open (a WebSocket's,
    a keep-alive's), as a process that stops does, so clients see the restart."""
    import socket

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", port, app, threaded=True)
    accepted = []
    if sever:
        serve_one = server.process_request

        def process_request(connection, address):
            accepted.append(connection)
            serve_one(connection, address)

        server.process_request = process_request
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        for connection in accepted:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        thread.join(5)


@pytest.fixture
def live_server(app):
    """The app served over real HTTP (werkzeug, threaded) on an ephemeral port."""
    with serve(app) as server:
        yield server


@contextlib.contextmanager
def served_app(backend: str, instance_path, database_path, **overrides):
    """A fresh app on its own database (``backend`` "sqlite" or "postgresql"), served over HTTP.

    For tests that share one server and its seeded data across a module (real clients that are
    slow to start): yields ``(app, server)``; the app's ``PUBLIC_URL`` is the server's address.
    """
    from ..background import stop_background
    from .apps import build_app
    from .services import postgres_schema

    with contextlib.ExitStack() as stack:
        if backend == "postgresql":
            url = stack.enter_context(postgres_schema("sentryapi_live"))
        else:
            url = f"sqlite:///{database_path}"
        app = build_app(url, instance_path, **overrides)
        stack.callback(stop_background, app)
        with app.app_context():
            from sentryapi.extensions import db

            db.create_all()
        server = stack.enter_context(serve(app))
        app.config["PUBLIC_URL"] = server.url
        yield app, server
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
