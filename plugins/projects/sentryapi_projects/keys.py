"""Client keys: making them, their DSNs, and how they are rendered.

A DSN is ``<scheme>://<public>@<host[:port][/path]>/<project_id>`` built from the server's
``PUBLIC_URL``; every ingestion URL Sentry lists for a key (CSP reports, minidumps, the
JavaScript loader...) hangs off the same base.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from flask import current_app

from .models import ProjectKey

DEFAULT_KEY_NAME = "Default"
BROWSER_SDK_VERSIONS = ("latest", "7.x")
DEFAULT_LOADER_OPTIONS = {
    "hasReplay": True, "hasPerformance": True, "hasDebug": False, "hasFeedback": False,
    "hasLogsAndMetrics": False,
}
_ADJECTIVES = ("Able", "Brave", "Calm", "Clever", "Eager", "Fancy", "Gentle", "Happy", "Jolly",
               "Kind", "Liked", "Lively", "Noble", "Proud", "Quick", "Quiet", "Sunny", "Witty")
_ANIMALS = ("Badger", "Beaver", "Crane", "Dingo", "Falcon", "Gecko", "Heron", "Ibis", "Koala",
            "Lemur", "Marmot", "Otter", "Panda", "Pegasus", "Quokka", "Robin", "Tapir", "Walrus")


def new_public_key() -> str:
    """32 lowercase hex characters, the form Relay requires."""
    return secrets.token_hex(16)


def pet_name() -> str:
    """A name for a key created without one, as Sentry gives (``"Liked Pegasus"``)."""
    return f"{secrets.choice(_ADJECTIVES)} {secrets.choice(_ANIMALS)}"


def new_key(project_id: int, label: str | None = None, **settings) -> ProjectKey:
    return ProjectKey(project_id=project_id, public_key=new_public_key(), label=label or pet_name(),
                      is_active=True, loader_options=dict(DEFAULT_LOADER_OPTIONS), **settings)


def key_secret(public_key: str) -> str:
    """The key's (deprecated) secret half: derived, so no secret is ever stored.

    Stable for as long as the server's ``SECRET_KEY`` is; SDKs may send it and nothing
    requires it, exactly as with Sentry's Relay.
    """
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"dsn-secret:" + public_key.encode(), hashlib.sha256).hexdigest()[:32]


def secret_matches(public_key: str, candidate: str) -> bool:
    """Whether an SDK's ``sentry_secret`` is this key's (constant-time)."""
    return hmac.compare_digest(key_secret(public_key), candidate or "")


def dsn_urls(public_key: str, project_id: int) -> dict[str, str]:
    """Every URL Sentry lists under a key's ``dsn``, in Sentry's order."""
    url = urlsplit(current_app.config["PUBLIC_URL"])
    host = url.netloc.rpartition("@")[2]
    path = url.path.rstrip("/")
    base = f"{url.scheme}://{host}{path}"
    api = f"{base}/api/{project_id}"
    query = f"?sentry_key={public_key}"
    return {
        "secret": f"{url.scheme}://{public_key}:{key_secret(public_key)}@{host}{path}/{project_id}",
        "public": f"{url.scheme}://{public_key}@{host}{path}/{project_id}",
        "csp": f"{api}/csp-report/{query}",
        "security": f"{api}/security/{query}",
        "minidump": f"{api}/minidump/{query}",
        "nel": f"{api}/nel/{query}",
        "unreal": f"{api}/unreal/{public_key}/",
        "crons": f"{api}/cron/___MONITOR_SLUG___/{public_key}/",
        "cdn": f"{base}/js-sdk-loader/{public_key}.min.js",
        "playstation": f"{api}/playstation/{query}",
        "integration": f"{api}/integration/",
        "otlp_traces": f"{api}/integration/otlp/v1/traces",
        "otlp_logs": f"{api}/integration/otlp/v1/logs",
    }


def serialize_key(key: ProjectKey) -> dict:
    rate_limit = None
    if key.rate_limit_count is not None and key.rate_limit_window is not None:
        rate_limit = {"window": key.rate_limit_window, "count": key.rate_limit_count}
    return {
        "id": key.public_key,
        "name": key.label,
        "label": key.label,
        "public": key.public_key,
        "secret": key_secret(key.public_key),
        "projectId": key.project_id,
        "isActive": key.is_active,
        "rateLimit": rate_limit,
        "dsn": dsn_urls(key.public_key, key.project_id),
        "browserSdkVersion": key.browser_sdk_version,
        "browserSdk": {"choices": [[v, v] for v in BROWSER_SDK_VERSIONS]},
        "dateCreated": key.date_created,
        "dynamicSdkLoaderOptions": {**DEFAULT_LOADER_OPTIONS, **(key.loader_options or {})},
        "useCase": key.use_case,
    }
