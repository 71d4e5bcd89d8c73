"""Endpoints: user auth tokens (``/api-tokens/``) and organization tokens."""

from __future__ import annotations

from sqlalchemy import func, select

from ..access.permissions import ORG_READ, ORG_WRITE
from ..api import (
    NUMBER,
    STRING,
    Blueprint,
    Endpoint,
    Listing,
    Ordering,
    PermissionDenied,
    ValidationFailed,
    get_or_404,
    parse_id,
)
from ..auth.models import ApiToken
from ..auth.scopes import IMPLIED, ORG_TOKEN_DEFAULT_SCOPES, ORG_TOKEN_SCOPES, expand
from ..extensions import db
from ..tenants.schemas import (
    ApiTokenCreatedSchema,
    ApiTokenCreateSchema,
    ApiTokenDeleteSchema,
    ApiTokenSchema,
    OrgAuthTokenCreatedSchema,
    OrgAuthTokenCreateSchema,
    OrgAuthTokenSchema,
    OrgAuthTokenUpdateSchema,
)
from ..tenants.serializers import serialize_api_token, serialize_org_auth_token
from . import services

blp = Blueprint("Auth Tokens", __name__, description="User and organization auth tokens.")

#: Tokens are few per user and per organization, reached through an index on their owner.
#: Ids are given in creation order, so (user_id, id) and (organization_id, id) serve it.
TOKEN_SORTS = {
    "dateCreated": Ordering(ApiToken.id, ApiToken.id, kind=NUMBER),
    "name": Ordering(func.coalesce(ApiToken.name, ""), ApiToken.id, kind=STRING),
}
TOKEN_QUERY_HELP = "Tokens whose name contains this text (case-insensitive)."
USER_TOKENS = Listing("ApiTokenListArgs", sorts=TOKEN_SORTS, default_sort="dateCreated",
                      query=(ApiToken.name,), query_help=TOKEN_QUERY_HELP)
ORG_TOKENS = Listing("OrgAuthTokenListArgs", sorts=TOKEN_SORTS, default_sort="dateCreated",
                     query=(ApiToken.name,), query_help=TOKEN_QUERY_HELP)
ANY_CALLER = ()


def _parse_id(value: str) -> int:
    parsed = parse_id(value)
    return -1 if parsed is None else parsed


def check_org_token_scopes(requested) -> None:
    """Organization tokens act for the whole organization (global access), so they carry
    ``org:ci`` only: a project or team scope on one would reach every team's projects."""
    refused = sorted(set(requested) - ORG_TOKEN_SCOPES)
    if refused:
        message = (f"Organization tokens can only have the org:ci scope; not allowed: "
                   f"{', '.join(refused)}.")
        raise ValidationFailed({"scopes": [message]})


def check_no_escalation(requested, held) -> None:
    """A token can only be minted with scopes its creator holds.

    A bundle such as ``org:ci`` is judged by the scopes it implies.
    """
    missing = expand(requested) - IMPLIED.keys() - set(held)
    if missing:
        raise PermissionDenied(
            "You cannot grant scopes you do not hold: " + ", ".join(sorted(missing))
        )


class UserTokenEndpoint(Endpoint):
    """User tokens belong to a user; they are managed with a user token, never another kind."""

    scope_map = {"GET": ANY_CALLER, "POST": ANY_CALLER, "PUT": ANY_CALLER, "DELETE": ANY_CALLER}

    def own_tokens(self):
        user = self.personal_user()
        return select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.kind == "user")


@blp.route("/api-tokens/")
class ApiTokenIndex(UserTokenEndpoint):
    @blp.arguments(USER_TOKENS.schema, location="query")
    @blp.paginated_response(ApiTokenSchema(many=True))
    def get(self, args):
        """List your user auth tokens (never their values), oldest first unless sorted."""
        return USER_TOKENS.paginate(self.own_tokens(), args).serialize(
            lambda rows: [serialize_api_token(t) for t in rows]
        )

    @blp.arguments(ApiTokenCreateSchema)
    @blp.response(201, ApiTokenCreatedSchema)
    def post(self, data):
        """Create a user auth token; the response is the only time it is shown."""
        self.own_tokens()
        check_no_escalation(data["scopes"], self.scopes)
        token, plaintext = services.issue_user_token(
            self.user, data["scopes"], name=data.get("name"), expires_at=data.get("expiresAt")
        )
        db.session.commit()
        return serialize_api_token(token, plaintext=plaintext)

    @blp.errors(404)
    @blp.arguments(ApiTokenDeleteSchema)
    @blp.response(204)
    def delete(self, data):
        """Revoke one of your tokens by `tokenId`."""
        token = get_or_404(self.own_tokens().where(ApiToken.id == data["tokenId"]))
        db.session.delete(token)
        db.session.commit()


