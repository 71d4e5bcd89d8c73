"""The teams plugin's blueprint (one OpenAPI tag, "Teams")."""

from sentryapi.api import Blueprint

blp = Blueprint("Teams", __name__, description="Teams of an organization and their members.")
