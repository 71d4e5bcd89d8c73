"""The stats plugin's blueprint (one OpenAPI tag, "Stats"); its scopes are the core's."""

from sentryapi.api import EVENT_READ, ORG_READ, PROJECT_READ, Blueprint

blp = Blueprint("Stats", __name__, description="Usage stats: what was received, accepted "
                "and dropped per project, category and outcome, and event counts over time.")

__all__ = ["EVENT_READ", "ORG_READ", "PROJECT_READ", "blp"]
