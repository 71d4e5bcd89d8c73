"""The releases plugin's blueprint (one OpenAPI tag, "Releases"); its scopes are the core's."""

from sentryapi.api import RELEASE_ADMIN, RELEASE_READ, RELEASE_WRITE, Blueprint

blp = Blueprint("Releases", __name__, description="Releases: the versions of your code "
                "that ship, their deploys and commits, and the issues they bring.")

__all__ = ["RELEASE_ADMIN", "RELEASE_READ", "RELEASE_WRITE", "blp"]
