"""The releases plugin's blueprint (one OpenAPI tag, "Releases") and its scopes."""

from sentryapi.api import Blueprint

blp = Blueprint("Releases", __name__, description="Releases: the versions of your code "
                "that ship, their deploys and commits, and the issues they bring.")

#: Sentry's release permission: any of these reads, writes or deletes (any one suffices).
RELEASE_READ = ("project:read", "project:write", "project:admin", "project:releases", "org:ci")
RELEASE_WRITE = ("project:write", "project:admin", "project:releases", "org:ci")
RELEASE_ADMIN = ("project:admin", "project:releases")
