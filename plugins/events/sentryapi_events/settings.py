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
    Setting("EVENTS_DIGEST_BATCH", int, 200,
            "Events grouped per transaction", minimum=1),
    # Attachments (``attachments/``): the size limit, and where their bytes go.
    Setting("EVENTS_MAX_ATTACHMENT_SIZE", int, 20 * MIB,
            "Largest attachment item, in bytes (all of an envelope's together stay within "
            "EVENTS_MAX_ENVELOPE_SIZE)", minimum=1),
    Setting("EVENTS_ATTACHMENT_STORAGE", str, "filesystem",
            "Where attachment bytes are stored: 'filesystem' (EVENTS_ATTACHMENT_PATH) or 's3' "
            "(an S3-compatible bucket, for several app hosts; needs `make install-prod`)",
            choices=("filesystem", "s3")),
    Setting("EVENTS_ATTACHMENT_PATH", str, None,
            "Folder of the filesystem attachment store (default: instance/attachments)"),
    Setting("EVENTS_S3_BUCKET", str, None, "Bucket of the s3 attachment store"),
    Setting("EVENTS_S3_ENDPOINT_URL", str, None,
            "Endpoint of an S3-compatible store (MinIO, Ceph...; default: AWS S3)"),
    Setting("EVENTS_S3_REGION", str, None, "Region of the s3 attachment store"),
    Setting("EVENTS_S3_ACCESS_KEY_ID", str, None,
            "Access key of the s3 attachment store (default: boto3's own credential chain)"),
    Setting("EVENTS_S3_SECRET_ACCESS_KEY", str, None,
            "Secret key of the s3 attachment store"),
)


def load(app) -> None:
    """Fill the defaults, then instance/config.py and the environment, and check the values."""
    load_settings(app, SETTINGS)
    if app.config["EVENTS_ATTACHMENT_STORAGE"] == "s3" and not app.config["EVENTS_S3_BUCKET"]:
        raise ConfigError("SENTRYAPI_EVENTS_S3_BUCKET must be set when "
                          "SENTRYAPI_EVENTS_ATTACHMENT_STORAGE is s3")
