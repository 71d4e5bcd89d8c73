"""The base view every ``/api/0/`` endpoint derives from: authentication and access.

Deny by default: a view lists, per HTTP method, the scopes that allow it (``scope_map``,
any one suffices, as in Sentry) or marks the method as open to anonymous callers. The
factory refuses to start when an ``/api/0/`` route does neither (see ``check_routes``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from flask import request
from flask.views import MethodView

from ..access.organizations import resolve_organization
from ..auth.protector import Credentials, authenticate, is_scope_insufficient
from ..exceptions import NotFound, PermissionDenied, UnsupportedMediaType
from ..ratelimit.policy import RateLimit

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
#: URL arguments naming one project, or an object of one project (Sentry's issue ids).
PROJECT_SCOPED_ARGS = frozenset({"project_id_or_slug", "issue_id"})
PERSONAL_TOKEN_REQUIRED = "This endpoint requires a user auth token."


class Endpoint(MethodView):
    #: HTTP method -> scopes, any one of which allows the call. ``()`` = any caller.
    scope_map: ClassVar[Mapping[str, Sequence[str]]] = {}
    #: Methods that need no credentials at all.
    anonymous_methods: ClassVar[frozenset[str]] = frozenset()
    #: Methods published in the public OpenAPI document (Sentry's ``publish_status``).
    public: ClassVar[frozenset[str]] = frozenset()
    #: Methods answering a short, bounded list Sentry does not page either, with the reason
    #: (``{"GET": "one row per tag key"}``); the plugin contract accepts them unpaginated.
    unpaginated: ClassVar[Mapping[str, str]] = {}
    #: The security scheme the OpenAPI document names: ``auth_token`` (bearer, with the
    #: ``scope_map`` scopes) or ``dsn`` (SDK ingestion, a project key).
    auth_scheme: ClassVar[str] = "auth_token"
    #: HTTP method -> :class:`RateLimit` overriding the default limits (``None``: unlimited).
    rate_limits: ClassVar[Mapping[str, RateLimit | None]] = {}
    #: The URL argument naming the organization; resolved through the caller's memberships.
    organization_arg: ClassVar[str] = "organization_id_or_slug"
    #: Whether the view checks team-based access to the project it acts on (only
    #: ``sentryapi.access.ProjectEndpoint`` does; a route naming a project needs it).
    checks_project: ClassVar[bool] = False
    #: Methods whose body is not JSON (a ``multipart/form-data`` upload: files, chunks); the
    #: view reads and checks it itself, after the caller's access is checked.
    multipart_methods: ClassVar[frozenset[str]] = frozenset()

    credentials: Credentials | None = None
    organization = None
    member = None
    scopes: frozenset[str] = frozenset()

    def dispatch_request(self, **kwargs):
        method = "GET" if request.method == "HEAD" else request.method
        if method in BODY_METHODS and method not in self.multipart_methods:
            _require_json_body()
        self.credentials = authenticate(required=method not in self.anonymous_methods)
        if any("\x00" in value for value in kwargs.values() if isinstance(value, str)):
            raise NotFound()  # nothing is named with a NUL (and PostgreSQL text cannot hold one)
        if self.credentials is not None:
            self.scopes = self.credentials.scopes
            if self.organization_arg in kwargs:
                access = resolve_organization(kwargs[self.organization_arg], self.credentials)
                self.organization, self.member, self.scopes = access
            self.authorize(method, kwargs)
        return super().dispatch_request(**kwargs)

    @classmethod
    def max_body_size(cls, config) -> int:
        """The largest request body this view takes (a 413 beyond it); an upload view
        raises it from its own setting."""
        return config["API_MAX_BODY_SIZE"]

    def authorize(self, method: str, kwargs: dict) -> None:
        """Refuse (403) a caller without one of the method's scopes; runs before the view.

        Subclasses that check an object too (``sentryapi.access.ProjectEndpoint``) extend it.
        """
        if is_scope_insufficient(self.scopes, self.scope_map.get(method, ())):
            raise PermissionDenied()

    @property
    def user(self):
        return self.credentials.user if self.credentials else None

    def personal_user(self):
        """The caller, when calling with a user auth token of their own.

        Credentials (auth tokens, OAuth applications and authorizations) are managed only
        this way: never through an organization's token, nor through an OAuth token, which
        would let an application mint credentials that outlive its authorization.
        """
        if self.credentials is None or self.credentials.kind != "user" or self.user is None:
            raise PermissionDenied(PERSONAL_TOKEN_REQUIRED)
        return self.user

    def has_scope(self, *scopes: str) -> bool:
        """Whether the caller holds any of ``scopes`` here (in this organization)."""
        return not is_scope_insufficient(self.scopes, scopes)

    def require_scope(self, *scopes: str) -> None:
        if not self.has_scope(*scopes):
            raise PermissionDenied()


def _require_json_body() -> None:
    """A body must be JSON; an empty body is read as ``{}`` (Sentry reads it so too)."""
    if not request.get_data(cache=True):
        return
    if not request.is_json:
        raise UnsupportedMediaType(f'Unsupported media type "{request.mimetype}" in request.')


def check_routes(app) -> None:
    """Refuse to start if an ``/api/0/`` route declares neither scopes nor anonymous access."""
    problems = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/0/"):
            continue
        view = app.view_functions[rule.endpoint]
        cls = getattr(view, "view_class", None)
        if cls is None or not issubclass(cls, Endpoint):
            problems.append(f"{rule.rule}: view is not a sentryapi Endpoint")
            continue
        if PROJECT_SCOPED_ARGS & set(rule.arguments) and not cls.checks_project:
            problems.append(f"{rule.rule} ({cls.__name__}): names a project but is not a ProjectEndpoint")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if method not in cls.scope_map and method not in cls.anonymous_methods:
                problems.append(f"{method} {rule.rule} ({cls.__name__}): no scope_map entry")
    if problems:
        raise RuntimeError("Access is not declared for: " + "; ".join(problems))