@blp.route("/api-tokens/<token_id>/")
class ApiTokenDetails(UserTokenEndpoint):
    @blp.response(200, ApiTokenSchema)
    def get(self, token_id):
        """Retrieve one of your tokens (never its value)."""
        return serialize_api_token(get_or_404(self.own_tokens().where(ApiToken.id == _parse_id(token_id))))

    @blp.arguments(OrgAuthTokenUpdateSchema)
    @blp.response(200, ApiTokenSchema)
    def put(self, data, token_id):
        """Rename one of your tokens."""
        token = get_or_404(self.own_tokens().where(ApiToken.id == _parse_id(token_id)))
        token.name = data["name"]
        db.session.commit()
        return serialize_api_token(token)

    @blp.response(204)
    def delete(self, token_id):
        """Revoke one of your tokens."""
        token = get_or_404(self.own_tokens().where(ApiToken.id == _parse_id(token_id)))
        db.session.delete(token)
        db.session.commit()


def _org_tokens(organization):
    return select(ApiToken).where(ApiToken.organization_id == organization.id, ApiToken.kind == "org")


@blp.route("/organizations/<organization_id_or_slug>/org-auth-tokens/")
class OrgAuthTokenIndex(Endpoint):
    scope_map = {"GET": ORG_READ, "POST": ORG_READ}

    @blp.arguments(ORG_TOKENS.schema, location="query")
    @blp.paginated_response(OrgAuthTokenSchema(many=True))
    def get(self, args, organization_id_or_slug):
        """List an organization's auth tokens (never their values), oldest first unless sorted."""
        return ORG_TOKENS.paginate(_org_tokens(self.organization), args).serialize(
            lambda rows: [serialize_org_auth_token(t) for t in rows]
        )

    @blp.arguments(OrgAuthTokenCreateSchema)
    @blp.response(201, OrgAuthTokenCreatedSchema)
    def post(self, data, organization_id_or_slug):
        """Create an organization auth token (`sntrys_`), shown only in this response.

        Its scope is `org:ci`, as Sentry's: CI reads the organization and its projects list
        and manages releases, deploys and their files. It acts for the organization, not
        for you, so it cannot carry team-scoped scopes: asking for any other scope is a 400.
        """
        user = self.personal_user()  # not an org token, nor an application's OAuth token
        scopes = data.get("scopes") or list(ORG_TOKEN_DEFAULT_SCOPES)
        check_org_token_scopes(scopes)
        check_no_escalation(scopes, self.scopes)
        token, plaintext = services.issue_org_token(self.organization, data["name"], scopes,
                                                    created_by=user)
        db.session.commit()
        return serialize_org_auth_token(token, plaintext=plaintext)


@blp.route("/organizations/<organization_id_or_slug>/org-auth-tokens/<token_id>/")
class OrgAuthTokenDetails(Endpoint):
    scope_map = {"GET": ORG_READ, "PUT": ORG_WRITE, "DELETE": ORG_WRITE}

    def get_token(self, token_id):
        return get_or_404(_org_tokens(self.organization).where(ApiToken.id == _parse_id(token_id)))

    @blp.response(200, OrgAuthTokenSchema)
    def get(self, organization_id_or_slug, token_id):
        """Retrieve an organization auth token (never its value)."""
        return serialize_org_auth_token(self.get_token(token_id))

    @blp.arguments(OrgAuthTokenUpdateSchema)
    @blp.response(200, OrgAuthTokenSchema)
    def put(self, data, organization_id_or_slug, token_id):
        """Rename an organization auth token."""
        token = self.get_token(token_id)
        token.name = data["name"]
        db.session.commit()
        return serialize_org_auth_token(token)

    @blp.response(204)
    def delete(self, organization_id_or_slug, token_id):
        """Revoke an organization auth token."""
        db.session.delete(self.get_token(token_id))
        db.session.commit()
