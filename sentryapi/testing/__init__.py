"""The test kit of sentryapi and its plugins: a pytest plugin (``pytest11`` entry point), loaded
automatically by pytest and never by the server.

Every test that uses ``app`` runs twice: on SQLite and on PostgreSQL. PostgreSQL comes from
``SENTRYAPI_TEST_POSTGRES_URL`` (default: the local ``test`` database); each test session
works in a schema of its own, so parallel runs never meet. When PostgreSQL is not there the
PostgreSQL half is skipped with the reason, unless ``SENTRYAPI_REQUIRE_SERVICES=1`` (CI),
where it fails.

The names below are the kit's public surface (a plugin's tests import them from here); the
fixtures and hooks are re-exported so that pytest finds them on this module.
"""

from ..probes import Multipart, ProbeContext, load_probes, probe, unique
from .actors import (
    Actor,
    anonymous,
    client,
    make_actor,
    make_org,
    make_token,
    make_user,
    owner,
)
from .apps import (
    BACKENDS,
    _apps,
    app,
    build_app,
    count_queries,
    database_url,
    db_session,
    empty_database_url,
    make_app,
    postgres_schema_url,
    spec_app,
)
from .blobs import blob_backend, moto_endpoint, s3_settings
from .checks import plugin_contract, sentry_conforms, tenant_isolation
from .client import ApiClient, follow_links, schema_errors, walk_sorted
from .mailbox import Mailbox, mail_app, mailbox
from .node import CliError, McpClient, McpError, SentryCli, node_binary, node_clients_dir
from .servers import live_server, serve, served_app, wait_until
from .services import (
    DEFAULT_POSTGRES_URL,
    DEFAULT_REDIS_URL,
    postgres_schema,
    postgres_url,
    redis_client,
    redis_prefix,
    redis_url,
    service_unavailable,
    services_required,
)
from .summary import (
    FIGURES,
    FUZZ_STATUSES,
    contract,
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
)

__all__ = [
    "BACKENDS", "DEFAULT_POSTGRES_URL", "DEFAULT_REDIS_URL", "FIGURES", "FUZZ_STATUSES",
    "Actor", "ApiClient", "CliError", "McpClient", "McpError", "ProbeContext", "SentryCli",
    "_apps", "anonymous", "app", "build_app", "client", "contract", "count_queries",
    "database_url", "db_session", "empty_database_url", "follow_links", "live_server",
    "load_probes", "make_actor", "make_app", "make_org", "make_token", "make_user",
    "node_binary", "node_clients_dir", "owner", "plugin_contract", "postgres_schema",
    "Mailbox", "mail_app", "mailbox", "blob_backend", "moto_endpoint", "s3_settings",
    "postgres_schema_url", "postgres_url", "probe", "Multipart", "pytest_sessionfinish",
    "pytest_terminal_summary", "pytest_testnodedown", "redis_client", "redis_prefix",
    "redis_url", "schema_errors", "sentry_conforms", "serve", "served_app",
    "service_unavailable", "services_required", "spec_app", "tenant_isolation", "unique", "wait_until",
    "walk_sorted",
]
