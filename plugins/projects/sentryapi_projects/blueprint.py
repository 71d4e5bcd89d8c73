"""The projects plugin's blueprint (one OpenAPI tag, "Projects")."""

from sentryapi.api import Blueprint

blp = Blueprint("Projects", __name__, description="Projects, the teams holding them, "
                "and their client keys (DSNs).")

PROJECT_READ = ("project:read", "project:write", "project:admin")
PROJECT_WRITE = ("project:write", "project:admin")
PROJECT_ADMIN = ("project:admin",)
ORG_READ = ("org:read", "org:write", "org:admin")
