"""The plugin's settings: ``SENTRYAPI_DISCOVER_*`` variables, or the same names in instance/config.py."""

from __future__ import annotations

import re

from sentryapi.plugins import ConfigError, Setting, load_settings

SETTINGS = (
    Setting("DISCOVER_WORK_MEM", str, "32MB",
            "PostgreSQL work_mem of a Discover query (sorts for grouping and percentiles stay in "
            "memory), e.g. 32MB"),
)


def load(app) -> None:
    load_settings(app, SETTINGS)
    if not re.fullmatch(r"\d{1,7}(kB|MB|GB)", app.config["DISCOVER_WORK_MEM"]):
        raise ConfigError("SENTRYAPI_DISCOVER_WORK_MEM must be a size such as 32MB (kB, MB or GB)")
