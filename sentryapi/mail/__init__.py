"""E-mail: an outbox in the database, sent over SMTP from the delivery queue.

For plugins (re-exported by ``sentryapi.plugins``): :func:`send_mail` adds a message to the
caller's transaction; once it commits, the message is handed to the queue the webhooks
use (RQ with Redis, a thread of the server process without) and sent, retried with
backoff while the SMTP server is away, and swept every half minute by the periodic task
``mail.outbox`` (retries, and messages a crash or a Redis outage left behind). Without
``SENTRYAPI_SMTP_HOST`` a message is logged instead of sent. Modules: ``models`` (the
outbox), ``settings`` (``SENTRYAPI_SMTP_*``), ``outbox`` (``send_mail``, hand-over after
commit), ``delivery`` (claim, send, retry), ``smtp`` (building and sending a message),
``plugin`` (the built-in plugin).
"""

from .outbox import send_mail

__all__ = ["send_mail"]
