"""Which webhook events exist: the plugins' declarations, and Sentry's service-hook aliases.

A plugin lists what it emits in ``Plugin.webhook_events`` (``"issue.created"``); that list
is the registry of valid names. A subscription may name such an event, a whole resource
(``"issue"``: every ``issue.*`` event, as Sentry's integrations subscribe), or one of the
names Sentry's project service hooks use, which stand for several events.
"""

from __future__ import annotations

from flask import current_app

#: Sentry's service-hook event names -> the events they stand for.
ALIASES: dict[str, tuple[str, ...]] = {
    # Every stored event: errors, transactions, and the rest (messages...).
    "event.created": ("error.created", "transaction.created", "event.created"),
    # An alert rule fired for an event.
    "event.alert": ("event_alert.triggered",),
}
#: What the test ping sends (not emitted by plugins, so not subscribable).
PING = ("ping", "test")


class UndeclaredWebhookEvent(ValueError):
    """A plugin emitted an event that no plugin declares in ``Plugin.webhook_events``."""


def declared() -> frozenset[str]:
    """Every ``resource.action`` the loaded plugins declare."""
    registry = current_app.extensions["sentryapi.plugins"]
    return frozenset(registry.webhook_events)


def is_subscribable(name: str, events: frozenset[str]) -> bool:
    return name in events or name in ALIASES or any(e.startswith(name + ".") for e in events)


def expand(names, events: frozenset[str]) -> frozenset[str]:
    """The concrete events a subscription to ``names`` receives."""
    out: set[str] = set()
    for name in names:
        if name in ALIASES:
            out.update(ALIASES[name])
        elif "." in name:
            out.add(name)
        else:
            out.update(e for e in events if e.startswith(name + "."))
    return frozenset(out)
