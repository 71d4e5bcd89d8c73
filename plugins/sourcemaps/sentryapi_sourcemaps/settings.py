"""The plugin's settings: ``SENTRYAPI_SOURCEMAPS_*`` variables, or the same names in instance/config.py."""

from __future__ import annotations

from sentryapi.plugins import Setting, load_settings

MIB = 1024 * 1024

SETTINGS = (
    Setting("SOURCEMAPS_CHUNK_SIZE", int, 8 * MIB,
            "Largest chunk sentry-cli uploads, in bytes", minimum=1024),
    Setting("SOURCEMAPS_CHUNKS_PER_REQUEST", int, 8,
            "Chunks sentry-cli sends in one request", minimum=1),
    Setting("SOURCEMAPS_MAX_FILE_SIZE", int, 256 * MIB,
            "Largest artifact bundle or debug file assembled from chunks, in bytes", minimum=1),
    Setting("SOURCEMAPS_MAX_RELEASE_FILE_SIZE", int, 40 * MIB,
            "Largest file uploaded to a release's files/ endpoint, in bytes", minimum=1),
    Setting("SOURCEMAPS_ORGANIZATION_QUOTA", int, 10 * 1024 * MIB,
            "Bytes of uploads (chunks, bundles, release and debug files) an organization may "
            "store; past it uploads answer 413. 0: no quota", minimum=0),
    Setting("SOURCEMAPS_RETENTION_DAYS", int, 90,
            "Days an artifact bundle or debug file is kept after its last upload (0: "
            "forever); release files go with their release", minimum=0),
    Setting("SOURCEMAPS_MAP_CACHE_SIZE", int, 64 * MIB,
            "Bytes of parsed source maps and sources each process keeps cached", minimum=0),
)


def load(app) -> None:
    """Fill the defaults, then instance/config.py and the environment, and check the values."""
    load_settings(app, SETTINGS)
