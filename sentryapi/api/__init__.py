"""The core's public API for plugins: import from here, not from flask_smorest or marshmallow.

Everything a resource needs is re-exported here: the Blueprint, Schema and Endpoint
bases (and ``RateLimit`` for an endpoint's own limits), fields and validators, cursor
pagination, Sentry's search syntax, the error vocabulary, the database and its column
types, ingestion quotas and outcomes, and the tenant models. Anything else in
``sentryapi`` is private and may change without notice.
"""

from marshmallow import (
    ValidationError,
    fields,
    post_dump,
    post_load,
    pre_dump,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from ..access import Caller, permissions
from ..access.endpoints import ProjectEndpoint
from ..access.permissions import (
    EVENT_ADMIN,
    EVENT_READ,
    EVENT_WRITE,
    MEMBER_ADMIN,
    MEMBER_READ,
    MEMBER_WRITE,
    ORG_ADMIN,
    ORG_READ,
    ORG_WRITE,
    PROJECT_ADMIN,
    PROJECT_READ,
    PROJECT_WRITE,
    RELEASE_ADMIN,
    RELEASE_READ,
    RELEASE_WRITE,
    TEAM_ADMIN,
    TEAM_READ,
    TEAM_WRITE,
    MemberPermission,
    OrganizationEventPermission,
    OrganizationMemberTeamPermission,
    OrganizationPermission,
    OrganizationReleasePermission,
    OrganizationTeamsPermission,
    ProjectEventPermission,
    ProjectPermission,
    ProjectReleasePermission,
    TeamPermission,
)
from ..auth.models import User
from ..auth.scopes import TEAM_ROLES, effective_team_role, role_scopes
from ..background import on_stop, stop_background
from ..blobs import blob_store, content_key, delete_after_commit, put_content, sha1_hex
from ..bulk import insert_rows, values_rows
from ..database import BigId, UTCDateTime, failure_summary, probe_engine, utcnow
from ..exceptions import (
    APIError,
    Conflict,
    MethodNotAllowed,
    NotAuthenticated,
    NotFound,
    ParseError,
    PayloadTooLarge,
    PermissionDenied,
    ServiceUnavailable,
    TooManyRequests,
    UnsupportedMediaType,
    ValidationFailed,
)
from ..extensions import db
from ..heap import freeze_startup_heap
from ..outcomes import Outcome, OutcomeRecord, rate_limited_outcomes, record_outcomes
from ..ratelimit.policy import RateLimit
from ..ratelimit.quotas import (
    DATA_CATEGORIES,
    Quota,
    QuotaExceeded,
    consume_quotas,
    key_quota,
    organization_quota,
    rate_limits_header,
)
from ..tenants.models import Organization, OrganizationMember
from ..tenants.schemas import AvatarSchema, MemberSchema, OrganizationSchema
from ..tenants.serializers import serialize_member, serialize_organization, serialize_user
from ..web.hooks import call_hook
from ..web.persistence import (
    commit_or_conflict,
    get_or_404,
    ids_and_slugs,
    parse_id,
    retry_on_conflict,
    unique_slug,
)
from ..web.schemas import DateTime, Id, IdNumber, Schema, Slug, slugify
from ..web.views import Endpoint
from .blueprint import Blueprint
from .lifecycle import deprecated
from .listing import ListFilter, Listing
from .pagination import (
    DATETIME,
    NUMBER,
    STRING,
    Cursor,
    CursorPage,
    Ordering,
    page_link,
    page_params,
    paginate,
    public_origin,
)
from .search import (
    SearchFilter,
    SearchQuery,
    build_filters,
    compare,
    contains,
    parse_datetime,
    parse_number,
    parse_query,
    text_match,
)
from .search_tree import BoolOp, Text, leaves, parse_duration, parse_tree

__all__ = [
    # views and schemas
    "Blueprint", "Endpoint", "RateLimit", "Schema", "fields", "validate", "validates", "validates_schema",
    "ValidationError", "pre_load", "post_load", "pre_dump", "post_dump",
    "DateTime", "Id", "IdNumber", "Slug", "slugify", "deprecated",
    # pagination and search
    "paginate", "Ordering", "Cursor", "CursorPage", "public_origin", "page_params", "page_link", "NUMBER", "DATETIME", "STRING",
    "Listing", "ListFilter",
    "parse_query", "build_filters", "SearchFilter", "SearchQuery", "text_match", "compare",
    "contains", "parse_datetime", "parse_number",
    "parse_tree", "parse_duration", "leaves", "BoolOp", "Text",
    # errors
    "APIError", "ParseError", "ValidationFailed", "NotAuthenticated", "PermissionDenied",
    "NotFound", "MethodNotAllowed", "Conflict", "PayloadTooLarge", "UnsupportedMediaType",
    "TooManyRequests", "ServiceUnavailable",
    # database
    "db", "BigId", "UTCDateTime", "utcnow", "probe_engine", "failure_summary", "on_stop", "stop_background", "get_or_404", "ids_and_slugs", "parse_id", "unique_slug", "commit_or_conflict", "retry_on_conflict", "insert_rows", "values_rows", "freeze_startup_heap",
    # the blob store (uploaded files' bytes: filesystem or S3)
    "blob_store", "content_key", "put_content", "delete_after_commit", "sha1_hex",
    # ingestion quotas and outcomes (for the ingest path and stats)
    "Quota", "QuotaExceeded", "consume_quotas", "key_quota", "organization_quota",
    "rate_limits_header", "DATA_CATEGORIES", "Outcome", "OutcomeRecord", "record_outcomes",
    "rate_limited_outcomes",
    # the tenant models plugins hang their rows on, and how the core renders them
    "Organization", "OrganizationMember", "User", "role_scopes",
    "serialize_organization", "serialize_member", "serialize_user", "OrganizationSchema", "MemberSchema",
    "AvatarSchema",
    # other plugins' hooks
    "call_hook",
    # access: the caller, Sentry's permission classes, the base of project-scoped views
    "Caller", "ProjectEndpoint", "permissions", "TEAM_ROLES", "effective_team_role",
    "OrganizationPermission", "TeamPermission", "ProjectPermission", "ProjectReleasePermission",
    "OrganizationReleasePermission", "ProjectEventPermission", "OrganizationEventPermission",
    "MemberPermission", "OrganizationTeamsPermission", "OrganizationMemberTeamPermission", "ORG_READ", "ORG_WRITE", "ORG_ADMIN", "PROJECT_READ", "PROJECT_WRITE",
    "PROJECT_ADMIN", "TEAM_READ", "TEAM_WRITE", "TEAM_ADMIN", "EVENT_READ", "EVENT_WRITE",
    "EVENT_ADMIN", "MEMBER_READ", "MEMBER_WRITE", "MEMBER_ADMIN", "RELEASE_READ",
    "RELEASE_WRITE", "RELEASE_ADMIN",
]
