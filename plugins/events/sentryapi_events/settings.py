"""The plugin's settings: ``SENTRYAPI_EVENTS_*`` variables, or the same names in instance/config.py."""

from __future__ import annotations

from sentryapi.plugins import ConfigError, Setting, load_settings

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
            "Where queued events are grouped: 'thread' (a thread of each server process; "
            "`flask sentryapi serve`, i.e. `make run` and `make serve-prod`, runs a digest "
            "process instead) or 'off' (run `flask events digest` yourself)",
            choices=("thread", "off")),
    Setting("EVENTS_DIGEST_BATCH", int, 100,
            "Events grouped per transaction", minimum=1),
    # Attachments (``attachments/``): the size limit, and where their bytes go.
    Setting("EVENTS_MAX_ATTACHMENT_SIZE", int, 20 * MIB,
            "Largest attachment item, in bytes (all of an envelope's together stay within "
            "EVENTS_MAX_ENVELOPE_SIZE)", minimum=1),
    # Deprecated: the core's blob store (``SENTRYAPI_BLOB_*``) holds attachments now; these
    # older names still work, each filling its BLOB_* twin when that is unset.
    Setting("EVENTS_ATTACHMENT_STORAGE", str, None,
            "Deprecated: SENTRYAPI_BLOB_STORAGE", choices=("filesystem", "s3")),
    Setting("EVENTS_ATTACHMENT_PATH", str, None, "Deprecated: SENTRYAPI_BLOB_PATH"),
    Setting("EVENTS_S3_BUCKET", str, None, "Deprecated: SENTRYAPI_BLOB_S3_BUCKET"),
    Setting("EVENTS_S3_ENDPOINT_URL", str, None, "Deprecated: SENTRYAPI_BLOB_S3_ENDPOINT_URL"),
    Setting("EVENTS_S3_REGION", str, None, "Deprecated: SENTRYAPI_BLOB_S3_REGION"),
    Setting("EVENTS_S3_ACCESS_KEY_ID", str, None, "Deprecated: SENTRYAPI_BLOB_S3_ACCESS_KEY_ID"),
    Setting("EVENTS_S3_SECRET_ACCESS_KEY", str, None, "Deprecated: SENTRYAPI_BLOB_S3_SECRET_ACCESS_KEY"),
)


def load(app) -> None:
    """Fill the defaults, then instance/config.py and the environment, and check the values."""
    load_settings(app, SETTINGS)
    config = app.config
    if config["EVENTS_ATTACHMENT_STORAGE"] and config["BLOB_STORAGE"] == "filesystem":
        config["BLOB_STORAGE"] = config["EVENTS_ATTACHMENT_STORAGE"]
    for old, new in DEPRECATED:
        if config[old] and not config[new]:
            config[new] = config[old]
    if config["BLOB_STORAGE"] == "s3" and not config["BLOB_S3_BUCKET"]:
        raise ConfigError("SENTRYAPI_BLOB_S3_BUCKET must be set when SENTRYAPI_BLOB_STORAGE is s3")


#: The attachment store's former settings, and the blob store's that replace them.
DEPRECATED = (("EVENTS_ATTACHMENT_PATH", "BLOB_PATH"), ("EVENTS_S3_BUCKET", "BLOB_S3_BUCKET"),
              ("EVENTS_S3_ENDPOINT_URL", "BLOB_S3_ENDPOINT_URL"), ("EVENTS_S3_REGION", "BLOB_S3_REGION"),
              ("EVENTS_S3_ACCESS_KEY_ID", "BLOB_S3_ACCESS_KEY_ID"),
              ("EVENTS_S3_SECRET_ACCESS_KEY", "BLOB_S3_SECRET_ACCESS_KEY"))
