"""The projects plugin's blueprint (one OpenAPI tag, "Projects")."""

from sentryapi.api import ORG_READ, PROJECT_ADMIN, PROJECT_READ, PROJECT_WRITE, Blueprint

blp = Blueprint("Projects", __name__, description="Projects, the teams holding them, "
                "and their client keys (DSNs).")

__all__ = ["ORG_READ", "PROJECT_ADMIN", "PROJECT_READ", "PROJECT_WRITE", "blp"]
