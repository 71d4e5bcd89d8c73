"""The app served over real HTTP for tests whose clients need a socket (SDKs, CLIs, browsers)."""

from __future__ import annotations

import contextlib
import threading

import pytest


@contextlib.contextmanager
def serve(app):
    """Serve ``app`` over real HTTP (werkzeug, threaded) on an ephemeral port; ``.url``."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def live_server(app):
    """The app served over real HTTP (werkzeug, threaded) on an ephemeral port."""
    with serve(app) as server:
        yield server
