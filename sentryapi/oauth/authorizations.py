"""Endpoints: the applications a user authorized (``/api-authorizations/``), and revoking one."""

from __future__ import annotations

from sqlalchemy import select

from ..api import Blueprint, Endpoint, Listing, Ordering, get_or_404
from ..auth.applications import ApiApplication, ApiAuthorization
from ..extensions import db
from .schemas import AuthorizationDeleteSchema, AuthorizationSchema
from .serializers import serialize_authorization

blp = Blueprint("API Authorizations", __name__,
                description="Applications you authorized to act for you.")

AUTHORIZATIONS = Listing(
    "ApiAuthorizationListArgs",
    sorts={"dateCreated": Ordering(ApiAuthorization.date_created, ApiAuthorization.id)},
    default_sort="-dateCreated",
    query=(ApiApplication.name,),
    query_help="Authorizations of applications whose name contains this text (case-insensitive).",
)


@blp.route("/api-authorizations/")
class ApiAuthorizationIndex(Endpoint):
    scope_map = {"GET": (), "DELETE": ()}

    def own_authorizations(self):
        return select(ApiAuthorization).where(ApiAuthorization.user_id == self.personal_user().id)

    @blp.arguments(AUTHORIZATIONS.schema, location="query")
    @blp.paginated_response(AuthorizationSchema(many=True))
    def get(self, args):
        """List the applications you authorized, newest first, with the scopes you approved."""
        stmt = self.own_authorizations().join(
            ApiApplication, ApiApplication.id == ApiAuthorization.application_id)
        return AUTHORIZATIONS.paginate(stmt, args).serialize(
            lambda rows: [serialize_authorization(a) for a in rows]
        )

    @blp.errors(404)
    @blp.arguments(AuthorizationDeleteSchema)
    @blp.response(204)
    def delete(self, data):
        """Revoke an authorization by id: the application's tokens stop working at once."""
        authorization = get_or_404(
            self.own_authorizations().where(ApiAuthorization.id == data["authorization"])
        )
        db.session.delete(authorization)
        db.session.commit()
