"""Webhooks: service hooks, the transactional outbox, signed deliveries on RQ or a thread.

For plugins: :func:`emit` (declare what you emit in ``Plugin.webhook_events``), and
:func:`subscribed` to ask before building a payload or recording anything. The rest is the core's: ``models`` (hooks, outbox, attempt
log), ``outbox`` (emit and the hand-over after commit), ``queue`` (RQ or the embedded
thread, the sweeper), ``delivery`` (claim, send, retry, disable), ``ssrf``, ``signing``,
``views`` (the API) and ``worker`` (the RQ worker and ``flask sentryapi worker``).
"""

from .names import UndeclaredWebhookEvent
from .outbox import emit, subscribed

__all__ = ["UndeclaredWebhookEvent", "emit", "subscribed"]
