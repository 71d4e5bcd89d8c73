"""Endpoints: the applications a user authorized (``/api-authorizations/``), and revoking one."""

from __future__ import annotations

from sqlalchemy import select

from ..api import Blueprint, Endpoint, Ordering, get_or_404, paginate
from ..auth.applications import ApiAuthorization
from ..extensions import db
from .schemas import AuthorizationDeleteSchema, AuthorizationSchema
from .serializers import serialize_authorization

blp = Blueprint("API Authorizations", __name__,
                description="Applications you authorized to act for you.")

ORDERING = Ordering(ApiAuthorization.date_created, ApiAuthorization.id)


@blp.route("/api-authorizations/")
class ApiAuthorizationIndex(Endpoint):
    scope_map = {"GET": (), "DELETE": ()}

    def own_authorizations(self):
        return select(ApiAuthorization).where(ApiAuthorization.user_id == self.personal_user().id)

    @blp.paginated_response(AuthorizationSchema(many=True))
    def get(self):
        """List the applications you authorized, newest first, with the scopes you approved."""
        return paginate(self.own_authorizations(), ORDERING).serialize(
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
