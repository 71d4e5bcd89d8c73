"""The plugin's settings: ``SENTRYAPI_EVENTS_*`` variables, or the same names in instance/config.py."""

from __future__ import annotations

from sentryapi.plugins import Setting, load_settings

MIB = 1024 * 1024

SETTINGS = (
    Setting("EVENTS_MAX_BODY_SIZE", int, 20 * MIB,
            "Largest ingest request body as sent (compressed), in bytes", minimum=1),
    Setting("EVENTS_MAX_ENVELOPE_SIZE", int, 50 * MIB,
            "Largest envelope after decompression, in bytes", minimum=1),
    Setting("EVENTS_MAX_EVENT_SIZE", int, MIB,
            "Largest event (or transaction) item, in bytes", minimum=1),
    Setting("EVENTS_KEY_CACHE_SECONDS", int, 10,
            "Seconds a DSN key lookup (or miss) is remembered in a process; changes made "
            "through the API clear it at once in that process", minimum=1),
    Setting("EVENTS_DIGEST", str, "thread",
            "Where queued events are grouped: 'thread' (in each server process) or 'off' "
            "(run `flask events digest` yourself)", choices=("thread", "off")),
    Setting("EVENTS_DIGEST_BATCH", int, 200,
            "Events grouped per transaction", minimum=1),
)


def load(app) -> None:
    """Fill the defaults, then instance/config.py and the environment, and check the values."""
    load_settings(app, SETTINGS)
