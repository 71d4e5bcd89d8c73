"""A real SMTP server for tests (aiosmtpd on an ephemeral loopback port) and apps that send to it."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time

import pytest


class Mailbox:
    """An SMTP server on 127.0.0.1 that keeps every message it receives (parsed)."""

    def __init__(self, port: int | None = None):
        from aiosmtpd.controller import Controller

        self.messages: list[email.message.EmailMessage] = []
        self.arrived = threading.Condition()
        self.port = port or _free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.running = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> Mailbox:
        self.controller.start()
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False

    def wait(self, count: int = 1, timeout: float = 15.0) -> list:
        """The messages, once at least ``count`` arrived (fails after ``timeout``)."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.messages)} of {count} e-mails arrived in {timeout}s")
                self.arrived.wait(left)
            return list(self.messages)

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mailbox():
    """A running SMTP server collecting messages: ``.port``, ``.wait(n)``, ``.messages``."""
    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture
def mail_app(make_app, mailbox):
    """Another app on the test database whose e-mail goes to ``mailbox`` (plain SMTP)."""
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, SMTP_FROM="alerts@sentryapi.test")
