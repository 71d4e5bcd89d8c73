"""Endpoints: the OAuth applications a user registered (``/api-applications/``)."""

from __future__ import annotations

from sqlalchemy import select

from ..api import NUMBER, STRING, Blueprint, Endpoint, Listing, Ordering, get_or_404
from ..auth.applications import ApiApplication
from ..extensions import db
from . import services
from .schemas import ApplicationInputSchema, ApplicationSchema, RotatedSecretSchema
from .serializers import serialize_application

blp = Blueprint("API Applications", __name__,
                description="OAuth2 applications you registered to act for users.")

APPLICATIONS = Listing(
    "ApiApplicationListArgs",
    sorts={"name": Ordering(ApiApplication.name, ApiApplication.id, kind=STRING),
           # ids are given in creation order
           "dateCreated": Ordering(ApiApplication.id, ApiApplication.id, kind=NUMBER)},
    default_sort="name",
    query=(ApiApplication.name,),
    query_help="Applications whose name contains this text (case-insensitive).",
)
ANY_CALLER = ()
FIELDS = {"name": "name", "redirectUris": "redirect_uris", "allowedOrigins": "allowed_origins",
          "homepageUrl": "homepage_url", "privacyUrl": "privacy_url", "termsUrl": "terms_url"}


def _columns(data: dict) -> dict:
    return {FIELDS[key]: value for key, value in data.items() if key in FIELDS}


class ApplicationEndpoint(Endpoint):
    scope_map = {"GET": ANY_CALLER, "POST": ANY_CALLER, "PUT": ANY_CALLER, "DELETE": ANY_CALLER}

    def own_applications(self):
        return select(ApiApplication).where(ApiApplication.owner_id == self.personal_user().id)

    def get_application(self, app_id: str) -> ApiApplication:
        return get_or_404(self.own_applications().where(ApiApplication.client_id == app_id))


@blp.route("/api-applications/")
class ApiApplicationIndex(ApplicationEndpoint):
    @blp.arguments(APPLICATIONS.schema, location="query")
    @blp.paginated_response(ApplicationSchema(many=True))
    def get(self, args):
        """List your OAuth applications (never their secrets), by name unless sorted."""
        return APPLICATIONS.paginate(self.own_applications(), args).serialize(
            lambda rows: [serialize_application(a) for a in rows]
        )

    @blp.arguments(ApplicationInputSchema)
    @blp.response(201, ApplicationSchema)
    def post(self, data):
        """Register an OAuth application; its client secret is shown only in this response."""
        application, secret = services.create_application(self.personal_user(), **_columns(data))
        db.session.commit()
        return serialize_application(application, secret=secret)


@blp.route("/api-applications/<app_id>/")
class ApiApplicationDetails(ApplicationEndpoint):
    @blp.response(200, ApplicationSchema)
    def get(self, app_id):
        """Retrieve one of your OAuth applications by client id."""
        return serialize_application(self.get_application(app_id))

    @blp.arguments(ApplicationInputSchema)
    @blp.response(200, ApplicationSchema)
    def put(self, data, app_id):
        """Update an application's name, redirect URIs, origins or links."""
        application = self.get_application(app_id)
        for column, value in _columns(data).items():
            setattr(application, column, value)
        db.session.commit()
        return serialize_application(application)

    @blp.response(204)
    def delete(self, app_id):
        """Delete an application: every authorization and token it had is revoked with it."""
        db.session.delete(self.get_application(app_id))
        db.session.commit()


@blp.route("/api-applications/<app_id>/rotate-secret/")
class ApiApplicationRotateSecret(ApplicationEndpoint):
    @blp.response(200, RotatedSecretSchema)
    def post(self, app_id):
        """Replace the client secret; the new one is shown only in this response."""
        secret = services.rotate_secret(self.get_application(app_id))
        db.session.commit()
        return {"clientSecret": secret}
