"""The plugin's settings: ``SENTRYAPI_EVENTS_*`` variables, or the same keys in instance/config.py."""

from __future__ import annotations

import os

from sentryapi.plugins import PluginError as ConfigError

#: Flask config key -> (default, help). The environment variable is ``SENTRYAPI_`` + key.
SETTINGS = {
    "EVENTS_MAX_BODY_SIZE": (20 * 1024 * 1024,
                             "Largest ingest request body as sent (compressed), in bytes"),
    "EVENTS_MAX_ENVELOPE_SIZE": (50 * 1024 * 1024,
                                 "Largest envelope after decompression, in bytes"),
    "EVENTS_MAX_EVENT_SIZE": (1024 * 1024, "Largest event (or transaction) item, in bytes"),
    "EVENTS_KEY_CACHE_SECONDS": (10, "How long a DSN key lookup (or miss) is remembered"),
    "EVENTS_DIGEST": ("thread", "Where queued events are grouped: 'thread' (in each server "
                      "process) or 'off' (run `flask events digest` yourself)"),
    "EVENTS_DIGEST_BATCH": (200, "Events grouped per transaction"),
}


def load(app) -> None:
    """Fill the defaults, then the environment, and check the values."""
    for key, (default, _help) in SETTINGS.items():
        raw = os.environ.get(f"SENTRYAPI_{key}")
        if raw is not None:
            app.config[key] = raw
        app.config.setdefault(key, default)
        if isinstance(default, int):
            try:
                app.config[key] = int(app.config[key])
            except (TypeError, ValueError):
                raise ConfigError(f"SENTRYAPI_{key}: expected an integer, got {raw!r}") from None
            if app.config[key] <= 0:
                raise ConfigError(f"SENTRYAPI_{key} must be positive")
    if app.config["EVENTS_DIGEST"] not in ("thread", "off"):
        raise ConfigError("SENTRYAPI_EVENTS_DIGEST must be 'thread' or 'off'")
