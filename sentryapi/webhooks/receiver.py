"""A real HTTP receiver of webhooks for tests and benchmarks (a plugin's tests may use it):
it records what it gets, answers the status it is told, and stops and starts on one port."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """Listens on 127.0.0.1 (an ephemeral port, kept across ``stop``/``start``).

    ``status`` is what it answers (or a callable of the delivery number); ``got`` holds
    ``(headers, body)`` of every POST it answered with a 2xx.
    """

    def __init__(self, status=200, port: int = 0):
        self.status = status
        self.port = port
        self.got: list[tuple[dict, bytes]] = []
        self.seen = 0
        self.lock = threading.Lock()
        self.server = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.seen += 1
                    status = receiver.status(receiver.seen) if callable(receiver.status) else receiver.status
                    if 200 <= status < 300:
                        receiver.got.append(({k.lower(): v for k, v in self.headers.items()}, body))
                answer = b"ok" if status < 400 else b"nope"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def wait_for(self, count: int, timeout: float = 20.0) -> list[tuple[dict, bytes]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.got) < count:
            time.sleep(0.02)
        return list(self.got)

    def payloads(self) -> list[dict]:
        return [json.loads(body) for _, body in self.got]


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """The README's recipe: HMAC-SHA256 of the raw body with the hook's secret."""
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers.get("sentry-hook-signature", ""))
